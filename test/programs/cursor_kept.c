/* SPDX-License-Identifier: MIT */
/* perf report's leak at exit, in small (docs/perf-findings.md). Each sample
 * resolves its frames twice over: location_find() takes a reference that
 * location_exit() drops, and cursor_append() keeps one in a cursor node that
 * cursor_reset() drops when the next sample starts. Nothing resets the
 * cursor after the last sample, so its nodes keep their references: the
 * puts are missing, the gets that have none are cursor_append()'s. Per
 * function, location_find() and cursor_append() look alike (each takes a
 * reference per frame that another function drops); only reading
 * cursor_append() with cursor_reset() as one account, and location_find()
 * with location_exit(), tells them apart. hist_add() keeps one reference
 * per sample that entries_free() drops at the end, under another name: its
 * net, far above the 3 references left, was dropped elsewhere. */
#include <linux/refcount.h>
#include <stdlib.h>

#define FRAMES 3
#define SAMPLES 50

struct maps {
	refcount_t refcnt;
	int hits;
};

static __attribute__((noinline)) struct maps *maps__new(void)
{
	struct maps *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	refcount_set(&m->refcnt, 1);
	return m;
}

static __attribute__((noinline)) struct maps *maps__get(struct maps *m)
{
	refcount_inc(&m->refcnt);
	return m;
}

static __attribute__((noinline)) void maps__put(struct maps *m)
{
	if (m && refcount_dec_and_test(&m->refcnt))
		free(m);
}

struct location {
	struct maps *maps;
};

static __attribute__((noinline)) void location_find(struct location *al, struct maps *m)
{
	al->maps = maps__get(m);
}

static __attribute__((noinline)) void location_exit(struct location *al)
{
	maps__put(al->maps);
	al->maps = NULL;
}

struct cursor {
	struct maps *node[FRAMES];
	int nr;
};

static __attribute__((noinline)) void cursor_append(struct cursor *c, struct maps *m)
{
	c->node[c->nr++] = maps__get(m);
}

static __attribute__((noinline)) void cursor_reset(struct cursor *c)
{
	while (c->nr)
		maps__put(c->node[--c->nr]);
}

struct entries {
	struct maps *maps[SAMPLES];
	int nr;
};

static __attribute__((noinline)) void hist_add(struct entries *e, struct maps *m)
{
	e->maps[e->nr++] = maps__get(m);
}

static __attribute__((noinline)) void entries_free(struct entries *e)
{
	while (e->nr)
		maps__put(e->maps[--e->nr]);
}

static __attribute__((noinline)) void process_sample(struct cursor *c, struct entries *e, struct maps *m)
{
	int i;

	cursor_reset(c);
	hist_add(e, m);
	for (i = 0; i < FRAMES; i++) {
		struct location al;

		location_find(&al, m);
		al.maps->hits++;
		cursor_append(c, al.maps);
		location_exit(&al);
	}
}

static struct cursor cursor; /* perf's is thread-local, never reset at exit */
static struct entries entries;

int main(void)
{
	struct maps *m = maps__new();
	int i;

	for (i = 0; i < SAMPLES; i++)
		process_sample(&cursor, &entries, m);
	entries_free(&entries);
	maps__put(m);
	return 0;
}
