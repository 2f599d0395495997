/* SPDX-License-Identifier: MIT */
/* A teardown that lost its put, as perf's perf_env__exit() without its
 * perf_cpu_map__put(): env_exit() frees the environment's description and
 * its node array, still pointing at the node's map. The description is a
 * short string whose block held, in its earlier use, a pointer to another
 * map that is released later (glibc hands the freed block straight back).
 * The bytes past the string are nobody's, but a free() of the block sees
 * them: read as a pointer, they made env_exit() look like a function that
 * frees blocks pointing at objects that are reclaimed anyway, and so not
 * the one that lost a put (on one of perf's recordings). */
#include <linux/refcount.h>
#include <stdlib.h>
#include <string.h>

struct map { refcount_t ref; int nr; };
struct node_entry { int node; long mem_total, mem_free; struct map *map; };
struct env { char *desc; struct node_entry *nodes; };

void *volatile sink; /* keeps the scratch block from being optimized away */

static __attribute__((noinline)) struct map *map__new(int nr)
{
	struct map *m = malloc(sizeof(*m));

	if (m) {
		m->nr = nr;
		refcount_set(&m->ref, 1);
	}
	return m;
}

static __attribute__((noinline)) void map__put(struct map *m)
{
	if (m && refcount_dec_and_test(&m->ref))
		free(m);
}

/* A pointer kept for a moment in a block of the string's size, then freed. */
static __attribute__((noinline)) void note_briefly(struct map *m)
{
	struct map **scratch = malloc(3 * sizeof(*scratch));

	if (!scratch)
		return;
	scratch[0] = scratch[1] = NULL;
	scratch[2] = m;
	sink = scratch;
	free(sink);
}

static __attribute__((noinline)) void env_init(struct env *env)
{
	env->desc = strdup("cpu"); /* in the block note_briefly() freed */
	env->nodes = calloc(1, sizeof(*env->nodes));
	if (env->nodes)
		env->nodes[0].map = map__new(4);
}

static __attribute__((noinline)) void env_exit(struct env *env)
{
	free(env->desc);
	/* and no map__put(env->nodes[0].map) */
	free(env->nodes);
}

int main(void)
{
	struct env env;
	struct map *transient = map__new(1);

	note_briefly(transient);
	env_init(&env);
	env_exit(&env);
	map__put(transient);
	return 0;
}
