/* SPDX-License-Identifier: MIT */
/*
 * A box holds three children and drops them when it is released. Four boxes
 * live and die normally (so refdebug learns that children are released
 * inside box__put); lose_box() takes a reference on a fifth and never drops
 * it. Only one put is missing: the box's group is the root, its three
 * children are a cascade of it, though they hold more references.
 * With the argument "never-released" no box is ever released: then the
 * children are known as the box's only by their birth inside box__new().
 * With "attach" no box is released either and the children are made in
 * main() and attached: only that box__attach() holds their unmatched
 * references tells whose they are.
 */
#include <linux/refcount.h>
#include <stdlib.h>
#include <string.h>

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

static __attribute__((noinline)) struct box *box__new(int with_kids)
{
	struct box *b = calloc(1, sizeof(*b));

	if (!b)
		abort();
	refcount_set(&b->ref, 1);
	while (with_kids && b->n < 3)
		b->kids[b->n++] = child__new();
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

int main(int argc, char **argv)
{
	const int attach = argc > 1 && !strcmp(argv[1], "attach");
	struct box *b;
	int i;

	for (i = 0; argc == 1 && i < 4; i++) {
		b = box__new(1);
		box__put(box__get(b));
		box__put(b);
	}
	b = box__new(!attach);
	for (i = 0; attach && i < 3; i++) {
		struct child *c = child__new();

		box__attach(b, c);
		child__put(c);
	}
	lose_box(b);
	box__put(b);
	return 0;
}
