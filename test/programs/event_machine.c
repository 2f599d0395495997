/* SPDX-License-Identifier: MIT */
/* A perf-like event processor: a machine with a thread table (hash and
 * last-match cache), threads holding maps, maps holding dsos; comm, mmap,
 * sample and exit handlers; a callchain cursor that keeps its last maps
 * (a leak of its own). The mmap handler forgets the put of the thread it
 * looked up when the thread's map table is full (planted). Threads and
 * dsos are born inside machine__findnew_*(), a machine's methods by name:
 * their kinds come from the structs those are declared to return. No dso
 * is ever released, so where the dsos' own references were dropped (in
 * map__put(), as the maps holding them went) says whose release releases
 * them: the dsos are a cascade of the maps, the maps of the threads.
 * With EVENT_MACHINE_RIGHT it has no planted bug: test/program_mutants
 * deletes its puts one at a time. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dso { refcount_t refcnt; char name[32]; };
struct map { refcount_t refcnt; unsigned long start, end; struct dso *dso; };
struct thread { refcount_t refcnt; int tid; char comm[16]; struct map *maps[8]; int nr_maps; };
struct machine { struct thread *table[64]; struct thread *last_match; struct dso *dsos[16]; int nr_dsos; };
struct cursor { struct map *maps[4]; int n; };

struct dso *dso__get(struct dso *d) { if (d) refcount_inc(&d->refcnt); return d; }
void dso__put(struct dso *d) { if (d && refcount_dec_and_test(&d->refcnt)) free(d); }
struct map *map__get(struct map *m) { if (m) refcount_inc(&m->refcnt); return m; }
void map__put(struct map *m) { if (m && refcount_dec_and_test(&m->refcnt)) { dso__put(m->dso); free(m); } }
struct thread *thread__get(struct thread *t) { if (t) refcount_inc(&t->refcnt); return t; }
void thread__put(struct thread *t)
{
	if (t && refcount_dec_and_test(&t->refcnt)) {
		for (int i = 0; i < t->nr_maps; i++)
			map__put(t->maps[i]);
		free(t);
	}
}

static struct dso *machine__findnew_dso(struct machine *m, const char *name)
{
	for (int i = 0; i < m->nr_dsos; i++)
		if (!strcmp(m->dsos[i]->name, name))
			return dso__get(m->dsos[i]);
	struct dso *d = calloc(1, sizeof(*d));
	refcount_set(&d->refcnt, 1);
	snprintf(d->name, sizeof(d->name), "%s", name);
	m->dsos[m->nr_dsos++] = d;
	return dso__get(d);
}
static struct thread *__threads__find(struct machine *m, int tid)
{
	if (m->last_match && m->last_match->tid == tid)
		return thread__get(m->last_match);
	struct thread *t = m->table[tid % 64];
	if (t && t->tid == tid) {
		thread__put(m->last_match);
		m->last_match = thread__get(t);
		return thread__get(t);
	}
	return NULL;
}
static struct thread *threads__find(struct machine *m, int tid) { return __threads__find(m, tid); }
struct thread *machine__findnew_thread(struct machine *m, int tid)
{
	struct thread *t = threads__find(m, tid);
	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	refcount_set(&t->refcnt, 1);
	t->tid = tid;
	m->table[tid % 64] = thread__get(t);
	return t;
}
static struct map *thread__find_map(struct thread *t, unsigned long addr)
{
	for (int i = 0; i < t->nr_maps; i++)
		if (t->maps[i]->start <= addr && addr < t->maps[i]->end)
			return map__get(t->maps[i]);
	return NULL;
}
static void cursor__append(struct cursor *c, struct map *m)
{
	if (c->n == 4) {
		map__put(c->maps[0]);
		memmove(c->maps, c->maps + 1, 3 * sizeof(c->maps[0]));
		c->n = 3;
	}
	c->maps[c->n++] = map__get(m);
}

static int process_comm(struct machine *m, int tid, const char *comm)
{
	struct thread *t = machine__findnew_thread(m, tid);
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	thread__put(t);
	return 0;
}
static int process_mmap(struct machine *m, int tid, unsigned long start, const char *file)
{
	struct thread *t = machine__findnew_thread(m, tid);
	if (t->nr_maps == 8)
#if defined(EXIT_REMOVAL) || defined(EVENT_MACHINE_RIGHT)
		{ thread__put(t); return -1; }
#else
		return -1; /* planted: thread__put(t) missing */
#endif
	struct map *map = calloc(1, sizeof(*map));
	refcount_set(&map->refcnt, 1);
	map->start = start;
	map->end = start + 0x1000;
	map->dso = machine__findnew_dso(m, file);
	t->maps[t->nr_maps++] = map;
	thread__put(t);
	return 0;
}
static int process_sample(struct machine *m, struct cursor *c, int tid, unsigned long ip)
{
	struct thread *t = machine__findnew_thread(m, tid);
	struct map *map = thread__find_map(t, ip);
	int hit = map != NULL;
	if (map) {
		cursor__append(c, map);
		map__put(map);
	}
	thread__put(t);
	return hit;
}
static int process_exit(struct machine *m, int tid)
{
	struct thread *t = threads__find(m, tid);
	if (!t)
		return -1;
	if (m->last_match == t) {
		thread__put(m->last_match);
		m->last_match = NULL;
	}
	m->table[tid % 64] = NULL;
#ifndef EXIT_REMOVAL
	thread__put(t); /* the table's */
#endif
	thread__put(t);
	return 0;
}
static void machine__exit(struct machine *m)
{
	thread__put(m->last_match);
	for (int i = 0; i < 64; i++)
		thread__put(m->table[i]);
	for (int i = 0; i < m->nr_dsos; i++)
		dso__put(m->dsos[i]);
}
int main(void)
{
	static struct machine m;
	struct cursor c = { .n = 0 };
	static const char *files[] = { "libc.so", "ld.so", "app", "libm.so" };
	long hits = 0;
	for (int tid = 1; tid <= 40; tid++) {
		process_comm(&m, tid, "worker");
		for (int k = 0; k < 3 + tid % 8; k++)
			process_mmap(&m, tid, 0x400000 + k * 0x1000, files[(tid + k) % 4]);
	}
	for (int i = 0; i < 5000; i++)
		hits += process_sample(&m, &c, 1 + i % 40, 0x400000 + (i % 9) * 0x1000 + 16);
	for (int tid = 1; tid <= 40; tid += 2)
		process_exit(&m, tid);
	machine__exit(&m);
	printf("%ld\n", hits);
	return 0;
}
