/* SPDX-License-Identifier: MIT */
/* A new thread asks for its own stack (pthread_getattr_np(), which frees a
 * buffer while it holds the thread's lock, as AddressSanitizer does at
 * every thread's start) before it ever touches a refcount_t. The runtime,
 * watching that free(), must not ask for the same thread's stack from
 * inside it: that deadlocked. Clean: nothing leaks. */
#define _GNU_SOURCE
#include "obj.h"

#include <pthread.h>

static void *look_up_stack(void *arg)
{
	pthread_attr_t attr;
	size_t size = 0;
	void *base;

	(void)arg;
	for (int i = 0; i < 20; i++) {
		if (pthread_getattr_np(pthread_self(), &attr) != 0)
			abort();
		pthread_attr_getstack(&attr, &base, &size);
		pthread_attr_destroy(&attr);
	}
	return size ? NULL : arg;
}

int main(void)
{
	struct obj *o = obj__new(); /* the runtime now watches free() */
	pthread_t t;

	if (pthread_create(&t, NULL, look_up_stack, NULL) || pthread_join(t, NULL))
		abort();
	obj__put(o);
	return 0;
}
