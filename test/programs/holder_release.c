/* SPDX-License-Identifier: MIT */
/* A holder's destructor that forgets one of its puts, as perf's
 * thread__delete() would without its maps__put(): a box takes a reference
 * to its item and to its label when it is made, and box__delete() drops
 * only the label's. Every box is released; every item keeps the reference
 * its box took. The get (box__new) is what every box does; the put missing
 * is box__delete's, which appears on no stack of a leaked item, only on
 * those of the labels it did put. */
#include "obj.h"

struct box {
	refcount_t ref;
	struct obj *item;
	struct obj *label;
};

static __attribute__((noinline)) struct box *box__new(struct obj *item, struct obj *label)
{
	struct box *b = malloc(sizeof(*b));

	if (!b)
		abort();
	b->item = obj__get(item);
	b->label = obj__get(label);
	refcount_set(&b->ref, 1);
	return b;
}

static __attribute__((noinline)) void box__delete(struct box *b)
{
	obj__put(b->label); /* and no obj__put(b->item) */
	free(b);
}

static __attribute__((noinline)) void box__put(struct box *b)
{
	if (b && refcount_dec_and_test(&b->ref))
		box__delete(b);
}

static __attribute__((noinline)) int use(struct box *b)
{
	return b->item->payload + b->label->payload;
}

int main(void)
{
	struct obj *label = obj__new();
	int i, sum = 0;

	for (i = 0; i < 3; i++) {
		struct obj *item = obj__new();
		struct box *b = box__new(item, label);

		sum += use(b);
		box__put(b);
		obj__put(item);
	}
	obj__put(label);
	return sum;
}
