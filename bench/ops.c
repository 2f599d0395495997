/* SPDX-License-Identifier: MIT */
/*
 * P1's workload, compiled once per header variant (upstream's, the swapped
 * one, the swapped one with REFDEBUG=0) with -DOPS_VARIANT=<name>: every
 * operation over objects a cache line apart, and a tight get/put loop on
 * one object, where the header's own instructions are all there is.
 */
#include <linux/refcount.h>

#include "ops.h"

struct obj {
	refcount_t ref;
	char pad[BENCH_OBJ_SIZE - sizeof(refcount_t)];
};

OPS_DECLARE(OPS_VARIANT);

void OPS_NAME(OPS_VARIANT, set)(void *objs, size_t n)
{
	struct obj *o = objs;
	size_t i;

	for (i = 0; i < n; i++)
		refcount_set(&o[i].ref, 1);
}

unsigned long OPS_NAME(OPS_VARIANT, run)(void *objs, size_t n, size_t rounds)
{
	struct obj *o = objs;
	unsigned long hits = 0;
	size_t r, i;

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n; i++) {
			refcount_t *ref = &o[i].ref;

			refcount_inc(ref);
			hits += refcount_inc_not_zero(ref);
			hits += refcount_dec_and_test(ref);
			hits += refcount_sub_and_test(1, ref);
			hits += refcount_read(ref);
		}
	}
	return hits;
}

unsigned long OPS_NAME(OPS_VARIANT, tight)(void *obj, size_t iterations)
{
	refcount_t *ref = &((struct obj *)obj)->ref;
	unsigned long hits = 0;
	size_t i;

	for (i = 0; i < iterations; i++) {
		refcount_inc(ref);
		hits += refcount_dec_and_test(ref);
	}
	return hits;
}
