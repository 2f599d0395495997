/* SPDX-License-Identifier: MIT */
/* perf's maps__for_each_map(): the walk takes and drops a reference around
 * each callback; a find-by-name callback keeps the match with a get of its
 * own and stops the walk, and maps__find_by_name() hands that reference to
 * its caller. Of three callers, annotate_name() forgets its put when the
 * map has no symbols (the planted bug). The walk's get and put, credited
 * to annotate_name() past the walk and the lookup (both called from
 * several places), net to zero in every leaked map; that made every
 * operation credited to annotate_name() read as balancing itself, its put
 * of the lookup's reference in reclaimed maps included, and the callback
 * was named instead. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct map { refcount_t refcnt; char *name; int nr_syms; };
struct maps { struct map *entries[32]; int nr; };

struct map *map__get(struct map *m) { if (m) refcount_inc(&m->refcnt); return m; }
void map__put(struct map *m)
{
	if (m && refcount_dec_and_test(&m->refcnt)) {
		free(m->name);
		free(m);
	}
}

static struct map *map__new(const char *name, int syms)
{
	struct map *m = malloc(sizeof(*m));
	refcount_set(&m->refcnt, 1);
	m->name = strdup(name);
	m->nr_syms = syms;
	return m;
}

int maps__for_each_map(struct maps *maps, int (*cb)(struct map *, void *), void *data)
{
	int ret = 0;
	for (int i = 0; i < maps->nr && !ret; i++) {
		struct map *m = map__get(maps->entries[i]);
		ret = cb(m, data);
		map__put(m);
	}
	return ret;
}

struct find_args { const char *name; struct map *map; };

static int find_by_name_cb(struct map *m, void *data)
{
	struct find_args *args = data;
	if (strcmp(m->name, args->name))
		return 0;
	args->map = map__get(m);
	return 1;
}

struct map *maps__find_by_name(struct maps *maps, const char *name)
{
	struct find_args args = { name, NULL };
	maps__for_each_map(maps, find_by_name_cb, &args);
	return args.map;
}

static int sum_cb(struct map *m, void *data) { *(int *)data += m->nr_syms; return 0; }

static int annotate_name(struct maps *maps, const char *name)
{
	struct map *m = maps__find_by_name(maps, name);
	if (!m)
		return -1;
	if (!m->nr_syms)
		return 0; /* BUG: m not put */
	printf("annotate %s\n", m->name);
	map__put(m);
	return 1;
}

static int has_map(struct maps *maps, const char *name)
{
	struct map *m = maps__find_by_name(maps, name);
	int ret = m != NULL;
	map__put(m);
	return ret;
}

static int syms_of(struct maps *maps, const char *name)
{
	struct map *m = maps__find_by_name(maps, name);
	int n = m ? m->nr_syms : 0;
	map__put(m);
	return n;
}

int main(void)
{
	struct maps maps = { .nr = 0 };
	char buf[32];
	int total = 0;
	for (int i = 0; i < 20; i++) {
		snprintf(buf, sizeof(buf), "lib%d.so", i);
		maps.entries[maps.nr++] = map__new(buf, i % 7);
	}
	for (int k = 0; k < 50; k++) {
		snprintf(buf, sizeof(buf), "lib%d.so", k % 23);
		total += has_map(&maps, buf) + syms_of(&maps, buf) + annotate_name(&maps, buf);
		maps__for_each_map(&maps, sum_cb, &total);
	}
	for (int i = 0; i < maps.nr; i++)
		map__put(maps.entries[i]);
	return total < 0;
}
