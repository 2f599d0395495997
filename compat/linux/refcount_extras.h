/* SPDX-License-Identifier: MIT */
#ifndef _REFDEBUG_LINUX_REFCOUNT_EXTRAS_H
#define _REFDEBUG_LINUX_REFCOUNT_EXTRAS_H

/*
 * The kernel-side refcount_t calls that tools/include/linux/refcount.h does
 * not have, for programs that expect them: refcount_add(),
 * refcount_add_not_zero(), refcount_dec(), refcount_dec_not_one(),
 * refcount_dec_if_one() and refcount_dec_and_lock() (with a pthread mutex).
 * Each goes through the runtime when it is loaded, so it is recorded like
 * the upstream calls (as inc, inc_not_zero, dec, dec_not_one, dec_if_one);
 * without the runtime it does the same with plain atomics. Saturation at
 * UINT_MAX and REFCOUNT_WARN as in linux/refcount.h.
 */

#include <linux/refcount.h>
#include <pthread.h>

#define REFDEBUG_OP_DEC_NOT_ONE 6
#define REFDEBUG_OP_DEC_IF_ONE 7

/* The shared body of refcount_add() and refcount_add_not_zero(). */
static __refcount_inline bool __refcount_add(unsigned int i, refcount_t *r, int op)
{
	unsigned int val, next, seen;

	if (__refdebug_hooked())
		return __refcount_hooked(r, op, i, "refcount_t: saturated; leaking memory.\n");
	val = refcount_read(r);
	for (;;) {
		if (!val)
			return false;
		if (unlikely(val == UINT_MAX))
			return true;
		next = val + i < val ? UINT_MAX : val + i;
		seen = __refcount_cmpxchg(r, val, next, 0);
		if (seen == val)
			break;
		val = seen;
	}
	REFCOUNT_WARN(next == UINT_MAX, "refcount_t: saturated; leaking memory.\n");
	return true;
}

/* Adds i references unless the count is 0; true when it added. */
static __refcount_inline __refcount_check bool refcount_add_not_zero(unsigned int i, refcount_t *r)
{
	return __refcount_add(i, r, REFDEBUG_OP_INC_NOT_ZERO);
}

/* Adds i references; WARNs when the count was 0 (a use after free). */
static __refcount_inline void refcount_add(unsigned int i, refcount_t *r)
{
	REFCOUNT_WARN(!__refcount_add(i, r, REFDEBUG_OP_INC), "refcount_t: addition on 0; use-after-free.\n");
}

/* Drops a reference that is not the last one; WARNs when it was. */
static __refcount_inline void refcount_dec(refcount_t *r)
{
	REFCOUNT_WARN(refcount_dec_and_test(r), "refcount_t: decrement hit 0; leaking memory.\n");
}

/*
 * Drops a reference unless it is the last one: false (and nothing done) at
 * 1, true otherwise (a saturated count is left alone).
 */
static __refcount_inline __refcount_check bool refcount_dec_not_one(refcount_t *r)
{
	unsigned int val, seen;

	if (__refdebug_hooked())
		return __refcount_hooked(r, REFDEBUG_OP_DEC_NOT_ONE, 1, "refcount_t: underflow; use-after-free.\n");
	val = refcount_read(r);
	for (;;) {
		if (unlikely(val == UINT_MAX))
			return true;
		if (val == 1)
			return false;
		if (!val) {
			REFCOUNT_WARN(1, "refcount_t: underflow; use-after-free.\n");
			return true;
		}
		seen = __refcount_cmpxchg(r, val, val - 1, 1);
		if (seen == val)
			return true;
		val = seen;
	}
}

/* Drops the last reference only: 1 -> 0 and true, otherwise nothing and false. */
static __refcount_inline __refcount_check bool refcount_dec_if_one(refcount_t *r)
{
	if (__refdebug_hooked())
		return __refdebug_op(r, REFDEBUG_OP_DEC_IF_ONE, 1) & REFDEBUG_RESULT;
	return __refcount_cmpxchg(r, 1, 0, 1) == 1;
}

/*
 * Drops a reference; when it is the last one, returns true with lock held
 * (so that the object can be unlinked before anyone finds it again).
 */
static __refcount_inline __refcount_check bool refcount_dec_and_lock(refcount_t *r, pthread_mutex_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	pthread_mutex_lock(lock);
	if (!refcount_dec_and_test(r)) {
		pthread_mutex_unlock(lock);
		return false;
	}
	return true;
}

#endif /* _REFDEBUG_LINUX_REFCOUNT_EXTRAS_H */
