/* SPDX-License-Identifier: MIT */
/* Three objects; forgets_put() takes a reference on each and never drops it. */
#include "obj.h"

static __attribute__((noinline)) int balanced(struct obj *o)
{
	struct obj *held = obj__get(o);
	int v = held->payload;

	obj__put(held);
	return v;
}

static __attribute__((noinline)) int forgets_put(struct obj *o)
{
	struct obj *held = obj__get(o);

	return held->payload; /* missing obj__put(held) */
}

int main(void)
{
	struct obj *objs[3];
	int i, sum = 0;

	for (i = 0; i < 3; i++)
		objs[i] = obj__new();
	for (i = 0; i < 3; i++) {
		sum += balanced(objs[i]);
		sum += forgets_put(objs[i]);
	}
	for (i = 0; i < 3; i++)
		obj__put(objs[i]);
	return sum;
}
