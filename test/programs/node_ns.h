/* SPDX-License-Identifier: MIT */
/* A node holding a scratch object of its own and a reference to its
 * namespace (perf's dso and its nsinfo), for the destructors that lose the
 * namespace's put: freed_holder and exit_then_free. */
#ifndef TEST_NODE_NS_H
#define TEST_NODE_NS_H

#include "obj.h"

struct node {
	int id;
	struct obj *scratch;
	struct obj *ns;
};

static __attribute__((noinline)) struct node *node__new(int id, struct obj *ns)
{
	struct node *n = malloc(sizeof(*n));

	if (!n)
		abort();
	n->id = id;
	n->scratch = obj__new();
	n->ns = obj__get(ns);
	return n;
}

static __attribute__((noinline)) int use(const struct node *n)
{
	return n->id + n->ns->payload + n->scratch->payload;
}

#endif
