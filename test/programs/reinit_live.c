/* SPDX-License-Identifier: MIT */
/* refcount_set() on an object others still hold: reinit-while-live. */
#include "obj.h"

int main(void)
{
	struct obj *o = obj__new();

	obj__get(o);
	refcount_set(&o->ref, 1); /* reinit-while-live: count was 2 */
	obj__put(o);
	return 0;
}
