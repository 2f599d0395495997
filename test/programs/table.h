/* SPDX-License-Identifier: MIT */
/* perf's thread table in small: slots holding the table's references (a
 * new object's first, as threads__findnew() adds it to its hash map) and a
 * last-match cache holding one of its own, set by __table_set_last() from
 * three places (a lookup, a findnew, the table's exit). Define N first;
 * TABLE_ON_NEW(o, t) runs on each new object (leader_lookup looks up its
 * leader there), TABLE_SET_LAST_PUT(t) drops the cache's old entry
 * (last_match forgets to). For leader_lookup and last_match. */
#ifndef TEST_TABLE_H
#define TEST_TABLE_H

#include "obj.h"

#ifndef TABLE_ON_NEW
#define TABLE_ON_NEW(o, t)
#endif
#ifndef TABLE_SET_LAST_PUT
#define TABLE_SET_LAST_PUT(t) obj__put((t)->last)
#endif

struct table {
	struct obj *slots[N];
	struct obj *last; /* last match, holding a reference */
};

static __attribute__((noinline)) void __table_set_last(struct table *t, struct obj *o)
{
	TABLE_SET_LAST_PUT(t);
	t->last = o ? obj__get(o) : NULL;
}

static __attribute__((noinline)) void table_set_last(struct table *t, struct obj *o)
{
	__table_set_last(t, o); /* perf takes the table's lock here */
}

static __attribute__((noinline)) struct obj *table_find(struct table *t, int key)
{
	struct obj *o;

	if (t->last && t->last->payload == key)
		return obj__get(t->last);
	o = t->slots[key];
	if (o) {
		table_set_last(t, o);
		return obj__get(o);
	}
	return NULL;
}

static __attribute__((noinline)) __maybe_unused struct obj *table_findnew(struct table *t, int key)
{
	struct obj *o = table_find(t, key);

	if (o)
		return o;
	o = obj__new();
	o->payload = key;
	t->slots[key] = o; /* the table keeps the new object's reference */
	TABLE_ON_NEW(o, t);
	o->payload = key;
	__table_set_last(t, o);
	return obj__get(o);
}

static __attribute__((noinline)) int handle_sample(struct table *t, int key)
{
	struct obj *o = table_findnew(t, key);
	int v = o->payload;

	obj__put(o);
	return v;
}

/* Every key sampled, three rounds over: each object looked up three times. */
static __attribute__((noinline)) __maybe_unused int sample_rounds(struct table *t)
{
	int i, round, sum = 0;

	for (round = 0; round < 3; round++)
		for (i = 0; i < N; i++)
			sum += handle_sample(t, i);
	return sum;
}

static __attribute__((noinline)) void table_exit(struct table *t)
{
	int i;

	for (i = 0; i < N; i++)
		obj__put(t->slots[i]);
	__table_set_last(t, NULL);
}

#endif
