/* SPDX-License-Identifier: MIT */
/*
 * Built at -O2: the get/put wrappers are static inline, and so is the
 * culprit. peek() takes a reference and forgets to drop it; it is inlined
 * into scan(), which also calls the balanced look(). Suspect #1 must name
 * peek, an inlined frame, not scan (the only function left in the binary).
 */
#include <linux/refcount.h>
#include <stdlib.h>

struct item {
	int payload;
	refcount_t ref;
};

static inline struct item *item__get(struct item *it)
{
	refcount_inc(&it->ref);
	return it;
}

static inline void item__put(struct item *it)
{
	if (it && refcount_dec_and_test(&it->ref))
		free(it);
}

static __attribute__((noinline)) struct item *item__new(int payload)
{
	struct item *it = malloc(sizeof(*it));

	if (!it)
		abort();
	it->payload = payload;
	refcount_set(&it->ref, 1);
	return it;
}

static inline __attribute__((always_inline)) int look(struct item *it)
{
	struct item *held = item__get(it);
	int v = held->payload;

	item__put(held);
	return v;
}

static inline __attribute__((always_inline)) int peek(struct item *it)
{
	struct item *held = item__get(it);

	return held->payload; /* forgets item__put(held) */
}

static __attribute__((noinline)) int scan(struct item **items, int n)
{
	int i, sum = 0;

	for (i = 0; i < n; i++)
		sum += i == n - 1 ? peek(items[i]) : look(items[i]);
	return sum;
}

int main(void)
{
	struct item *items[6];
	int i, sum;

	for (i = 0; i < 6; i++)
		items[i] = item__new(i);
	sum = scan(items, 6);
	for (i = 0; i < 6; i++)
		item__put(items[i]);
	return sum == 15 ? 0 : 1;
}
