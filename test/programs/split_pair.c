/* SPDX-License-Identifier: MIT */
/* Gets and puts made by different functions: attach() takes two references
 * that detach() drops, so attach() looks unmatched in every object, leaked or
 * not; only peek() takes a reference that no reclaimed object ever saw. */
#include "obj.h"

#define NSESSIONS 6

static __attribute__((noinline)) void attach(struct obj *o)
{
	obj__get(o); /* for the run queue */
	obj__get(o); /* for the timer list */
}

static __attribute__((noinline)) void detach(struct obj *o)
{
	obj__put(o);
	obj__put(o);
}

static __attribute__((noinline)) int peek(struct obj *o)
{
	return obj__get(o)->payload; /* missing obj__put() */
}

int main(void)
{
	struct obj *s[NSESSIONS];
	int i, sum = 0;

	for (i = 0; i < NSESSIONS; i++) {
		s[i] = obj__new();
		attach(s[i]);
	}
	for (i = 0; i < NSESSIONS; i += 3)
		sum += peek(s[i]);
	for (i = 0; i < NSESSIONS; i++) {
		detach(s[i]);
		obj__put(s[i]);
	}
	return sum;
}
