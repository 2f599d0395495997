/* SPDX-License-Identifier: MIT */
/* A request handed to worker threads through pthread_create()'s argument:
 * the spawner takes a reference for each worker; a worker that finds the
 * request cancelled returns early without dropping it (planted), and
 * makes no operation on it at all. In every reclaimed request the
 * workers dropped what the spawner took for them: a reference handed to
 * another thread is that thread's to drop, and the worker is named. */
#include <linux/refcount.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct request { refcount_t refs; int id; int cancelled; long result; };
static struct request *req_get(struct request *r) { refcount_inc(&r->refs); return r; }
static void req_put(struct request *r) { if (refcount_dec_and_test(&r->refs)) free(r); }
static struct request *req_new(int id) { struct request *r = calloc(1, sizeof(*r)); refcount_set(&r->refs, 1); r->id = id; r->cancelled = id % 5 == 0; return r; }

static void *worker(void *arg)
{
	struct request *r = arg;
	if (r->cancelled)
		return NULL; /* planted: req_put(r) missing */
	__atomic_add_fetch(&r->result, r->id, __ATOMIC_RELAXED);
	req_put(r);
	return NULL;
}
int main(void)
{
	long sum = 0;
	for (int i = 1; i <= 20; i++) {
		struct request *r = req_new(i);
		pthread_t t[3];
		for (int k = 0; k < 3; k++)
			pthread_create(&t[k], NULL, worker, req_get(r));
		for (int k = 0; k < 3; k++)
			pthread_join(t[k], NULL);
		sum += r->result;
		req_put(r);
	}
	printf("%ld\n", sum);
	return 0;
}
