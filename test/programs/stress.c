/* SPDX-License-Identifier: MIT */
/*
 * Stress: 8 threads mixing hand-offs (either side may drop the last
 * reference), immediate reuse of freed addresses, sole owners freeing without
 * a put, and inc_not_zero racing the final put on objects in static storage.
 * Every refcount call is counted, so the test can check that the runtime
 * recorded each one: STATS objects == sets, events == operations + frees.
 * usage: stress [iterations per thread]
 */
#include "obj.h"
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 8
#define MAILBOXES 4
#define SLOTS (2 * THREADS)

struct counts {
	unsigned long ops, sets, frees;
};

static struct counts counts[THREADS + 1]; /* the last one is main's */
static struct obj *mailbox[MAILBOXES];
static struct obj pool[SLOTS]; /* static storage, reused life after life */
static long iterations = 25000;

static void put(struct obj *o, struct counts *c)
{
	c->ops++;
	if (refcount_dec_and_test(&o->ref)) {
		free(o);
		c->frees++;
	}
}

static void *work(void *arg)
{
	unsigned int t = (unsigned int)(uintptr_t)arg, seed = t * 2654435761u + 1;
	struct counts *c = &counts[t];
	int holding[2] = { 0, 0 };
	long i;

	for (i = 0; i < iterations; i++) {
		struct obj *o = malloc(sizeof(*o)), *old;
		unsigned int s;
		int k;

		if (!o)
			abort();
		/* hand-off: one reference for us, one for whoever takes it */
		refcount_set(&o->ref, 2);
		c->sets++;
		c->ops++;
		old = __atomic_exchange_n(&mailbox[i % MAILBOXES], o, __ATOMIC_ACQ_REL);
		if (old)
			put(old, c);
		put(o, c);

		/* a sole owner frees without a put; the next malloc reuses it */
		o = malloc(sizeof(*o));
		if (!o)
			abort();
		refcount_set(&o->ref, 1);
		c->sets++;
		c->ops++;
		free(o);
		c->frees++;

		/* inc_not_zero racing the owner's final put on static objects */
		for (k = 0; k < 2; k++) {
			struct obj *p = &pool[t * 2 + k];

			if (!holding[k] && refcount_read(&p->ref) == 0) {
				refcount_set(&p->ref, 1);
				c->sets++;
				c->ops++;
				holding[k] = 1;
			} else if (holding[k] && (i & 3) == 0) {
				c->ops++;
				(void)refcount_dec_and_test(&p->ref);
				holding[k] = 0;
			}
		}
		seed = seed * 1103515245u + 12345u;
		s = (seed >> 16) % SLOTS;
		c->ops++;
		if (refcount_inc_not_zero(&pool[s].ref)) {
			c->ops++;
			(void)refcount_dec_and_test(&pool[s].ref);
		}
	}
	for (i = 0; i < 2; i++) {
		if (holding[i]) {
			c->ops++;
			(void)refcount_dec_and_test(&pool[t * 2 + i].ref);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t threads[THREADS];
	struct counts total = { 0, 0, 0 };
	int i;

	if (argc > 1)
		iterations = atol(argv[1]);
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&threads[i], NULL, work, (void *)(uintptr_t)i) != 0)
			return 1;
	for (i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	for (i = 0; i < MAILBOXES; i++)
		if (mailbox[i])
			put(mailbox[i], &counts[THREADS]);
	for (i = 0; i <= THREADS; i++) {
		total.ops += counts[i].ops;
		total.sets += counts[i].sets;
		total.frees += counts[i].frees;
	}
	printf("ops %lu sets %lu frees %lu\n", total.ops, total.sets, total.frees);
	return 0;
}
