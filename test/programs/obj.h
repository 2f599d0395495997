/* SPDX-License-Identifier: MIT */
/* A refcounted object with perf-style wrappers, shared by the test programs. */
#ifndef TEST_OBJ_H
#define TEST_OBJ_H

#include <linux/refcount.h>
#include <stdlib.h>

struct obj {
	int payload;
	refcount_t ref;
};

static __attribute__((noinline)) __maybe_unused struct obj *obj__new(void)
{
	struct obj *o = malloc(sizeof(*o));

	if (!o)
		abort();
	o->payload = 0;
	refcount_set(&o->ref, 1);
	return o;
}

static __attribute__((noinline)) __maybe_unused struct obj *obj__get(struct obj *o)
{
	refcount_inc(&o->ref);
	return o;
}

static __attribute__((noinline)) __maybe_unused void obj__put(struct obj *o)
{
	if (o && refcount_dec_and_test(&o->ref))
		free(o);
}

/* Drops a reference without freeing, so a later misuse touches live memory. */
static __attribute__((noinline)) __maybe_unused int obj__drop(struct obj *o)
{
	return refcount_dec_and_test(&o->ref);
}

#endif
