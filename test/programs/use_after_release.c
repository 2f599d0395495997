/* SPDX-License-Identifier: MIT */
/* Errors on live memory: a put after the last one, a get after release. */
#include "obj.h"

int main(void)
{
	struct obj *a = obj__new();
	struct obj *b = obj__new();

	obj__drop(a);
	obj__drop(a); /* use-after-release: the count is already 0 */
	obj__drop(b);
	obj__get(b); /* use-after-release: get on a released object */
	free(a);
	free(b);
	return 0;
}
