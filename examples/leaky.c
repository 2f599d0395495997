/* SPDX-License-Identifier: MIT */
/*
 * The Quick start's example: a tiny perf-like cache of "map" objects with
 * get/put wrappers. lookup_and_print() forgets its put on one path, so every
 * map it touches there leaks one reference.
 */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct map {
	unsigned long start;
	refcount_t refcnt;
};

static struct map *map__new(unsigned long start)
{
	struct map *m = calloc(1, sizeof(*m));

	if (m) {
		m->start = start;
		refcount_set(&m->refcnt, 1);
	}
	return m;
}

static __attribute__((noinline)) struct map *map__get(struct map *m)
{
	refcount_inc(&m->refcnt);
	return m;
}

static __attribute__((noinline)) void map__put(struct map *m)
{
	if (m && refcount_dec_and_test(&m->refcnt))
		free(m);
}

/* Balanced: takes a reference and drops it. */
static __attribute__((noinline)) unsigned long map_size(struct map *m)
{
	struct map *held = map__get(m);
	unsigned long size = 4096 + held->start % 7;

	map__put(held);
	return size;
}

/* The bug: returns early for odd maps without dropping its reference. */
static __attribute__((noinline)) void lookup_and_print(struct map *m)
{
	struct map *held = map__get(m);

	if (held->start & 1)
		return; /* missing map__put(held) */
	printf("map at %#lx\n", held->start);
	map__put(held);
}

int main(void)
{
	struct map *maps[4];
	unsigned long total = 0;
	int i;

	for (i = 0; i < 4; i++)
		maps[i] = map__new(0x1000 * (unsigned long)i + (unsigned long)i);
	for (i = 0; i < 4; i++) {
		total += map_size(maps[i]);
		lookup_and_print(maps[i]);
	}
	for (i = 0; i < 4; i++)
		map__put(maps[i]);
	printf("total %lu\n", total);
	return 0;
}
