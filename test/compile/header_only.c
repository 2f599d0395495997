/* SPDX-License-Identifier: MIT */
/* Includes only the header and uses all of it: built with perf's warnings and -Werror. */
#include <linux/refcount.h>
#include <refdebug.h>

struct thing {
	refcount_t refcnt;
};

static struct thing static_thing = { REFCOUNT_INIT(1) };

int header_only_use(struct thing *t);

int header_only_use(struct thing *t)
{
	int released;

	refcount_set(&t->refcnt, 1);
	refcount_inc(&t->refcnt);
	if (!refcount_inc_not_zero(&t->refcnt))
		return -1;
	released = refcount_sub_and_test(2, &t->refcnt);
	released += refcount_dec_and_test(&t->refcnt);
	if (refdebug_checkpoint && refdebug_report_since)
		(void)refdebug_report_since(refdebug_checkpoint());
	return released + (int)refcount_read(&static_thing.refcnt);
}
