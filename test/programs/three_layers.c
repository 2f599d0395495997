/* SPDX-License-Identifier: MIT */
/* Three layers of wrappers; one caller of the outermost forgets its put. */
#include "obj.h"
static __attribute__((noinline)) struct obj *obj__hold(struct obj *o) { return obj__get(o); }
static __attribute__((noinline)) struct obj *obj__acquire(struct obj *o) { return obj__hold(o); }
static __attribute__((noinline)) void obj__release(struct obj *o) { obj__put(o); }
static __attribute__((noinline)) void reader(struct obj *o)
{
	struct obj *r = obj__acquire(o);
	obj__release(r);
}
static __attribute__((noinline)) void writer(struct obj *o)
{
	struct obj *w = obj__acquire(o);
	w->payload++; /* missing obj__release(w) */
}
int main(void)
{
	struct obj *o = obj__new();
	int i;

	for (i = 0; i < 5; i++)
		reader(o);
	writer(o);
	for (i = 0; i < 5; i++)
		reader(o);
	obj__put(o);
	return 0;
}
