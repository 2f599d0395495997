/* SPDX-License-Identifier: MIT */
/* refcount_inc() on an object set to 0 (never live): increment-on-zero. */
#include "obj.h"

int main(void)
{
	struct obj *o = malloc(sizeof(*o));

	refcount_set(&o->ref, 0);
	refcount_inc(&o->ref); /* increment-on-zero; the count stays 0 */
	if (refcount_read(&o->ref) != 0)
		return 1;
	free(o);
	return 0;
}
