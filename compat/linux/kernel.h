/* SPDX-License-Identifier: MIT */
/*
 * Minimal linux/kernel.h: BUG_ON() as the tools tree defines it (an assert,
 * silent under NDEBUG), UINT_MAX and ARRAY_SIZE. Deliberately without the
 * tools tree's min()/max() macros, which break C++ standard headers.
 */
#ifndef _REFDEBUG_COMPAT_LINUX_KERNEL_H
#define _REFDEBUG_COMPAT_LINUX_KERNEL_H

#include <assert.h>
#include <limits.h>
#include <linux/compiler.h>
#include <linux/types.h>

#ifndef BUG_ON
#ifdef NDEBUG
#define BUG_ON(cond) do { if (cond) {} } while (0)
#else
#define BUG_ON(cond) assert(!(cond))
#endif
#endif
#ifndef BUG
#define BUG() BUG_ON(1)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* _REFDEBUG_COMPAT_LINUX_KERNEL_H */
