/* SPDX-License-Identifier: MIT */
/* make_orphan() creates an object and loses it: the birth itself is the culprit. */
#include "obj.h"

static __attribute__((noinline)) void make_orphan(void)
{
	struct obj *o = obj__new();

	o->payload = 1; /* and forgets it */
}

int main(void)
{
	struct obj *kept = obj__new();

	make_orphan();
	obj__put(kept);
	return 0;
}
