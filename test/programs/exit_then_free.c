/* SPDX-License-Identifier: MIT */
/* perf's evsel__exit() without one of its puts, planted: node__delete()
 * calls node__exit(), which puts the node's members (its scratch object;
 * not its namespace: the lost put), and then frees the node, still
 * pointing at the namespace. free() names node__delete(), the destructor;
 * it puts nothing itself, and every put made beneath it comes from
 * node__exit(), a method of the same holder: that is where the member's
 * put belonged. Suspect #1 must be node__exit. */
#include "node_ns.h"

static __attribute__((noinline)) void node__exit(struct node *n)
{
	obj__put(n->scratch);
	/* and no obj__put(n->ns) */
}

static __attribute__((noinline)) void node__delete(struct node *n)
{
	node__exit(n);
	free(n);
}

int main(void)
{
	struct obj *ns[4];
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
	return sum == -1;
}
