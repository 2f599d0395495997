/* SPDX-License-Identifier: MIT */
/*
 * A put skipped on one path of a function that runs for every object:
 * handle_exit() looks the object up (a reference for itself), removes it
 * from the table (dropping the table's reference), and returns early for
 * one object without dropping its own. Balances alone point at
 * handle_fork(), under which the table took the reference that, counted
 * net, is the one left; compared with the reclaimed objects, where
 * handle_exit() drops one more than it takes, handle_exit() is the one that
 * did something else. Suspect #1 must be handle_exit.
 */
#include "obj.h"

#define N 12

struct table {
	struct obj *slots[N];
};

static __attribute__((noinline)) struct obj *table_findnew(struct table *t, int key)
{
	struct obj *o = t->slots[key];

	if (!o) {
		o = obj__new();
		o->payload = key;
		t->slots[key] = obj__get(o); /* the table's reference */
		return o;
	}
	return obj__get(o);
}

static __attribute__((noinline)) void table_remove(struct table *t, int key)
{
	obj__put(t->slots[key]);
	t->slots[key] = NULL;
}

static __attribute__((noinline)) void handle_fork(struct table *t, int key)
{
	obj__put(table_findnew(t, key));
}

static __attribute__((noinline)) int handle_sample(struct table *t, int key)
{
	struct obj *o = table_findnew(t, key);
	int v = o->payload;

	obj__put(o);
	return v;
}

static __attribute__((noinline)) int handle_exit(struct table *t, int key)
{
	struct obj *o = table_findnew(t, key);
	int v = o->payload;

	table_remove(t, key);
	if (v == 3)
		return v; /* early return: forgets obj__put(o) */
	obj__put(o);
	return v;
}

int main(void)
{
	struct table t = {{0}};
	int i, round, sum = 0;

	for (i = 0; i < N; i++)
		handle_fork(&t, i);
	for (round = 0; round < 5; round++)
		for (i = 0; i < N; i++)
			sum += handle_sample(&t, i);
	for (i = 0; i < N; i++)
		sum += handle_exit(&t, i);
	return sum < 0;
}
