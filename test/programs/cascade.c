/* SPDX-License-Identifier: MIT */
/*
 * A box holds three children and drops them when it is released. Four boxes
 * live and die normally (so refdebug learns that children are released
 * inside box__put); lose_box() takes a reference on a fifth and never drops
 * it. Only one put is missing: the box's group is the root, its three
 * children are a cascade of it, though they hold more references.
 * With an argument, no box is ever released: then the children are known
 * as the box's only by their birth inside box__new.
 */
#include <linux/refcount.h>
#include <stdlib.h>

struct child {
	refcount_t ref;
};

struct box {
	refcount_t ref;
	struct child *kids[3];
};

static __attribute__((noinline)) struct child *child__new(void)
{
	struct child *c = malloc(sizeof(*c));

	refcount_set(&c->ref, 1);
	return c;
}

static __attribute__((noinline)) void child__put(struct child *c)
{
	if (refcount_dec_and_test(&c->ref))
		free(c);
}

static __attribute__((noinline)) struct box *box__new(void)
{
	struct box *b = malloc(sizeof(*b));
	int i;

	refcount_set(&b->ref, 1);
	for (i = 0; i < 3; i++)
		b->kids[i] = child__new();
	return b;
}

static __attribute__((noinline)) void box__delete(struct box *b)
{
	int i;

	for (i = 0; i < 3; i++)
		child__put(b->kids[i]);
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
	struct box *b;
	int i;

	(void)argv;
	for (i = 0; argc == 1 && i < 4; i++) {
		b = box__new();
		box__put(box__get(b));
		box__put(b);
	}
	b = box__new();
	lose_box(b);
	box__put(b);
	return 0;
}
