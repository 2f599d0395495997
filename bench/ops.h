/* SPDX-License-Identifier: MIT */
/* P1: the same workload compiled against each header variant. */
#ifndef BENCH_OPS_H
#define BENCH_OPS_H

#include <stddef.h>

#define BENCH_OBJ_SIZE 64 /* one object per cache line */

#define OPS_DECLARE(v)                                                                             \
	void ops_##v##_set(void *objs, size_t n);                                                  \
	unsigned long ops_##v##_run(void *objs, size_t n, size_t rounds);                          \
	unsigned long ops_##v##_tight(void *obj, size_t iterations)

#define OPS_GLUE(v, f) ops_##v##_##f
#define OPS_NAME(v, f) OPS_GLUE(v, f)

#endif
