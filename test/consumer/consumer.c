/* SPDX-License-Identifier: MIT */
/* Leaks one object on purpose: the installed runtime must report it. */
#include <linux/refcount.h>
#include <refdebug.h>
#include <stdlib.h>

struct box {
	refcount_t refs;
};

int main(void)
{
	struct box *b = malloc(sizeof(*b));
	unsigned long mark = refdebug_checkpoint ? refdebug_checkpoint() : 0;

	refcount_set(&b->refs, 1);
	refcount_inc(&b->refs);
	if (refcount_dec_and_test(&b->refs))
		free(b);
	return refdebug_report_since ? (int)refdebug_report_since(mark) - 1 : 3;
}
