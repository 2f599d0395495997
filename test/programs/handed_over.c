/* SPDX-License-Identifier: MIT */
/* A caller that thinks a container took over its reference. The session
 * list takes its own reference in session_list__add() and drops it in
 * session_list__exit() or, on a reset, in session_list__reset(): a get in one
 * function, its put in another. reopen() believes the reset drops the
 * caller's reference and takes one "to keep the object alive" first; that
 * get is never put (the same slip as perf's tests/code-reading.c, which gets
 * its cpu and thread maps before perf_evlist__set_maps(NULL, NULL)). With one
 * object there are no reclaimed ones to compare with: only balancing the
 * callees against one another points at reopen(). With the argument
 * "creates", reopen() makes the object itself and puts it at its end, as
 * perf's test does: its birth and its extra get then hold as much, and the
 * get is the one to name. */
#include "obj.h"

#include <string.h>

struct session_list {
	struct obj *member[2];
	int n;
};

static __attribute__((noinline)) void session_list__add(struct session_list *l, struct obj *o)
{
	l->member[l->n++] = obj__get(o);
}

static __attribute__((noinline)) void session_list__reset(struct session_list *l)
{
	while (l->n)
		obj__put(l->member[--l->n]);
}

static __attribute__((noinline)) void session_list__exit(struct session_list *l)
{
	session_list__reset(l);
	memset(l, 0, sizeof(*l));
}

static __attribute__((noinline)) int try_open(int attempt)
{
	return attempt > 0; /* the first attempt fails */
}

static __attribute__((noinline)) int reopen(struct obj *given)
{
	struct session_list list = { { 0 }, 0 };
	struct obj *o = given ? given : obj__new();
	int attempt, ret;

	for (attempt = 0; attempt < 3; attempt++) {
		session_list__add(&list, o);
		session_list__add(&list, o);
		if (try_open(attempt))
			break;
		/* "The list owns o now and the reset drops it": keep it alive. */
		obj__get(o); /* the planted bug: the reset drops the list's references only */
		session_list__reset(&list);
	}
	o->payload = attempt;
	session_list__exit(&list);
	ret = o->payload;
	if (!given)
		obj__put(o);
	return ret;
}

int main(int argc, char **argv)
{
	struct obj *o;
	int ret;

	(void)argv;
	if (argc > 1) /* "creates" */
		return reopen(NULL) == 1 ? 0 : 1;
	o = obj__new();
	ret = reopen(o);
	obj__put(o);
	return ret == 1 ? 0 : 1;
}
