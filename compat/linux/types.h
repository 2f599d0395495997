/* SPDX-License-Identifier: MIT */
/*
 * Minimal linux/types.h for code built outside a kernel tree: the fixed-width
 * kernel names and atomic_t, clean in C and C++.
 */
#ifndef _REFDEBUG_COMPAT_LINUX_TYPES_H
#define _REFDEBUG_COMPAT_LINUX_TYPES_H

#ifndef __cplusplus
#include <stdbool.h>
#endif
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* An int that is only accessed atomically (the tools tree's layout). */
typedef struct {
	int counter;
} atomic_t;

#endif /* _REFDEBUG_COMPAT_LINUX_TYPES_H */
