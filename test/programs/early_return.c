/* SPDX-License-Identifier: MIT */
/* Early return from a search loop: each step takes a reference to the item it
 * looks at and drops it before moving on, except when it returns the match. */
#include "obj.h"
#include <stdio.h>

#define NITEMS 8

static __attribute__((noinline)) int find_payload(struct obj **items, int want)
{
	int i;

	for (i = 0; i < NITEMS; i++) {
		struct obj *cur = obj__get(items[i]);

		if (cur->payload == want)
			return i; /* missing obj__put(cur) */
		obj__put(cur);
	}
	return -1;
}

static __attribute__((noinline)) int count_odd(struct obj **items)
{
	int i, n = 0;

	for (i = 0; i < NITEMS; i++) {
		struct obj *cur = obj__get(items[i]);

		n += cur->payload & 1;
		obj__put(cur);
	}
	return n;
}

int main(void)
{
	struct obj *items[NITEMS];
	int i;

	for (i = 0; i < NITEMS; i++) {
		items[i] = obj__new();
		items[i]->payload = i * 10;
	}
	printf("odd %d, 30 at %d, 70 at %d, 99 at %d\n", count_odd(items), find_payload(items, 30),
	       find_payload(items, 70), find_payload(items, 99));
	for (i = 0; i < NITEMS; i++)
		obj__put(items[i]);
	return 0;
}
