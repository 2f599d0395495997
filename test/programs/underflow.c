/* SPDX-License-Identifier: MIT */
/* Subtracting more than the count: underflow; the count stays. */
#include "obj.h"

int main(void)
{
	struct obj *o = obj__new();

	obj__get(o);
	if (refcount_sub_and_test(3, &o->ref)) /* underflow: 2 - 3 */
		return 1;
	if (!refcount_sub_and_test(2, &o->ref))
		return 2;
	free(o);
	return 0;
}
