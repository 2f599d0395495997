/* SPDX-License-Identifier: MIT */
/*
 * P1, the runtime absent: operations per second of the swapped header
 * (hooks compiled in, no runtime loaded) and of REFDEBUG=0, as ratios
 * against upstream's tools/include/linux/refcount.h when the build was given
 * a kernel tree (bench/run extracts one), else against REFDEBUG=0.
 * Variants run interleaved, best of several rounds each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ops.h"

OPS_DECLARE(swapped);
OPS_DECLARE(off);
#ifdef HAVE_UPSTREAM
OPS_DECLARE(upstream);
#endif

struct variant {
	const char *name;
	void (*set)(void *, size_t);
	unsigned long (*run)(void *, size_t, size_t);
	unsigned long (*tight)(void *, size_t);
	double best, best_tight; /* seconds */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void)
{
	enum { N = 1024, ROUNDS = 4000, REPEATS = 9, OPS_PER_STEP = 5, TIGHT = 20000000 };
	struct variant v[] = {
#ifdef HAVE_UPSTREAM
		{"upstream", ops_upstream_set, ops_upstream_run, ops_upstream_tight, 1e9, 1e9},
#endif
		{"swapped, no runtime", ops_swapped_set, ops_swapped_run, ops_swapped_tight, 1e9, 1e9},
		{"REFDEBUG=0", ops_off_set, ops_off_run, ops_off_tight, 1e9, 1e9},
	};
	const size_t nv = sizeof(v) / sizeof(v[0]);
	void *objs = aligned_alloc(64, (size_t)N * BENCH_OBJ_SIZE);
	unsigned long check = 0;
	size_t i, r;

	if (!objs)
		return 1;
	for (r = 0; r < REPEATS; r++) {
		for (i = 0; i < nv; i++) {
			double t;

			v[i].set(objs, N);
			t = now();
			check += v[i].run(objs, N, ROUNDS);
			t = now() - t;
			if (t < v[i].best)
				v[i].best = t;
			v[i].set(objs, 1);
			t = now();
			check += v[i].tight(objs, TIGHT);
			t = now() - t;
			if (t < v[i].best_tight)
				v[i].best_tight = t;
		}
	}
	printf("P1 runtime absent: %d objects x %d rounds x %d operations, best of %d\n", N, ROUNDS,
	       OPS_PER_STEP, REPEATS);
	for (i = 0; i < nv; i++)
		printf("  %-22s %8.1f Mop/s  %.3fx %s\n", v[i].name,
		       (double)N * ROUNDS * OPS_PER_STEP / v[i].best / 1e6, v[0].best / v[i].best, v[0].name);
	printf("P1 runtime absent, tight loop: refcount_inc + refcount_dec_and_test on one object, %d times, best of %d\n",
	       TIGHT, REPEATS);
	for (i = 0; i < nv; i++)
		printf("  %-22s %8.1f Mop/s  %.3fx %s\n", v[i].name, 2.0 * TIGHT / v[i].best_tight / 1e6,
		       v[0].best_tight / v[i].best_tight, v[0].name);
	free(objs);
	return check == 0; /* keeps the work observable */
}
