/* SPDX-License-Identifier: MIT */
/*
 * One short put among many right ones: 300 objects each take a batch of 5
 * references (batch_get) and drop them with one refcount_sub_and_test(5)
 * (batch_put); for one object the batch put is computed short (5 - 2), and
 * that object leaks 2 references. Every reclaimed object did the same batch
 * get, so it is normal behaviour; suspect #1 must be batch_put. A
 * background leak sits beside it: keep_one() keeps a reference on another
 * object (its own group, its own suspect).
 */
#include "obj.h"

#define N 300
#define BATCH 5

static __attribute__((noinline)) void batch_get(struct obj *o)
{
	int i;

	for (i = 0; i < BATCH; i++)
		obj__get(o);
}

static __attribute__((noinline)) int batch_put(struct obj *o, unsigned int n)
{
	return refcount_sub_and_test(n, &o->ref);
}

static __attribute__((noinline)) void keep_one(struct obj *o)
{
	obj__get(o);
}

int main(void)
{
	static struct obj *objs[N];
	struct obj *background = obj__new();
	int i;

	for (i = 0; i < N; i++) {
		objs[i] = obj__new();
		batch_get(objs[i]);
	}
	keep_one(background);
	for (i = 0; i < N; i++) {
		batch_put(objs[i], i == 123 ? BATCH - 2 : BATCH);
		obj__put(objs[i]);
	}
	obj__put(background);
	return 0;
}
