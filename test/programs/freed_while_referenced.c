/* SPDX-License-Identifier: MIT */
/* free() of an object others still hold is an error; a sole owner's is not. */
#include "obj.h"

int main(void)
{
	struct obj *shared = obj__new();
	struct obj *sole = obj__new();

	obj__get(shared);
	free(shared); /* freed-while-referenced: count 2 */
	free(sole);   /* count 1: an error path's normal cleanup */
	return 0;
}
