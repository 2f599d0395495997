/* SPDX-License-Identifier: MIT */
#ifndef _REFDEBUG_H
#define _REFDEBUG_H

/*
 * Optional calls into the refdebug runtime. All are weak: a program that uses
 * them runs without the runtime too, so check the address before calling,
 * e.g. `if (refdebug_checkpoint) mark = refdebug_checkpoint();`.
 */

#ifdef __cplusplus
extern "C" {
#endif

/* A mark: objects born after it are "new" to refdebug_report_since(). */
extern unsigned long refdebug_checkpoint(void) __attribute__((weak));

/* Reports objects born after mark and still holding references; returns their number. */
extern unsigned long refdebug_report_since(unsigned long mark) __attribute__((weak));

/* Reports every object still holding references now; returns their number. */
extern unsigned long refdebug_report(void) __attribute__((weak));

#ifdef __cplusplus
}
#endif

#endif /* _REFDEBUG_H */
