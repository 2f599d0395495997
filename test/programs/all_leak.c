/* SPDX-License-Identifier: MIT */
/* Every object of a kind leaks: no reclaimed sibling to compare with. */
#include "obj.h"
static __attribute__((noinline)) void register_obj(struct obj *o) { obj__get(o); /* registry never drops it */ }
static __attribute__((noinline)) void use(struct obj *o) { obj__put(obj__get(o)); }
int main(void)
{
	struct obj *objs[5];
	int i;

	for (i = 0; i < 5; i++) {
		objs[i] = obj__new();
		register_obj(objs[i]);
		use(objs[i]);
	}
	for (i = 0; i < 5; i++)
		obj__put(objs[i]);
	return 0;
}
