/* SPDX-License-Identifier: MIT */
/* perf report's cursor leak as perf at -O3 compiles it: the optimizer
 * copies add_callchain_ip()'s lookup, so the lookup's get has two return
 * addresses on the same line, and which copy runs depends on the sample.
 * Here the two copies are written out: lookup() finds through one call for
 * the long-lived maps and through another for the short-lived ones,
 * while every other return address on the way is shared.
 * Both are the same call path (the same functions, out to the caller), and
 * the short-lived maps are reclaimed after going through it. The cursor
 * keeps a reference per frame of the last sample: cursor_append() is the
 * leak, and the lookup path, seen in every reclaimed maps, is not, however
 * its return addresses split. */
#include <linux/refcount.h>
#include <stdlib.h>

#define FRAMES 3
#define SAMPLES 50
#define SHORT_LIVED 4

struct maps {
	refcount_t refcnt;
	int hits;
	int short_lived;
};

static __attribute__((noinline)) struct maps *maps__new(int short_lived)
{
	struct maps *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	m->short_lived = short_lived;
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
	int where;
};

static __attribute__((noinline)) void location_find(struct location *al, struct maps *m, int where)
{
	al->maps = maps__get(m);
	al->where = where;
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

/* The two copies of the lookup: one return address each. */
static __attribute__((noinline)) void lookup(struct location *al, struct maps *m)
{
	if (m->short_lived)
		location_find(al, m, 1);
	else
		location_find(al, m, 2);
	al->where++; /* not a tail call: the copies keep their return addresses */
}

static __attribute__((noinline)) void frame_ip(struct cursor *c, struct maps *m)
{
	struct location al;

	lookup(&al, m);
	al.maps->hits += al.where;
	cursor_append(c, al.maps);
	location_exit(&al);
}

static __attribute__((noinline)) void resolve_callchain(struct cursor *c, struct maps *m)
{
	int i;

	cursor_reset(c);
	for (i = 0; i < FRAMES; i++)
		frame_ip(c, m);
}

static struct cursor cursor; /* perf's is thread-local, never reset at exit */

/* One call site for every maps sampled (noipa: no copy per caller). */
static __attribute__((noipa)) void process_samples(struct maps **sampled, int n)
{
	int j;

	for (j = 0; j < n; j++)
		resolve_callchain(&cursor, sampled[j]);
}

static __attribute__((noipa)) void sample_round(struct maps *m, int with_short_lived)
{
	struct maps *sampled[2] = { m, with_short_lived ? maps__new(1) : NULL };

	process_samples(sampled, 1 + with_short_lived);
	if (sampled[1]) {
		cursor_reset(&cursor);
		maps__put(sampled[1]);
	}
}

int main(void)
{
	struct maps *m = maps__new(0);
	int i;

	for (i = 0; i < SAMPLES; i++)
		sample_round(m, i % (SAMPLES / SHORT_LIVED) == 0);
	maps__put(m);
	return 0;
}
