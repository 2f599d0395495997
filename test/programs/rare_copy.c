/* SPDX-License-Identifier: MIT */
/*
 * perf's maps__exit() without its put, planted where a reclaimed object
 * also had a copy in the freed array: table__delete() frees the table's
 * array without putting the objects in it, and all but one leak. The one
 * removed last before it left its pointer in the array's last slot (a
 * remove drops the table's reference and leaves the slot as it was);
 * another holder kept it alive past the free, then put it. So one
 * reclaimed life shows table__delete() freeing a block that pointed at it
 * without a put beneath it, as a view that borrows its object would
 * (borrowed_view) -- but seven leaked objects show it, against that one.
 * Suspect #1 must be table__delete.
 */
#include "obj.h"

#define N 8

struct table {
	struct obj **slots;
	int nr;
};

static __attribute__((noinline)) struct table *table__new(void)
{
	struct table *t = malloc(sizeof(*t));

	if (!t)
		abort();
	t->slots = calloc(N, sizeof(*t->slots));
	if (!t->slots)
		abort();
	t->nr = 0;
	return t;
}

static __attribute__((noinline)) void table__add(struct table *t, struct obj *o)
{
	t->slots[t->nr++] = obj__get(o);
}

static __attribute__((noinline)) void table__remove_last(struct table *t)
{
	obj__put(t->slots[--t->nr]); /* the slot keeps its pointer */
}

static __attribute__((noinline)) void table__delete(struct table *t)
{
	free(t->slots); /* forgets to put slots[0 .. nr) */
	free(t);
}

int main(void)
{
	struct table *t = table__new();
	struct obj *kept = NULL;
	int i;

	for (i = 0; i < N; i++) {
		struct obj *o = obj__new();

		table__add(t, o);
		if (i == N - 1)
			kept = o; /* another holder's reference */
		else
			obj__put(o);
	}
	table__remove_last(t);
	table__delete(t);
	obj__put(kept);
	return 0;
}
