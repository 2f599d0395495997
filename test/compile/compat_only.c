/* SPDX-License-Identifier: MIT */
/* The compat adapters alone, used all through: built like header_only.c. */
#include <linux/refcount_extras.h>
#include <refcnt.h>

struct thing {
	refcount_t refcnt;
};

int compat_only_use(struct thing *t, pthread_mutex_t *lock);

int compat_only_use(struct thing *t, pthread_mutex_t *lock)
{
	int n = 0;

	refcnt__init(t, refcnt, 1);
	refcnt__init_as(t, refcnt, 1, "thing");
	refcnt__get(t, refcnt);
	n += refcnt__put(t, refcnt);
	refcount_add(2, &t->refcnt);
	n += refcount_add_not_zero(1, &t->refcnt);
	refcount_dec(&t->refcnt);
	n += refcount_dec_not_one(&t->refcnt);
	n += refcount_dec_if_one(&t->refcnt);
	if (refcount_dec_and_lock(&t->refcnt, lock))
		pthread_mutex_unlock(lock);
	refcnt__exit(t, refcnt);
	return n;
}
