/* SPDX-License-Identifier: MIT */
/* handed_over's slip, with perf's naming of thread maps: the object is a
 * struct perf_map whose API is perf_map__get()/perf_map__put(), but it is
 * made by map__new_by_id(), as perf's thread_map__new_by_tid() makes a
 * struct perf_thread_map. The birth names the kind "map"; the constructor's
 * declared return type says perf_map__get() is that kind's get, so
 * reopen()'s extra call to it is reopen()'s own. */
#include <linux/refcount.h>
#include <stdlib.h>
#include <string.h>

struct perf_map {
	refcount_t ref;
	int attempt;
};

struct session_list {
	struct perf_map *member[2];
	int n;
};

static __attribute__((noinline)) struct perf_map *map__new_by_id(int id)
{
	struct perf_map *m = malloc(sizeof(*m));

	if (!m)
		abort();
	refcount_set(&m->ref, 1);
	m->attempt = id;
	return m;
}

static __attribute__((noinline)) struct perf_map *perf_map__get(struct perf_map *m)
{
	refcount_inc(&m->ref);
	return m;
}

static __attribute__((noinline)) void perf_map__put(struct perf_map *m)
{
	if (m && refcount_dec_and_test(&m->ref))
		free(m);
}

static __attribute__((noinline)) void session_list__add(struct session_list *l, struct perf_map *m)
{
	l->member[l->n++] = perf_map__get(m);
}

static __attribute__((noinline)) void session_list__reset(struct session_list *l)
{
	while (l->n)
		perf_map__put(l->member[--l->n]);
}

static __attribute__((noinline)) void session_list__exit(struct session_list *l)
{
	session_list__reset(l);
	memset(l, 0, sizeof(*l));
}

static __attribute__((noinline)) int try_open(int attempt)
{
	return attempt > 0; /* the first attempt fails */
}

static __attribute__((noinline)) int reopen(int id)
{
	struct session_list list = { { 0 }, 0 };
	struct perf_map *m = map__new_by_id(id);
	int attempt, ret;

	for (attempt = 0; attempt < 3; attempt++) {
		session_list__add(&list, m);
		session_list__add(&list, m);
		if (try_open(attempt))
			break;
		/* "The list owns m now and the reset drops it": keep it alive. */
		perf_map__get(m); /* the planted bug: the reset drops the list's references only */
		session_list__reset(&list);
	}
	m->attempt = attempt;
	session_list__exit(&list);
	ret = m->attempt;
	perf_map__put(m);
	return ret;
}

int main(void)
{
	return reopen(7) == 1 ? 0 : 1;
}
