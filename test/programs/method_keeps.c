/* SPDX-License-Identifier: MIT */
/*
 * perf's dso__load_sym_internal() shape, planted: a method of the leaked
 * kind, three calls deep in the kind's own methods (obj__load ->
 * obj__load_sym -> obj__load_sym_internal), takes a reference on the
 * object it works on (switching to another one half way, as the dso
 * loader switches to a section's dso) and forgets the last put. Every
 * object it loads leaks; the objects never loaded are reclaimed. The
 * kind's methods around the get are not a get wrapper here: the innermost
 * one kept the reference. Suspect #1 must be obj__load_sym_internal, not
 * the first caller outside the kind (map_load).
 */
#include "obj.h"

#define N 8

static __attribute__((noinline)) int obj__load_sym_internal(struct obj *o, struct obj *section)
{
	struct obj *cur = obj__get(o);
	int i, n = 0;

	for (i = 0; i < 4; i++) {
		if (section && i == 2) {
			obj__put(cur);
			cur = obj__get(section);
		}
		n += cur->payload;
	}
	return n; /* forgets obj__put(cur) */
}

static __attribute__((noinline)) int obj__load_sym(struct obj *o, struct obj *section)
{
	return obj__load_sym_internal(o, section) + 1;
}

static __attribute__((noinline)) int obj__load(struct obj *o, struct obj *section)
{
	return obj__load_sym(o, section) + 1;
}

static __attribute__((noinline)) int map_load(struct obj *o, struct obj *section)
{
	return obj__load(o, section) + 1;
}

int main(void)
{
	struct obj *objs[N];
	int i, sum = 0;

	for (i = 0; i < N; i++) {
		objs[i] = obj__new();
		objs[i]->payload = i;
	}
	sum += map_load(objs[1], NULL);
	sum += map_load(objs[2], NULL);
	sum += map_load(objs[3], objs[3]);
	for (i = 0; i < N; i++)
		obj__put(objs[i]);
	return sum < 0;
}
