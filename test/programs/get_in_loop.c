/* SPDX-License-Identifier: MIT */
/* A get inside a loop, the put after it: one put for many gets. */
#include "obj.h"
static __attribute__((noinline)) int scan(struct obj *o, int n)
{
	struct obj *held = NULL;
	int i, sum = 0;

	for (i = 0; i < n; i++) {
		held = obj__get(o); /* taken every iteration */
		sum += held->payload;
	}
	obj__put(held); /* dropped once */
	return sum;
}
int main(void)
{
	struct obj *o = obj__new();
	struct obj *p = obj__new();

	scan(o, 1);
	scan(p, 4);
	obj__put(o);
	obj__put(p);
	return 0;
}
