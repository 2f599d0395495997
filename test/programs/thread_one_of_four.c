/* SPDX-License-Identifier: MIT */
/* Four threads share the work; only worker 2 forgets a put. */
#include "obj.h"
#include <pthread.h>
static struct obj *objs[4];
static __attribute__((noinline)) void work(struct obj *o) { obj__put(obj__get(o)); }
static __attribute__((noinline)) void work_and_forget(struct obj *o) { obj__get(o); }
static void *worker(void *arg)
{
	long me = (long)arg;
	int i;

	for (i = 0; i < 1000; i++)
		work(objs[me]);
	if (me == 2)
		work_and_forget(objs[me]);
	return NULL;
}
int main(void)
{
	pthread_t t[4];
	long i;

	for (i = 0; i < 4; i++)
		objs[i] = obj__new();
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 4; i++)
		obj__put(objs[i]);
	return 0;
}
