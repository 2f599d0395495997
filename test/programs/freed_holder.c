/* SPDX-License-Identifier: MIT */
/* A destructor that lost its put, as perf's dso__delete() without its
 * nsinfo__zput(): each node takes a reference to its namespace when it is
 * made and node__delete() frees the node, through a generic helper (perf's
 * zfree()), still pointing at the namespace. The put that is gone was the
 * destructor's only operation on the namespace, so node__delete() is on no
 * stack of a leaked namespace: only the freed node says where its
 * reference went. Each node also uses a scratch object of its own that is
 * released properly, and a background object leaks elsewhere. */
#include "node_ns.h"

/* Frees and clears a pointer, for any kind of block (and for several callers). */
static __attribute__((noinline)) void zfree_block(void **p)
{
	free(*p);
	*p = NULL;
}

static __attribute__((noinline)) void node__delete(struct node *n)
{
	obj__put(n->scratch);
	/* and no obj__put(n->ns) */
	zfree_block((void **)&n);
}

static __attribute__((noinline)) void forget(struct obj *o)
{
	obj__get(o);
}

int main(void)
{
	struct obj *ns[4], *background = obj__new();
	char *label = malloc(16);
	int i, sum = 0;

	for (i = 0; i < 4; i++)
		ns[i] = obj__new();
	for (i = 0; i < 12; i++) {
		struct node *n = node__new(i, ns[i % 4]);

		sum += use(n);
		node__delete(n);
	}
	for (i = 0; i < 4; i++)
		obj__put(ns[i]);
	forget(background);
	obj__put(background);
	zfree_block((void **)&label);
	return sum == -1;
}
