/* SPDX-License-Identifier: MIT */
/* Objects that are elements of one calloc()ed array: peek() pins element
 * 3 in a global on each round and never drops it (the planted bug), and
 * the teardown drops each element's own reference and frees the array.
 * free() of a block holding an object others still reference is
 * ERROR: freed-while-referenced, at the free; the error's suspect names
 * whose references were still held: peek(), which took 4 more than it
 * dropped beyond the owner's. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct slot { long val; refcount_t ref; };

static struct slot *slots;
static struct slot *pinned;

static __attribute__((noinline)) struct slot *slot_get(struct slot *s)
{
	refcount_inc(&s->ref);
	return s;
}

static __attribute__((noinline)) void slot_put(struct slot *s)
{
	(void)refcount_dec_and_test(&s->ref); /* the array owns the memory */
}

static __attribute__((noinline)) long peek(int i)
{
	struct slot *s = slot_get(&slots[i]);
	long v = s->val;

	if (i == 3) {
		pinned = s; /* the planted bug: overwritten each round, never dropped */
		return v;
	}
	slot_put(s);
	return v;
}

static __attribute__((noinline)) void teardown(void)
{
	for (int i = 0; i < 8; i++)
		slot_put(&slots[i]);
	free(slots);
}

int main(void)
{
	long sum = 0;

	slots = calloc(8, sizeof(*slots));
	if (!slots)
		return 1;
	for (int i = 0; i < 8; i++) {
		slots[i].val = i;
		refcount_set(&slots[i].ref, 1);
	}
	for (int round = 0; round < 5; round++)
		for (int i = 0; i < 8; i++)
			sum += peek(i);
	teardown();
	printf("%ld %d\n", sum, pinned != NULL);
	return 0;
}
