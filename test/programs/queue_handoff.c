/* SPDX-License-Identifier: MIT */
/* Messages handed to a consumer thread through a queue: the producer makes
 * each message, the queue takes a reference for the consumer, and the
 * producer drops its own. The consumer's handler drops the queue's
 * reference, except for one message type (planted), and makes no
 * operation on those at all. Counted net, each leaked message holds one
 * reference as its birth and as the queue's get alike; read as a
 * container's lost birth (a purge dropping it in the reclaimed ones), the
 * producer's make was named. In every reclaimed message the reference the
 * queue took was dropped on the consumer thread, by the routine it started
 * in: the handler, which dropped none of the leaked ones, is named. */
#include <linux/refcount.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct msg { int type; refcount_t ref; };

static __attribute__((noinline)) struct msg *msg_get(struct msg *m)
{
	refcount_inc(&m->ref);
	return m;
}

static __attribute__((noinline)) void msg_put(struct msg *m)
{
	if (refcount_dec_and_test(&m->ref))
		free(m);
}

#define QN 64
static struct msg *queue[QN];
static int head, tail, done;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

static __attribute__((noinline)) void enqueue(struct msg *m)
{
	pthread_mutex_lock(&lock);
	while ((tail + 1) % QN == head)
		pthread_cond_wait(&changed, &lock);
	queue[tail] = msg_get(m); /* the consumer's reference */
	tail = (tail + 1) % QN;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
}

static __attribute__((noinline)) struct msg *dequeue(void)
{
	struct msg *m = NULL;

	pthread_mutex_lock(&lock);
	while (head == tail && !done)
		pthread_cond_wait(&changed, &lock);
	if (head != tail) {
		m = queue[head];
		head = (head + 1) % QN;
		pthread_cond_broadcast(&changed);
	}
	pthread_mutex_unlock(&lock);
	return m;
}

static long total;

static __attribute__((noinline)) void handle(struct msg *m)
{
	total += m->type;
	if (m->type == 5)
		return; /* the planted bug: no msg_put(m) */
	msg_put(m);
}

static void *consumer(void *arg)
{
	struct msg *m;

	(void)arg;
	while ((m = dequeue()))
		handle(m);
	return NULL;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, consumer, NULL))
		return 1;
	for (int i = 0; i < 140; i++) {
		struct msg *m = calloc(1, sizeof(*m));

		if (!m)
			abort();
		m->type = i % 7;
		refcount_set(&m->ref, 1);
		enqueue(m);
		msg_put(m);
	}
	pthread_mutex_lock(&lock);
	done = 1;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	pthread_join(t, NULL);
	printf("%ld\n", total);
	return 0;
}
