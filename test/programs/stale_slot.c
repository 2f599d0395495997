/* SPDX-License-Identifier: MIT */
/*
 * perf's kernel maps at exit, planted: a table holds each object in two
 * arrays (perf's maps_by_address and maps_by_name), and its remove puts
 * both references and shifts the arrays down, which leaves the last slots
 * as they were. The object removed last is still in both arrays when the
 * table frees them at exit: two copies, not references (the object has
 * one left, which keep_one() took and never put). Suspect #1 must be
 * keep_one, not the table's exit freeing the arrays.
 */
#include "obj.h"

#include <string.h>

#define CAP 8

struct table {
	struct obj **by_address, **by_name;
	int nr;
};

static __attribute__((noinline)) void table__init(struct table *t)
{
	t->by_address = calloc(CAP, sizeof(*t->by_address));
	t->by_name = calloc(CAP, sizeof(*t->by_name));
	if (!t->by_address || !t->by_name)
		abort();
	t->nr = 0;
}

static __attribute__((noinline)) void table__add(struct table *t, struct obj *o)
{
	t->by_address[t->nr] = obj__get(o);
	t->by_name[t->nr++] = obj__get(o);
}

static __attribute__((noinline)) void table__remove(struct table *t, struct obj *o)
{
	int i;

	for (i = 0; i < t->nr && t->by_address[i] != o; i++)
		;
	if (i == t->nr)
		return;
	obj__put(t->by_address[i]);
	obj__put(t->by_name[i]);
	memmove(&t->by_address[i], &t->by_address[i + 1], (size_t)(t->nr - i - 1) * sizeof(*t->by_address));
	memmove(&t->by_name[i], &t->by_name[i + 1], (size_t)(t->nr - i - 1) * sizeof(*t->by_name));
	t->nr--;
}

static __attribute__((noinline)) void table__exit(struct table *t)
{
	int i;

	for (i = 0; i < t->nr; i++) {
		obj__put(t->by_address[i]);
		obj__put(t->by_name[i]);
	}
	free(t->by_address);
	free(t->by_name);
}

static struct obj *kept;

static __attribute__((noinline)) void keep_one(struct obj *o)
{
	kept = obj__get(o); /* never put */
}

int main(void)
{
	struct table t;
	struct obj *objs[4];
	int i;

	table__init(&t);
	for (i = 0; i < 4; i++) {
		objs[i] = obj__new();
		objs[i]->payload = i;
		table__add(&t, objs[i]);
	}
	keep_one(objs[3]);
	table__remove(&t, objs[3]); /* the last: its slots stay as they were */
	for (i = 0; i < 4; i++)
		obj__put(objs[i]);
	table__exit(&t);
	return kept->payload != 3;
}
