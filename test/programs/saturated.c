/* SPDX-License-Identifier: MIT */
/* Reaching UINT_MAX saturates (an error, not a leak); the count then sticks. */
#include "obj.h"

int main(void)
{
	struct obj *o = obj__new();

	refcount_set(&o->ref, UINT_MAX - 1);
	refcount_inc(&o->ref); /* saturated */
	refcount_inc(&o->ref); /* stays at UINT_MAX, no second report */
	if (refcount_dec_and_test(&o->ref) || refcount_read(&o->ref) != UINT_MAX)
		return 1;
	free(o);
	return 0;
}
