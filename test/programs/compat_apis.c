/* SPDX-License-Identifier: MIT */
/*
 * The compat adapters under the runtime: Masami's refcnt__* API and the
 * kernel-side extras, in a small cache. One lookup path takes a reference
 * with refcnt__get() and never puts it.
 */
#include <linux/refcount_extras.h>
#include <refcnt.h>
#include <stdio.h>
#include <stdlib.h>

struct entry {
	int key;
	refcount_t refcnt;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *cache[4];

static __attribute__((noinline)) struct entry *entry__new(int key)
{
	struct entry *e = malloc(sizeof(*e));

	if (!e)
		abort();
	e->key = key;
	refcnt__init(e, refcnt, 1);
	return e;
}

/* The last reference unlinks the entry under the cache lock. */
static __attribute__((noinline)) void entry__put(struct entry *e)
{
	if (!refcount_dec_and_lock(&e->refcnt, &cache_lock))
		return;
	cache[e->key] = NULL;
	pthread_mutex_unlock(&cache_lock);
	refcnt__exit(e, refcnt);
	free(e);
}

static __attribute__((noinline)) int peek_key(struct entry *e)
{
	refcnt__get(e, refcnt);
	return e->key; /* missing entry__put(e) */
}

int main(void)
{
	int i, sum = 0;

	for (i = 0; i < 4; i++)
		cache[i] = entry__new(i);
	refcount_add(2, &cache[0]->refcnt); /* two users at once */
	if (!refcount_dec_not_one(&cache[0]->refcnt))
		return 1;
	entry__put(cache[0]);
	if (refcount_add_not_zero(1, &cache[1]->refcnt))
		refcount_dec(&cache[1]->refcnt);
	sum += peek_key(cache[2]);
	if (refcount_dec_if_one(&cache[3]->refcnt)) { /* sole owner: retire it directly */
		free(cache[3]);
		cache[3] = NULL;
	}
	for (i = 0; i < 3; i++)
		if (cache[i])
			entry__put(cache[i]);
	printf("sum %d, left %d\n", sum, cache[2] ? cache[2]->key : -1);
	return 0;
}
