/* SPDX-License-Identifier: MIT */
/* inspect() puts a reference it only borrowed: the object is released and
 * freed, and glibc's free list overwrites its counter, the first word of
 * the struct. The owner's next get and put touch freed memory: each is a
 * use after release, naming inspect()'s put. Then a new item is made in
 * the same memory without refcount_set() (a struct assigned from
 * REFCOUNT_INIT): allocated again, it is a new life, and no error. */
#include <linux/refcount.h>
#include <stdlib.h>

struct item {
	refcount_t refs; /* first: free() overwrites it */
	int key;
};

static struct item *table[8];

static __attribute__((noinline)) struct item *item_new(int key)
{
	struct item *it = malloc(sizeof(*it));

	if (!it)
		abort();
	refcount_set(&it->refs, 1);
	it->key = key;
	return it;
}

static __attribute__((noinline)) struct item *item_get(struct item *it)
{
	refcount_inc(&it->refs);
	return it;
}

static __attribute__((noinline)) void item_put(struct item *it)
{
	if (it && refcount_dec_and_test(&it->refs))
		free(it);
}

static __attribute__((noinline)) int show(int k)
{
	struct item *it = item_get(table[k % 8]);
	int key = it->key;

	item_put(it);
	return key;
}

static __attribute__((noinline)) int inspect(int k)
{
	struct item *it = table[k % 8]; /* borrowed: no reference */
	int key = it->key;

	item_put(it); /* the planted bug: a put without a get */
	return key;
}

int main(void)
{
	int total = 0;

	for (int i = 0; i < 8; i++)
		table[i] = item_new(i);
	for (int r = 0; r < 40; r++)
		total += show(r);
	total += inspect(3);
	total += show(3) > 100; /* the owner's get and put: freed memory */
	{
		struct item *fresh = malloc(sizeof(*fresh));

		if (!fresh)
			abort();
		*fresh = (struct item){ .refs = REFCOUNT_INIT(1), .key = 99 };
		item_get(fresh);
		item_put(fresh);
		item_put(fresh);
	}
	for (int i = 0; i < 8; i++)
		if (i != 3)
			item_put(table[i]);
	return total == 0;
}
