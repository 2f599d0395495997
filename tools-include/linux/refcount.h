/* SPDX-License-Identifier: MIT */
#ifndef _TOOLS_LINUX_REFCOUNT_H
#define _TOOLS_LINUX_REFCOUNT_H

/*
 * refcount_t for the kernel's tools/ tree, with refdebug's recording hooks.
 *
 * A drop-in for tools/include/linux/refcount.h: the same names, the same
 * layout (one atomic_t), the same results. The count saturates at UINT_MAX
 * and then never moves again, so a counter that would wrap leaks its object
 * instead of freeing it while it is still in use.
 *
 * Memory ordering is only what reference counting needs. Increments are
 * relaxed: whoever hands out the pointer (a lock, a dependent load) already
 * orders them. inc_not_zero orders later stores through its control
 * dependency: nothing is written to an object unless a reference was really
 * taken. Decrements are release-ordered, so every access made under the
 * reference is done before the count drops; the decrement that reaches 0
 * also acquires (as the kernel's does), so the caller's free() and cleanup
 * see every earlier holder's writes (a control dependency alone is not a
 * guarantee the C model or ThreadSanitizer accepts). Ordering between free()
 * and the next allocation is the allocator's business.
 *
 * refdebug: with REFDEBUG on (the default), each operation other than a
 * read calls refdebug_refcount_op() when the runtime (librefdebug.so) is
 * loaded, linked or preloaded. The runtime performs the operation itself,
 * under the lock that guards the object's record, and returns what the code
 * below would have returned; the REFCOUNT_WARN reactions stay here. Without
 * the runtime the hook's address is null and the code below runs: one
 * predictable branch. -DREFDEBUG=0 removes the hooks altogether.
 */

#include <linux/atomic.h>
#include <linux/kernel.h>

#ifndef REFDEBUG
#define REFDEBUG 1
#endif

#ifdef NDEBUG
#define REFCOUNT_WARN(cond, str) (void)(cond)
#define __refcount_check
#else
#define REFCOUNT_WARN(cond, str) BUG_ON(cond)
#define __refcount_check __must_check
#endif

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#ifdef __cplusplus
#define REFCOUNT_INIT(n) { ATOMIC_INIT(n) }
#else
#define REFCOUNT_INIT(n) { .refs = ATOMIC_INIT(n), }
#endif

/* Operations as the runtime records them (values shared with the runtime). */
#define REFDEBUG_OP_SET 1
#define REFDEBUG_OP_INC 2
#define REFDEBUG_OP_INC_NOT_ZERO 3
#define REFDEBUG_OP_DEC 4
#define REFDEBUG_OP_SUB 5

/* Bits of the hook's result. */
#define REFDEBUG_RESULT 1 /* the operation's own boolean result */
#define REFDEBUG_WARN 2 /* upstream's REFCOUNT_WARN in this function fires */

#if REFDEBUG

#ifdef __cplusplus
extern "C" {
#endif
/* Performs op (with argument arg) on r and records it; null without the runtime. */
extern int refdebug_refcount_op(struct refcount_struct *r, int op, unsigned int arg)
	__attribute__((weak));
#ifdef __cplusplus
}
#endif

#define __refdebug_hooked() (refdebug_refcount_op != 0)
#define __refdebug_op(r, op, arg) refdebug_refcount_op((r), (op), (arg))
/* Always inlined, so recorded stacks start at the caller even at -O0. */
#define __refcount_inline inline __attribute__((__always_inline__))
#else
#define __refdebug_hooked() 0
#define __refdebug_op(r, op, arg) ((void)(r), (void)(op), (void)(arg), 0)
#define __refcount_inline inline
#endif

/*
 * Compare-and-swap on the counter; returns the value seen before. A
 * decrement is release-ordered, and acquires too, so that whoever frees the
 * object when it reaches 0 sees every earlier holder's writes to it. One
 * ordering for every decrement, as upstream's single cmpxchg has (its tools
 * atomics are full barriers): no test of the new value before the swap.
 * `release` is a constant at every call, so the choice costs nothing.
 */
