/* SPDX-License-Identifier: MIT */
/*
 * Children made outside the box and attached to it: box__attach() takes the
 * box's reference on each, box__delete() would drop them. lose_box() takes a
 * reference on the box and never drops it, and no box or child is ever
 * released, so refdebug has no release to learn from and the children's
 * birth (in main) names no box method: only that their unmatched references
 * were all taken by box__attach() makes them the box's cascade.
 */
#include <linux/refcount.h>
#include <stdlib.h>

struct child {
	refcount_t ref;
};

struct box {
	refcount_t ref;
	struct child *kids[3];
	int n;
};

static __attribute__((noinline)) struct child *child__new(void)
{
	struct child *c = malloc(sizeof(*c));

	if (!c)
		abort();
	refcount_set(&c->ref, 1);
	return c;
}

static __attribute__((noinline)) struct child *child__get(struct child *c)
{
	refcount_inc(&c->ref);
	return c;
}

static __attribute__((noinline)) void child__put(struct child *c)
{
	if (refcount_dec_and_test(&c->ref))
		free(c);
}

static __attribute__((noinline)) struct box *box__new(void)
{
	struct box *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	refcount_set(&b->ref, 1);
	return b;
}

static __attribute__((noinline)) void box__attach(struct box *b, struct child *c)
{
	b->kids[b->n++] = child__get(c);
}

static __attribute__((noinline)) void box__delete(struct box *b)
{
	while (b->n)
		child__put(b->kids[--b->n]);
	free(b);
}

static __attribute__((noinline)) void box__put(struct box *b)
{
	if (refcount_dec_and_test(&b->ref))
		box__delete(b);
}

static __attribute__((noinline)) struct box *box__get(struct box *b)
{
	refcount_inc(&b->ref);
	return b;
}

static __attribute__((noinline)) void lose_box(struct box *b)
{
	box__get(b); /* never put */
}

int main(void)
{
	struct box *b = box__new();
	int i;

	for (i = 0; i < 3; i++) {
		struct child *c = child__new();

		box__attach(b, c);
		child__put(c);
	}
	lose_box(b);
	box__put(b);
	return 0;
}
