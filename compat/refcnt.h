/* SPDX-License-Identifier: MIT */
#ifndef _REFDEBUG_REFCNT_H
#define _REFDEBUG_REFCNT_H

/*
 * Masami Hiramatsu's 2015 refcnt API for perf, on top of refcount_t: code
 * written against it runs unchanged and refdebug records its operations
 * (the member must be a refcount_t):
 *   refcnt__init(obj, member, n)            the count starts at n
 *   refcnt__init_as(obj, member, n, name)   the same (the name was for his log;
 *                                           refdebug infers kinds itself)
 *   refcnt__get(obj, member)                one more reference
 *   refcnt__put(obj, member)                one less; true when it was the last
 *   refcnt__exit(obj, member)               nothing: the life ended at the last
 *                                           put, or ends when obj is freed
 */

#include <linux/refcount.h>

#define refcnt__init(obj, member, n) refcount_set(&(obj)->member, (n))
#define refcnt__init_as(obj, member, n, name) ((void)(name), refcnt__init(obj, member, n))
#define refcnt__get(obj, member) refcount_inc(&(obj)->member)
#define refcnt__put(obj, member) refcount_dec_and_test(&(obj)->member)
#define refcnt__exit(obj, member) ((void)(obj))

#endif /* _REFDEBUG_REFCNT_H */
