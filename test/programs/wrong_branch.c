/* SPDX-License-Identifier: MIT */
/* The put is in the wrong branch of an if. */
#include "obj.h"
static __attribute__((noinline)) void update(struct obj *o, int flag)
{
	struct obj *held = obj__get(o);

	if (flag)
		held->payload = 1;
	else
		obj__put(held); /* belongs after the if */
}
int main(void)
{
	struct obj *objs[4];
	int i;

	for (i = 0; i < 4; i++)
		objs[i] = obj__new();
	for (i = 0; i < 4; i++)
		update(objs[i], i & 1);
	for (i = 0; i < 4; i++)
		obj__put(objs[i]);
	return 0;
}
