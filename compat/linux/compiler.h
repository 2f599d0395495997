/* SPDX-License-Identifier: MIT */
/*
 * Minimal linux/compiler.h: the annotations refcount.h needs. No noinline or
 * other bare-word macros: they would rewrite C++ code's own __attribute__s.
 */
#ifndef _REFDEBUG_COMPAT_LINUX_COMPILER_H
#define _REFDEBUG_COMPAT_LINUX_COMPILER_H

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#ifndef __must_check
#define __must_check __attribute__((warn_unused_result))
#endif
#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif

#endif /* _REFDEBUG_COMPAT_LINUX_COMPILER_H */
