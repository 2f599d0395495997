/* SPDX-License-Identifier: MIT */
/*
 * Four threads hand objects to each other through a mailbox; sender and
 * receiver both drop their reference, so either may free the object, and
 * malloc() hands the same memory out again at once. Every object is
 * released: any report is a false one.
 */
#include "obj.h"
#include <pthread.h>

#define THREADS 4
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct obj *mailbox[THREADS];

static __attribute__((noinline)) void send_to(int to, struct obj *o)
{
	struct obj *old;

	pthread_mutex_lock(&lock);
	old = mailbox[to];
	mailbox[to] = o;
	pthread_mutex_unlock(&lock);
	obj__put(old); /* an unread message is dropped */
}

static __attribute__((noinline)) struct obj *receive(int me)
{
	struct obj *o;

	pthread_mutex_lock(&lock);
	o = mailbox[me];
	mailbox[me] = NULL;
	pthread_mutex_unlock(&lock);
	return o;
}

static void *worker(void *arg)
{
	int me = (int)(long)arg, i;

	for (i = 0; i < ROUNDS; i++) {
		struct obj *o = obj__new();
		struct obj *in;

		send_to((me + 1 + i % (THREADS - 1)) % THREADS, obj__get(o));
		obj__put(o); /* the receiver may hold the last reference now */
		in = receive(me);
		if (in) {
			struct obj *extra;

			if (refcount_inc_not_zero(&in->ref)) {
				extra = in;
				obj__put(extra);
			}
			obj__put(in);
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	int i;

	for (i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(long)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < THREADS; i++)
		obj__put(mailbox[i]);
	return 0;
}
