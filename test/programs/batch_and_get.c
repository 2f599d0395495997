/* SPDX-License-Identifier: MIT */
/* A batch put that is right, beside a get that is never put: the batch put
 * leaves the object alive too, but the unmatched get is the culprit. */
#include "obj.h"

static __attribute__((noinline)) void drop_readers(struct obj *o, unsigned int readers)
{
	if (refcount_sub_and_test(readers, &o->ref))
		free(o);
}

static __attribute__((noinline)) void pin_for_later(struct obj *o)
{
	obj__get(o); /* never put */
}

int main(void)
{
	struct obj *a = obj__new();
	struct obj *b = obj__new();

	refcount_set(&a->ref, 3); /* the owner and two readers */
	refcount_set(&b->ref, 3);
	pin_for_later(a);
	drop_readers(a, 2);
	drop_readers(b, 2);
	obj__put(a);
	obj__put(b);
	return 0;
}
