/* SPDX-License-Identifier: MIT */
/*
 * One program, several versions of it, for refdebug diff: argv[1] lists the
 * bugs this version has. a: lookup() forgets a put (2 objects); b: cache()
 * keeps an extra reference (1 object); c: scan() forgets a put (1 object);
 * e: release_twice() puts once too often (a use-after-release).
 */
#include "obj.h"
#include <string.h>

static __attribute__((noinline)) void lookup(struct obj *o, int buggy)
{
	obj__get(o);
	o->payload++;
	if (!buggy)
		obj__put(o);
}

static __attribute__((noinline)) void cache(struct obj *o, int buggy)
{
	obj__get(o);
	if (!buggy)
		obj__put(o);
}

static __attribute__((noinline)) void scan(struct obj *o, int buggy)
{
	obj__get(o);
	o->payload--;
	if (!buggy)
		obj__put(o);
}

static __attribute__((noinline)) void release_twice(struct obj *o, int buggy)
{
	obj__drop(o);
	if (buggy)
		obj__drop(o);
}

int main(int argc, char **argv)
{
	const char *bugs = argc > 1 ? argv[1] : "";
	struct obj *objs[4];
	int i;

	for (i = 0; i < 4; i++)
		objs[i] = obj__new();
	lookup(objs[0], strchr(bugs, 'a') != NULL);
	lookup(objs[1], strchr(bugs, 'a') != NULL);
	cache(objs[2], strchr(bugs, 'b') != NULL);
	scan(objs[3], strchr(bugs, 'c') != NULL);
	for (i = 0; i < 4; i++)
		obj__put(objs[i]);
	release_twice(obj__new(), strchr(bugs, 'e') != NULL);
	return 0;
}
