/* SPDX-License-Identifier: MIT */
/*
 * Many live objects at once, every 100th leaked: 500 leaks among 50,000.
 * Under a small max_memory_mb the runtime runs out of room part-way; it must
 * warn, count what it could not record and never report a leak that is not
 * there. usage: many_objects [objects]
 */
#include "obj.h"
#include <stdio.h>

static __attribute__((noinline)) void keep_one(struct obj *o)
{
	obj__get(o); /* never put */
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 50000, i, leaked = 0;
	struct obj **objs = calloc((size_t)n, sizeof(*objs));

	if (!objs)
		return 1;
	for (i = 0; i < n; i++) {
		objs[i] = obj__new();
		if (i % 100 == 0) {
			keep_one(objs[i]);
			leaked++;
		}
	}
	for (i = 0; i < n; i++)
		obj__put(objs[i]);
	free(objs);
	printf("%ld objects, %ld leaked\n", n, leaked);
	return 0;
}
