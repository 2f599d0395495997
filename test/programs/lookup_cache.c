/* SPDX-License-Identifier: MIT */
/*
 * perf's commonest leak, planted: a lookup that returns a reference through
 * layers (machine_findnew -> __machine_findnew -> table_findnew, which
 * serves repeats from a last-match cache that keeps a reference of its
 * own), many callers that put what they got, and one that forgets:
 * handle_comm(). The table and its cache drop their references at exit.
 * Suspect #1 must be handle_comm, not the lookup or its cache.
 */
#include "obj.h"

#define N 8

struct table {
	struct obj *slots[N];
	struct obj *last; /* last match, holding a reference */
};

static __attribute__((noinline)) void table_set_last(struct table *t, struct obj *o)
{
	if (t->last)
		obj__put(t->last);
	t->last = obj__get(o);
}

static __attribute__((noinline)) struct obj *table_findnew(struct table *t, int key)
{
	struct obj *o;

	if (t->last && t->last->payload == key)
		return obj__get(t->last);
	o = t->slots[key];
	if (!o) {
		o = obj__new();
		o->payload = key;
		t->slots[key] = obj__get(o); /* the table's reference */
		table_set_last(t, o);
		return o; /* the birth's reference, for the caller */
	}
	table_set_last(t, o);
	return obj__get(o);
}

static __attribute__((noinline)) struct obj *__machine_findnew(struct table *t, int key)
{
	return table_findnew(t, key);
}

static __attribute__((noinline)) struct obj *machine_findnew(struct table *t, int key)
{
	return __machine_findnew(t, key);
}

static __attribute__((noinline)) int handle_sample(struct table *t, int key)
{
	struct obj *o = machine_findnew(t, key);
	int v = o->payload;

	obj__put(o);
	return v;
}

static __attribute__((noinline)) int handle_fork(struct table *t, int key)
{
	struct obj *o = machine_findnew(t, key);
	struct obj *parent = machine_findnew(t, (key + 1) % N);
	int v = o->payload + parent->payload;

	obj__put(parent);
	obj__put(o);
	return v;
}

static __attribute__((noinline)) int handle_comm(struct table *t, int key)
{
	struct obj *o = machine_findnew(t, key);

	return o->payload; /* forgets obj__put(o) */
}

static __attribute__((noinline)) void table_exit(struct table *t)
{
	int i;

	for (i = 0; i < N; i++)
		obj__put(t->slots[i]);
	obj__put(t->last);
}

int main(void)
{
	struct table t = {{0}, 0};
	int i, sum = 0;

	for (i = 0; i < 40 * N; i++) {
		sum += handle_fork(&t, i % N);
		sum += handle_sample(&t, i % N);
		sum += handle_sample(&t, i % N);
		if (i == 5)
			sum += handle_comm(&t, 3);
	}
	table_exit(&t);
	return sum < 0;
}
