/* SPDX-License-Identifier: MIT */
/* A refcounted entry holding a reference to its namespace (an obj), and a
 * destructor that forgets to put it: perf's dso__delete() without its
 * nsinfo__zput(). For freed_tail and freed_tail_chain, which differ in how
 * the last put reaches it. */
#ifndef TEST_ENTRY_NS_H
#define TEST_ENTRY_NS_H

#include "obj.h"

#include <string.h>

struct entry {
	refcount_t ref;
	char *name;
	struct obj *ns;
};

static __attribute__((noinline)) struct entry *entry__new(const char *name, struct obj *ns)
{
	struct entry *e = malloc(sizeof(*e));

	if (!e)
		abort();
	e->name = strdup(name);
	e->ns = obj__get(ns);
	refcount_set(&e->ref, 1);
	return e;
}

static __attribute__((noinline)) void entry__delete(struct entry *e)
{
	free(e->name);
	/* and no obj__put(e->ns) */
	free(e);
}

#endif
