/* SPDX-License-Identifier: MIT */
/* refcount_sub_and_test() with counts above one; one put subtracts too little. */
#include "obj.h"

static __attribute__((noinline)) void release_batch(struct obj *o, unsigned int n)
{
	if (refcount_sub_and_test(n, &o->ref))
		free(o);
}

int main(void)
{
	struct obj *good = obj__new();
	struct obj *bad = obj__new();

	refcount_set(&good->ref, 3);
	refcount_set(&bad->ref, 4);
	release_batch(good, 3);
	release_batch(bad, 2); /* subtracts 2 of 4: 2 references leak */
	return 0;
}
