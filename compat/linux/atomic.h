/* SPDX-License-Identifier: MIT */
/*
 * Minimal linux/atomic.h on the compiler's __atomic builtins: the operations
 * the tools tree offers on atomic_t, with its (sequentially consistent)
 * ordering for read-modify-write and plain once-accesses for read and set.
 */
#ifndef _REFDEBUG_COMPAT_LINUX_ATOMIC_H
#define _REFDEBUG_COMPAT_LINUX_ATOMIC_H

#include <linux/types.h>

#define ATOMIC_INIT(i) { (i) }

/* Like READ_ONCE(v->counter). */
static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

/* Like WRITE_ONCE(v->counter, i). */
static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic_inc(atomic_t *v)
{
	__atomic_fetch_add(&v->counter, 1, __ATOMIC_SEQ_CST);
}

/* True when the decrement reached 0. */
static inline bool atomic_dec_and_test(atomic_t *v)
{
	return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0;
}

/* Returns the value seen; stores newval only when it was oldval. */
static inline int atomic_cmpxchg(atomic_t *v, int oldval, int newval)
{
	__atomic_compare_exchange_n(&v->counter, &oldval, newval, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return oldval;
}

#endif /* _REFDEBUG_COMPAT_LINUX_ATOMIC_H */
