/* SPDX-License-Identifier: MIT */
/* Balanced use, including inc_not_zero failing on a dying object: silent. */
#include "obj.h"

static __attribute__((noinline)) int use(struct obj *o)
{
	struct obj *held = obj__get(o);
	int v = held->payload;

	obj__put(held);
	return v;
}

int main(void)
{
	struct obj *objs[8];
	refcount_t dying;
	int i, sum = 0;

	for (i = 0; i < 8; i++)
		objs[i] = obj__new();
	for (i = 0; i < 8; i++)
		sum += use(objs[i]);
	for (i = 0; i < 8; i++)
		obj__put(objs[i]);

	refcount_set(&dying, 1);
	if (refcount_dec_and_test(&dying) && refcount_inc_not_zero(&dying))
		return 1; /* inc_not_zero must fail on zero */
	return sum;
}
