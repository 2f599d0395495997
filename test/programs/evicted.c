/* SPDX-License-Identifier: MIT */
/* An LRU cache of refcounted entries: the cache holds one reference per
 * entry, made with it in cache__lookup(), which hands the caller a second
 * one. cache__evict() unlinks the oldest entry without dropping the
 * cache's reference (the planted bug), and does no operation on it: the
 * leaked entries hold their birth's reference alone. The entries still
 * cached at the end are dropped by cache__clear(), a function that takes
 * nothing: their births were the container's. So the birth is named
 * where the cache made it, not the caller it was returned to, whose get
 * and put balance. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	refcount_t refs;
	int key;
	struct entry *prev, *next;
	char data[32];
};

struct cache {
	struct entry head;
	int n, max;
};

static struct entry *entry__new(int key)
{
	struct entry *e = calloc(1, sizeof(*e));
	refcount_set(&e->refs, 1);
	e->key = key;
	snprintf(e->data, sizeof(e->data), "value-%d", key);
	return e;
}

static struct entry *entry__get(struct entry *e)
{
	refcount_inc(&e->refs);
	return e;
}

static void entry__put(struct entry *e)
{
	if (e && refcount_dec_and_test(&e->refs))
		free(e);
}

static void list_unlink(struct entry *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static void list_push_front(struct cache *c, struct entry *e)
{
	e->next = c->head.next;
	e->prev = &c->head;
	c->head.next->prev = e;
	c->head.next = e;
}

static void cache__evict(struct cache *c)
{
	struct entry *old = c->head.prev;

	list_unlink(old);
	c->n--;
	/* planted: entry__put(old) missing */
}

static struct entry *cache__lookup(struct cache *c, int key)
{
	for (struct entry *e = c->head.next; e != &c->head; e = e->next)
		if (e->key == key) {
			list_unlink(e);
			list_push_front(c, e);
			return entry__get(e);
		}
	struct entry *e = entry__new(key); /* the cache's reference */
	if (c->n == c->max)
		cache__evict(c);
	list_push_front(c, e);
	c->n++;
	return entry__get(e);
}

static void cache__clear(struct cache *c)
{
	while (c->head.next != &c->head) {
		struct entry *e = c->head.next;
		list_unlink(e);
		entry__put(e);
	}
	c->n = 0;
}

static int use(struct cache *c, int key)
{
	struct entry *e = cache__lookup(c, key);
	int len = (int)strlen(e->data);
	entry__put(e);
	return len;
}

int main(void)
{
	struct cache c = { .max = 8 };
	long total = 0;
	c.head.next = c.head.prev = &c.head;
	for (int i = 0; i < 500; i++)
		total += use(&c, (i * 7) % 13 + (i / 50));
	cache__clear(&c);
	printf("%ld\n", total);
	return 0;
}
