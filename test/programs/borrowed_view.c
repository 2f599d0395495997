/* SPDX-License-Identifier: MIT */
/* Blocks that point at objects without holding a reference: a view borrows
 * its object and view__free() frees it without a put, as it should. One
 * object leaks because keep_one() takes a reference it never drops; a view
 * of it was freed too. The views freed in the reclaimed objects' lives say
 * that view__free() frees borrowed pointers: keep_one() stays suspect #1. */
#include "obj.h"

struct view {
	struct obj *borrowed;
	int offset;
};

static __attribute__((noinline)) struct view *view__new(struct obj *o, int offset)
{
	struct view *v = malloc(sizeof(*v));

	if (!v)
		abort();
	v->borrowed = o;
	v->offset = offset;
	return v;
}

static __attribute__((noinline)) void view__free(struct view *v)
{
	free(v);
}

static __attribute__((noinline)) int read_view(const struct view *v)
{
	return v->borrowed->payload + v->offset;
}

static __attribute__((noinline)) void keep_one(struct obj *o)
{
	obj__get(o);
}

int main(void)
{
	int i, sum = 0;

	for (i = 0; i < 8; i++) {
		struct obj *o = obj__new();
		struct view *v = view__new(o, i);

		sum += read_view(v);
		if (i == 5)
			keep_one(o);
		view__free(v);
		obj__put(o);
	}
	return sum == -1;
}
