/* SPDX-License-Identifier: MIT */
/* Nodes handed to a consumer thread through a queue: the producer takes a
 * reference for the queue, the consumer's handler for each message type
 * drops it. One handler forgets, and makes no operation of its own that
 * could name it: the consumer, which drops one fewer than it does for
 * every reclaimed node, is the function to name. The handler that never
 * touched the leaked node still says what the consumer normally does. */
#include "registry.h"

#include <pthread.h>

#define QLEN 16

static struct {
	struct node *items[QLEN];
	int kinds[QLEN];
	int head, tail;
	pthread_mutex_t lock;
	pthread_cond_t cond;
} q = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static __attribute__((noinline)) void queue__push(struct node *n, int kind)
{
	pthread_mutex_lock(&q.lock);
	while (q.tail - q.head == QLEN)
		pthread_cond_wait(&q.cond, &q.lock);
	q.items[q.tail % QLEN] = n ? node__get(n) : NULL;
	q.kinds[q.tail % QLEN] = kind;
	q.tail++;
	pthread_cond_broadcast(&q.cond);
	pthread_mutex_unlock(&q.lock);
}

static __attribute__((noinline)) struct node *queue__pop(int *kind)
{
	struct node *n;

	pthread_mutex_lock(&q.lock);
	while (q.tail == q.head)
		pthread_cond_wait(&q.cond, &q.lock);
	n = q.items[q.head % QLEN];
	*kind = q.kinds[q.head % QLEN];
	q.head++;
	pthread_cond_broadcast(&q.cond);
	pthread_mutex_unlock(&q.lock);
	return n;
}

static long sum;

static __attribute__((noinline)) void handle_update(struct node *n)
{
	sum += n->id;
	node__put(n);
}

static __attribute__((noinline)) void handle_rename(struct node *n)
{
	n->name[0] = 'N';
	node__put(n);
}

static __attribute__((noinline)) void handle_probe(struct node *n)
{
	if (n->id % 5 == 0)
		sum++;
	/* the planted bug: no node__put(n) */
}

static __attribute__((noinline)) void *consumer(void *arg)
{
	(void)arg;
	for (;;) {
		int kind;
		struct node *n = queue__pop(&kind);

		if (!n)
			return NULL;
		switch (kind) {
		case 0:
			handle_update(n);
			break;
		case 1:
			handle_rename(n);
			break;
		default:
			handle_probe(n);
			break;
		}
	}
}

int main(void)
{
	struct registry reg = { 0 };
	pthread_t t;

	if (pthread_create(&t, NULL, consumer, NULL))
		return 1;
	for (int i = 1; i <= 30; i++)
		node__put(node__new(&reg, i));
	for (int r = 0; r < 240; r++) {
		struct node *n = registry__find(&reg, 1 + r % 30);

		queue__push(n, r == 123 ? 2 : r % 2); /* a node's messages are all of one type */
		node__put(n);
	}
	queue__push(NULL, 0);
	pthread_join(t, NULL);
	registry__purge(&reg);
	return sum == 0;
}
