/* SPDX-License-Identifier: MIT */
/*
 * perf's machine__resolve() without its thread__put(), planted: the sample
 * handler looks every object up and forgets to put it, so every object
 * leaks and none is reclaimed to say what the lookup normally does. Per
 * function, the unmatched gets are made in the lookup (table_find, called
 * from nowhere else). But table_find is declared to return a struct obj *:
 * it hands the reference to its caller, who decides. Suspect #1 must be
 * handle_sample.
 */
#include "obj.h"

#define N 10

struct table {
	struct obj *slots[N];
};

static __attribute__((noinline)) void table_insert(struct table *t, int key, struct obj *o)
{
	t->slots[key] = obj__get(o); /* the table's reference */
}

static __attribute__((noinline)) struct obj *table_find(struct table *t, int key)
{
	struct obj *o = t->slots[key];

	return o ? obj__get(o) : NULL;
}

static __attribute__((noinline)) void table_purge(struct table *t)
{
	int i;

	for (i = 0; i < N; i++)
		obj__put(t->slots[i]);
}

static __attribute__((noinline)) int handle_sample(struct table *t, int key)
{
	struct obj *o = table_find(t, key);

	return o ? o->payload : 0; /* forgets obj__put(o) */
}

int main(void)
{
	struct table t = {{0}};
	int i, sum = 0;

	for (i = 0; i < N; i++) {
		struct obj *o = obj__new();

		o->payload = i;
		table_insert(&t, i, o);
		obj__put(o);
	}
	for (i = 0; i < 2 * N; i++)
		sum += handle_sample(&t, i % N);
	table_purge(&t);
	return sum < 0;
}
