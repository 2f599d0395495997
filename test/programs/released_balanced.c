/* SPDX-License-Identifier: MIT */
/* A holder set up with a borrowed pointer (planted: holder_init() takes
 * no reference), then swapped and torn down as if it owned one. Every
 * function drops what it takes: the swaps put one and get one, so does
 * the published slot's setter, and the creator's final put releases the object
 * while the holder still points at it; the holder's teardown puts it
 * again, a use after release. No count says whose put was extra, so the
 * error names the put that released it. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct obj { refcount_t refs; int v; };
struct holder { struct obj *cur; };

static __attribute__((noinline)) struct obj *obj_get(struct obj *o)
{
	refcount_inc(&o->refs);
	return o;
}
static __attribute__((noinline)) void obj_put(struct obj *o)
{
	if (o && refcount_dec_and_test(&o->refs))
		free(o);
}
static __attribute__((noinline)) struct obj *obj_new(int v)
{
	struct obj *o = calloc(1, sizeof(*o));

	if (!o)
		abort();
	refcount_set(&o->refs, 1);
	o->v = v;
	return o;
}
static __attribute__((noinline)) void holder_init(struct holder *h, struct obj *o)
{
	h->cur = o; /* planted: obj_get(o) missing */
}
static __attribute__((noinline)) void holder_swap(struct holder *h, struct obj *o)
{
	obj_put(h->cur);
	h->cur = obj_get(o);
}
static __attribute__((noinline)) void holder_exit(struct holder *h)
{
	obj_put(h->cur);
	h->cur = NULL;
}
static __attribute__((noinline)) void slot_set(struct obj **slot, struct obj *o)
{
	obj_put(*slot);
	*slot = o ? obj_get(o) : NULL;
}

int main(void)
{
	static struct obj *slot;
	struct holder h;
	struct obj *o = obj_new(7);
	long sum = 0;

	slot_set(&slot, o);
	holder_init(&h, o);
	for (int i = 0; i < 3; i++) {
		holder_swap(&h, o);
		sum += h.cur->v;
	}
	slot_set(&slot, NULL);
	obj_put(o);
	holder_exit(&h);
	printf("%ld\n", sum);
	return 0;
}
