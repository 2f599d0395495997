/* SPDX-License-Identifier: MIT */
/*
 * REFCOUNT_INIT objects are adopted at first sight: balanced use is no leak,
 * an extra get is one (static storage and a heap copy of a template).
 */
#include "obj.h"
#include <string.h>

static struct obj balanced_static = { .payload = 1, .ref = REFCOUNT_INIT(1) };
static struct obj leaky_static = { .payload = 2, .ref = REFCOUNT_INIT(1) };
static const struct obj template_obj = { .payload = 3, .ref = REFCOUNT_INIT(1) };

static __attribute__((noinline)) void extra_get(struct obj *o)
{
	obj__get(o); /* never put */
}

int main(void)
{
	struct obj *copy = malloc(sizeof(*copy));

	memcpy(copy, &template_obj, sizeof(*copy));
	obj__put(obj__get(&balanced_static));
	obj__put(obj__get(copy));
	extra_get(&leaky_static);
	obj__put(copy); /* 1 -> 0: released, freed */
	return 0;
}
