/* SPDX-License-Identifier: MIT */
/*
 * perf's machine__update_kernel_mmap() without its map__put(), planted:
 * the kernel map is updated once by a method of the machine, which takes
 * a reference and forgets to drop the old one. By perf's naming the
 * machine's methods are one account: the map's creation, its update, its
 * destruction, and machine__resolve(), which hands the map to hundreds of
 * samples (each put by where__exit(), not a machine method). What the
 * account dropped (the destruction's put) is charged to its biggest
 * taker, machine__resolve(); the update keeps its own get. Suspect #1 must
 * be machine__update_kmap.
 */
#include "obj.h"

struct machine {
	struct obj *kmap;
};

struct where { /* perf's addr_location: holds a reference, is not counted */
	struct obj *map;
};

static __attribute__((noinline)) void machine__create_kmap(struct machine *m)
{
	m->kmap = obj__new();
}

static __attribute__((noinline)) void machine__resolve(struct machine *m, struct where *w)
{
	w->map = obj__get(m->kmap);
}

static __attribute__((noinline)) void where__exit(struct where *w)
{
	obj__put(w->map);
	w->map = NULL;
}

static __attribute__((noinline)) void machine__update_kmap(struct machine *m, int start)
{
	struct obj *orig = m->kmap, *updated = obj__get(orig);

	updated->payload = start;
	m->kmap = updated; /* forgets obj__put(orig) */
}

static __attribute__((noinline)) void machine__destroy_kmap(struct machine *m)
{
	obj__put(m->kmap);
	m->kmap = NULL;
}

static __attribute__((noinline)) int process_sample(struct machine *m, int addr)
{
	struct where w;
	int v;

	machine__resolve(m, &w);
	v = w.map->payload + addr;
	where__exit(&w);
	return v;
}

int main(void)
{
	struct machine m = {NULL};
	int i, sum = 0;

	machine__create_kmap(&m);
	for (i = 0; i < 300; i++) {
		sum += process_sample(&m, i);
		if (i == 100)
			machine__update_kmap(&m, 0x1000);
	}
	machine__destroy_kmap(&m);
	return sum < 0;
}
