/* SPDX-License-Identifier: MIT */
/*
 * perf's machine__resolve() shape, planted: resolve() finds an object
 * (table_findnew(), through the table's last-match cache as perf's
 * machine__findnew_thread() does; a reference for it) and fills its
 * caller's location with a reference of the location's own
 * (obj__fill_location(), perf's thread__find_map() setting al->thread);
 * the caller, process_sample(), puts that one with location__exit() when
 * done. resolve() forgets to put what it found. Every object resolve()
 * finds leaks, so no reclaimed one says what resolve() or
 * obj__fill_location() normally do (the objects only sample_rounds()
 * looked up are reclaimed, and say what is normal for the rest). Paired
 * where they meet (in process_sample()), location__exit()'s puts match the
 * location's gets and leave resolve() holding the rest. Samples come in
 * runs, as perf's do: the first of a run sets the last match, the rest
 * find it there. The cache's setter takes under one caller and drops
 * under another, netting to zero over each life: its references are not
 * its callers' (without that, table_find() leads). Suspect #1 must be
 * resolve.
 */
#define N 12
#define SAMPLED 4
#include "table.h"

struct location {
	struct obj *obj;
};

static __attribute__((noinline)) void obj__fill_location(struct obj *o, struct location *l)
{
	l->obj = obj__get(o);
}

static __attribute__((noinline)) void location__exit(struct location *l)
{
	obj__put(l->obj);
	l->obj = NULL;
}

static __attribute__((noinline)) int resolve(struct table *t, int key, struct location *l)
{
	struct obj *o = table_findnew(t, key);

	obj__fill_location(o, l);
	return o->payload; /* forgets obj__put(o) */
}

static __attribute__((noinline)) int process_sample(struct table *t, int key)
{
	struct location l = { NULL };
	int v = resolve(t, key, &l);

	location__exit(&l);
	return v;
}

int main(void)
{
	struct table t = {{0}, 0};
	int i, j, round, sum = sample_rounds(&t);

	for (round = 0; round < 2; round++)
		for (i = 0; i < SAMPLED; i++)
			for (j = 0; j <= i + 2; j++) /* a run of samples: the last match */
				sum += process_sample(&t, i);
	table_exit(&t);
	return sum < 0;
}
