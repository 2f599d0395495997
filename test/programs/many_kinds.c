/* SPDX-License-Identifier: MIT */
/* Ten refcounted types, each with its counter at an offset of its own (a
 * header of a different size before it), as a program with many kinds of
 * objects has. A bundle holds an object of the last type, and
 * bundle_delete() frees the bundle without its put: only the freed bundle,
 * still pointing at the object, says where the reference went. The runtime
 * learns a type's counter offset where its objects are set up; when it
 * told only eight types apart, the last ones were never looked for in
 * freed blocks, and bundle_new(), the get, was named. */
#include <linux/refcount.h>
#include <stdlib.h>

#define KIND(n, pad)                                                              \
	struct k##n { long head[pad]; refcount_t ref; };                          \
	static __attribute__((noinline)) struct k##n *k##n##_new(void)            \
	{                                                                         \
		struct k##n *o = calloc(1, sizeof(*o));                           \
		if (o) refcount_set(&o->ref, 1);                                  \
		return o;                                                         \
	}                                                                         \
	static __attribute__((noinline)) struct k##n *k##n##_get(struct k##n *o)  \
	{ refcount_inc(&o->ref); return o; }                                      \
	static __attribute__((noinline)) void k##n##_put(struct k##n *o)          \
	{ if (o && refcount_dec_and_test(&o->ref)) free(o); }

KIND(0, 0) KIND(1, 1) KIND(2, 2) KIND(3, 3) KIND(4, 4)
KIND(5, 5) KIND(6, 6) KIND(7, 7) KIND(8, 8) KIND(9, 9)

struct bundle { int id; struct k9 *part; };

static __attribute__((noinline)) struct bundle *bundle_new(int id, struct k9 *part)
{
	struct bundle *b = malloc(sizeof(*b));
	if (!b) return NULL;
	b->id = id;
	b->part = k9_get(part);
	return b;
}

static __attribute__((noinline)) void bundle_delete(struct bundle *b)
{
	/* BUG: no k9_put(b->part) */
	free(b);
}

#define CYCLE(n) do { struct k##n *o = k##n##_new(); k##n##_put(k##n##_get(o)); k##n##_put(o); } while (0)

int main(void)
{
	struct k9 *parts[3];
	for (int i = 0; i < 4; i++) {
		CYCLE(0); CYCLE(1); CYCLE(2); CYCLE(3); CYCLE(4);
		CYCLE(5); CYCLE(6); CYCLE(7); CYCLE(8); CYCLE(9);
	}
	for (int i = 0; i < 3; i++)
		parts[i] = k9_new();
	for (int i = 0; i < 9; i++)
		bundle_delete(bundle_new(i, parts[i % 3]));
	for (int i = 0; i < 3; i++)
		k9_put(parts[i]);
	return 0;
}
