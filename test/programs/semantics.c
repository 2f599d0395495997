/* SPDX-License-Identifier: MIT */
/*
 * Every operation's result, resulting count and REFCOUNT_WARN on edge
 * values, against upstream's documented behaviour (the table is written by
 * hand from it). Run with and without the runtime: both must pass.
 */
#include <stdio.h>

static int warned; /* REFCOUNT_WARN conditions seen */
#define BUG_ON(cond) ((void)((cond) ? warned++ : 0))

#include <linux/refcount.h>
#include <linux/refcount_extras.h>

enum op { SET, INC, INC_NOT_ZERO, DEC, SUB, ADD, ADD_NOT_ZERO, DEC_PLAIN, DEC_NOT_ONE, DEC_IF_ONE, DEC_AND_LOCK };

struct row {
	enum op op;
	unsigned int start, arg; /* count before; n for SET, i for SUB */
	int result;              /* boolean result (-1: none) */
	unsigned int count;      /* count after */
	int warn;                /* REFCOUNT_WARN fired */
};

#define IMAX 2147483647u
#define UMAX 4294967295u

static const struct row rows[] = {
	/* refcount_set / refcount_read */
	{ SET, 5, 0, -1, 0, 0 },
	{ SET, 0, 1, -1, 1, 0 },
	{ SET, 0, UMAX, -1, UMAX, 0 },
	/* refcount_inc_not_zero: 0 fails, UINT_MAX sticks, reaching UINT_MAX warns */
	{ INC_NOT_ZERO, 0, 0, 0, 0, 0 },
	{ INC_NOT_ZERO, 1, 0, 1, 2, 0 },
	{ INC_NOT_ZERO, 2, 0, 1, 3, 0 },
	{ INC_NOT_ZERO, IMAX, 0, 1, IMAX + 1, 0 },
	{ INC_NOT_ZERO, IMAX + 1, 0, 1, IMAX + 2, 0 },
	{ INC_NOT_ZERO, UMAX - 2, 0, 1, UMAX - 1, 0 },
	{ INC_NOT_ZERO, UMAX - 1, 0, 1, UMAX, 1 },
	{ INC_NOT_ZERO, UMAX, 0, 1, UMAX, 0 },
	/* refcount_inc: like inc_not_zero, but 0 warns */
	{ INC, 0, 0, -1, 0, 1 },
	{ INC, 1, 0, -1, 2, 0 },
	{ INC, 2, 0, -1, 3, 0 },
	{ INC, IMAX, 0, -1, IMAX + 1, 0 },
	{ INC, IMAX + 1, 0, -1, IMAX + 2, 0 },
	{ INC, UMAX - 2, 0, -1, UMAX - 1, 0 },
	{ INC, UMAX - 1, 0, -1, UMAX, 1 },
	{ INC, UMAX, 0, -1, UMAX, 0 },
	/* refcount_dec_and_test: 0 underflows, UINT_MAX never moves */
	{ DEC, 0, 0, 0, 0, 1 },
	{ DEC, 1, 0, 1, 0, 0 },
	{ DEC, 2, 0, 0, 1, 0 },
	{ DEC, IMAX, 0, 0, IMAX - 1, 0 },
	{ DEC, IMAX + 1, 0, 0, IMAX, 0 },
	{ DEC, UMAX - 2, 0, 0, UMAX - 3, 0 },
	{ DEC, UMAX - 1, 0, 0, UMAX - 2, 0 },
	{ DEC, UMAX, 0, 0, UMAX, 0 },
	/* refcount_sub_and_test: 0, 1, the value, more than it, UINT_MAX */
	{ SUB, 0, 0, 1, 0, 0 },
	{ SUB, 1, 0, 0, 1, 0 },
	{ SUB, 2, 0, 0, 2, 0 },
	{ SUB, 0, 1, 0, 0, 1 },
	{ SUB, 1, 1, 1, 0, 0 },
	{ SUB, 2, 1, 0, 1, 0 },
	{ SUB, 2, 2, 1, 0, 0 },
	{ SUB, 2, 3, 0, 2, 1 },
	{ SUB, IMAX, IMAX, 1, 0, 0 },
	{ SUB, IMAX + 1, IMAX, 0, 1, 0 },
	{ SUB, IMAX, IMAX + 1, 0, IMAX, 1 },
	{ SUB, UMAX - 2, 1, 0, UMAX - 3, 0 },
	{ SUB, UMAX - 1, UMAX - 1, 1, 0, 0 },
	{ SUB, UMAX - 1, UMAX, 0, UMAX - 1, 1 },
	{ SUB, UMAX, 1, 0, UMAX, 0 },
	{ SUB, UMAX, UMAX, 0, UMAX, 0 },
	{ SUB, 5, UMAX, 0, 5, 1 },
	/* compat: refcount_add: 0 warns, reaching or passing UINT_MAX saturates and warns */
	{ ADD, 0, 2, -1, 0, 1 },
	{ ADD, 1, 2, -1, 3, 0 },
	{ ADD, UMAX - 3, 3, -1, UMAX, 1 },
	{ ADD, UMAX - 1, 5, -1, UMAX, 1 },
	{ ADD, UMAX, 1, -1, UMAX, 0 },
	/* refcount_add_not_zero: 0 fails quietly */
	{ ADD_NOT_ZERO, 0, 3, 0, 0, 0 },
	{ ADD_NOT_ZERO, 2, 3, 1, 5, 0 },
	{ ADD_NOT_ZERO, UMAX - 1, 1, 1, UMAX, 1 },
	{ ADD_NOT_ZERO, UMAX, 2, 1, UMAX, 0 },
	/* refcount_dec: hitting 0 warns, so does an underflow */
	{ DEC_PLAIN, 2, 0, -1, 1, 0 },
	{ DEC_PLAIN, 1, 0, -1, 0, 1 },
	{ DEC_PLAIN, 0, 0, -1, 0, 1 },
	{ DEC_PLAIN, UMAX, 0, -1, UMAX, 0 },
	/* refcount_dec_not_one: false at 1, true otherwise; 0 underflows */
	{ DEC_NOT_ONE, 0, 0, 1, 0, 1 },
	{ DEC_NOT_ONE, 1, 0, 0, 1, 0 },
	{ DEC_NOT_ONE, 2, 0, 1, 1, 0 },
	{ DEC_NOT_ONE, UMAX, 0, 1, UMAX, 0 },
	/* refcount_dec_if_one: only 1 -> 0 */
	{ DEC_IF_ONE, 0, 0, 0, 0, 0 },
	{ DEC_IF_ONE, 1, 0, 1, 0, 0 },
	{ DEC_IF_ONE, 2, 0, 0, 2, 0 },
	/* refcount_dec_and_lock: true, with the lock held, for the last reference */
	{ DEC_AND_LOCK, 1, 0, 1, 0, 0 },
	{ DEC_AND_LOCK, 2, 0, 0, 1, 0 },
	{ DEC_AND_LOCK, 0, 0, 0, 0, 1 },
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static refcount_t counters[sizeof(rows) / sizeof(rows[0])];

int main(void)
{
	static const refcount_t initialized = REFCOUNT_INIT(7);
	unsigned int i, failed = 0;

	if (sizeof(refcount_t) != sizeof(int) || refcount_read(&initialized) != 7) {
		printf("layout or REFCOUNT_INIT wrong\n");
		return 1;
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *w = &rows[i];
		refcount_t *r = &counters[i];
		int result = -1, before;

		refcount_set(r, w->start);
		before = warned;
		switch (w->op) {
		case SET:
			refcount_set(r, w->arg);
			break;
		case INC:
			refcount_inc(r);
			break;
		case INC_NOT_ZERO:
			result = refcount_inc_not_zero(r);
			break;
		case DEC:
			result = refcount_dec_and_test(r);
			break;
		case SUB:
			result = refcount_sub_and_test(w->arg, r);
			break;
		case ADD:
			refcount_add(w->arg, r);
			break;
		case ADD_NOT_ZERO:
			result = refcount_add_not_zero(w->arg, r);
			break;
		case DEC_PLAIN:
			refcount_dec(r);
			break;
		case DEC_NOT_ONE:
			result = refcount_dec_not_one(r);
			break;
		case DEC_IF_ONE:
			result = refcount_dec_if_one(r);
			break;
		case DEC_AND_LOCK:
			result = refcount_dec_and_lock(r, &lock);
			/* held exactly when it returned true */
			if (pthread_mutex_trylock(&lock) == 0) {
				if (result)
					result = 2; /* reported as a mismatch below */
				pthread_mutex_unlock(&lock);
			} else if (result) {
				pthread_mutex_unlock(&lock);
			}
			break;
		default:
			break;
		}
		if (result != w->result || refcount_read(r) != w->count || (warned - before) != w->warn) {
			printf("row %u: op %d start %u arg %u: result %d count %u warn %d, expected %d %u %d\n",
			       i, (int)w->op, w->start, w->arg, result, refcount_read(r), warned - before,
			       w->result, w->count, w->warn);
			failed++;
		}
	}
	printf("%u passed, %u failed\n", (unsigned int)(sizeof(rows) / sizeof(rows[0])) - failed, failed);
	return failed != 0;
}
