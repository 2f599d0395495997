/* SPDX-License-Identifier: MIT */
/*
 * Built at -O2: GCC clones batch_acquire() and batch_release() for their
 * one constant argument (batch_release.constprop.0). batch_release() drops
 * one reference too few on one object: suspect #1 must read
 * "batch_release", the name in the source.
 */
#include "obj.h"
#include <stdio.h>

#define N 8

static __attribute__((noinline)) void batch_acquire(struct obj **objs, int n, int refs)
{
	int i, r;

	for (i = 0; i < n; i++)
		for (r = 0; r < refs; r++)
			obj__get(objs[i]);
}

static __attribute__((noinline)) void batch_release(struct obj **objs, int n, int refs)
{
	int i, r;

	for (i = 0; i < n; i++)
		for (r = 0; r < refs - (i == 3); r++)
			obj__put(objs[i]);
}

int main(void)
{
	struct obj *objs[N];
	int i;

	for (i = 0; i < N; i++)
		objs[i] = obj__new();
	batch_acquire(objs, N, 2);
	batch_release(objs, N, 2);
	for (i = 0; i < N; i++)
		obj__put(objs[i]);
	return 0;
}