static __refcount_inline unsigned int __refcount_cmpxchg(refcount_t *r, unsigned int expected,
					      unsigned int desired, int release)
{
	int seen = (int)expected;

	if (release)
		__atomic_compare_exchange_n(&r->refs.counter, &seen, (int)desired, 0,
					    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	else
		__atomic_compare_exchange_n(&r->refs.counter, &seen, (int)desired, 0,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	return (unsigned int)seen;
}

/*
 * Hands op to the runtime, which performs and records it; upstream's
 * REFCOUNT_WARN for the calling function fires here when the runtime says
 * it would have (warning names it, as upstream's message does).
 */
static __refcount_inline bool __refcount_hooked(refcount_t *r, int op, unsigned int arg,
					 const char *warning)
{
	int res = __refdebug_op(r, op, arg);

	(void)warning;
	REFCOUNT_WARN(res & REFDEBUG_WARN, warning);
	return res & REFDEBUG_RESULT;
}

/* Like atomic_set(), but recorded as the start of the object's life. */
static __refcount_inline void refcount_set(refcount_t *r, unsigned int n)
{
	if (__refdebug_hooked()) {
		(void)__refdebug_op(r, REFDEBUG_OP_SET, n);
		return;
	}
	atomic_set(&r->refs, (int)n);
}

/* Like atomic_read(); never recorded. */
static __refcount_inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

/* The shared body of refcount_inc() and refcount_inc_not_zero(). */
static __refcount_inline bool __refcount_inc(refcount_t *r, int op)
{
	unsigned int val, next, seen;

	if (__refdebug_hooked())
		return __refcount_hooked(r, op, 1, "refcount_t: saturated; leaking memory.\n");
	val = refcount_read(r);
	for (;;) {
		next = val + 1;
		if (!val)
			return false;
		if (unlikely(!next))
			return true; /* saturated: stays at UINT_MAX */
		seen = __refcount_cmpxchg(r, val, next, 0);
		if (seen == val)
			break;
		val = seen;
	}
	REFCOUNT_WARN(next == UINT_MAX, "refcount_t: saturated; leaking memory.\n");
	return true;
}

/*
 * Like atomic_inc_not_zero(), but saturates at UINT_MAX (and WARNs there).
 * No ordering beyond the control dependency described at the top.
 */
static __refcount_inline __refcount_check bool refcount_inc_not_zero(refcount_t *r)
{
	return __refcount_inc(r, REFDEBUG_OP_INC_NOT_ZERO);
}

/*
 * Like atomic_inc(), but saturates at UINT_MAX; WARNs when the count was 0,
 * since the caller should already hold a reference.
 */
static __refcount_inline void refcount_inc(refcount_t *r)
{
	REFCOUNT_WARN(!__refcount_inc(r, REFDEBUG_OP_INC),
		      "refcount_t: increment on 0; use-after-free.\n");
}

/* The shared body of refcount_sub_and_test() and refcount_dec_and_test(). */
static __refcount_inline bool __refcount_sub(unsigned int i, refcount_t *r, int op)
{
	unsigned int val, next, seen;

	if (__refdebug_hooked())
		return __refcount_hooked(r, op, i, "refcount_t: underflow; use-after-free.\n");
	val = refcount_read(r);
	for (;;) {
		if (unlikely(val == UINT_MAX))
			return false; /* saturated: never released */
		next = val - i;
		if (next > val) {
			REFCOUNT_WARN(next > val, "refcount_t: underflow; use-after-free.\n");
			return false;
		}
		seen = __refcount_cmpxchg(r, val, next, 1);
		if (seen == val)
			break;
		val = seen;
	}
	return !next;
}

/*
 * Like atomic_sub_and_test(), but WARNs on underflow and leaves a saturated
 * count alone. Release-ordered (acquiring too when it reaches 0); true when
 * the count reached 0.
 */
static __refcount_inline __refcount_check bool refcount_sub_and_test(unsigned int i, refcount_t *r)
{
	return __refcount_sub(i, r, REFDEBUG_OP_SUB);
}

/* Like atomic_dec_and_test(), with refcount_sub_and_test()'s rules. */
static __refcount_inline __refcount_check bool refcount_dec_and_test(refcount_t *r)
{
	return __refcount_sub(1, r, REFDEBUG_OP_DEC);
}

#endif /* _TOOLS_LINUX_REFCOUNT_H */
