/* SPDX-License-Identifier: MIT */
/* A table's purge that lost its put, as perf's dsos__purge(): the table
 * keeps a reference in each slot of an array, and table__purge(), called
 * by table__exit(), frees the array through a generic helper (perf's
 * zfree()) without putting the slots. The function that freed the array
 * is table__purge(), not its caller: it did not call free() itself, it
 * asked the helper. No object is freed before: where the counter lies in
 * its block is learned where the object was allocated. */
#include "obj.h"

struct table {
	struct obj **slots;
	int n;
};

static __attribute__((noinline)) void zfree_block(void **p)
{
	free(*p);
	*p = NULL;
}

static __attribute__((noinline)) void table__add(struct table *t, struct obj *o)
{
	struct obj **grown = realloc(t->slots, (t->n + 1) * sizeof(*grown));

	if (!grown)
		abort();
	t->slots = grown;
	t->slots[t->n++] = obj__get(o);
}

static __attribute__((noinline)) void table__purge(struct table *t)
{
	/* and no obj__put(t->slots[i]) for each slot */
	zfree_block((void **)&t->slots);
}

static __attribute__((noinline)) void table__exit(struct table *t)
{
	table__purge(t);
	t->n = 0;
}

int main(void)
{
	struct table t = { NULL, 0 };
	char *scratch = malloc(32);
	int i;

	for (i = 0; i < 6; i++) {
		struct obj *o = obj__new();

		table__add(&t, o);
		obj__put(o);
	}
	zfree_block((void **)&scratch);
	table__exit(&t);
	return t.n;
}
