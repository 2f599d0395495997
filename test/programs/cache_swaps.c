/* SPDX-License-Identifier: MIT */
/*
 * A last-match cache whose setter, __table_set_last(), is called from
 * three functions and returns nothing: it drops the old entry's reference
 * and takes the new one's. Taking and returning nothing, it is no get
 * wrapper: it kept what it took. Nor is it a put wrapper for the entry it
 * drops in exchange: its swaps balance in itself. Read as a put wrapper
 * (it is void, takes a struct and has several callers), its drops went to
 * its callers and its gets stayed its own, an imbalance as large as the
 * real one (perf's __threads_table_entry__set_last_match(), named before
 * machine__resolve() on one of CI's recordings). Here every object leaks
 * (resolve() forgets to put what it found, planted), none is reclaimed to
 * say what is normal, and samples alternate keys, so every lookup misses
 * the cache and sets it: the setter takes as many as resolve() keeps.
 * Suspect #1 must be resolve.
 */
#define N 6
#include "table.h"

static __attribute__((noinline)) int resolve(struct table *t, int key)
{
	struct obj *o = table_findnew(t, key);

	return o->payload; /* forgets obj__put(o) */
}

static __attribute__((noinline)) int process_sample(struct table *t, int key)
{
	return resolve(t, key);
}

int main(void)
{
	struct table t = {{0}, 0};
	int i, round, sum = 0;

	for (round = 0; round < 5; round++)
		for (i = 0; i < N; i++)
			sum += process_sample(&t, i);
	table_exit(&t);
	return sum < 0;
}
