/* SPDX-License-Identifier: MIT */
/* Missing put on an error path: parse_config() returns early on bad input. */
#include "obj.h"
static __attribute__((noinline)) int parse_config(struct obj *o, int bad)
{
	struct obj *held = obj__get(o);

	if (bad)
		return -1; /* missing obj__put(held) */
	held->payload++;
	obj__put(held);
	return 0;
}
int main(void)
{
	struct obj *objs[6];
	int i;

	for (i = 0; i < 6; i++)
		objs[i] = obj__new();
	for (i = 0; i < 6; i++)
		parse_config(objs[i], i % 3 == 0);
	for (i = 0; i < 6; i++)
		obj__put(objs[i]);
	return 0;
}
