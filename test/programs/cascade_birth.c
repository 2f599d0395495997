/* SPDX-License-Identifier: MIT */
/* A cascade whose objects hold only their births: a table keeps the
 * entries it clones (the birth is the table's reference) and lets go of
 * them when it is released. One table is leaked (the planted bug: main()
 * forgets its put), and its entries with it. Beside that, samples take
 * references to entries in callchain nodes, deep in the sampling code,
 * and the nodes are freed at exit, deep in the teardown: counted per
 * function, the node's get is left +3 in one entry and its free -3,
 * never meeting. That get was ranked before the birth (a get comes first
 * by the ranking's tiers) though it is unmatched in one entry of four
 * and exceeds what it holds; the birth, held by the leaked table, is
 * unmatched in all four and fits each. Suspect #1 of the entries' group
 * must be table_clone; the table's group names main. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct entry { refcount_t ref; int v; };
struct table { refcount_t ref; struct entry *e[4]; };

static __attribute__((noinline)) struct entry *entry__get(struct entry *e)
{
	refcount_inc(&e->ref);
	return e;
}

static __attribute__((noinline)) void entry__put(struct entry *e)
{
	if (e && refcount_dec_and_test(&e->ref))
		free(e);
}

/* The table's own reference to each entry: the birth. */
static __attribute__((noinline)) struct entry *table_clone(int v)
{
	struct entry *e = malloc(sizeof(*e));

	if (!e)
		abort();
	e->v = v;
	refcount_set(&e->ref, 1);
	return e;
}

/* n comes from main()'s argc, not a constant: an unrolled loop would give
 * each entry a birth stack of its own (one group per entry, as GCC does
 * under AddressSanitizer at -O2). */
static __attribute__((noinline)) struct table *table__new(int base, int n)
{
	struct table *t = malloc(sizeof(*t));

	if (!t)
		abort();
	refcount_set(&t->ref, 1);
	for (int i = 0; i < n && i < 4; i++)
		t->e[i] = table_clone(base + i);
	return t;
}

static __attribute__((noinline)) void table__put(struct table *t)
{
	if (refcount_dec_and_test(&t->ref)) {
		for (int i = 0; i < 4; i++)
			entry__put(t->e[i]);
		free(t);
	}
}

/* Callchain nodes hold entries, taken deep in sampling, dropped deep in the teardown. */
static struct entry *nodes[16];
static int nr_nodes;

static __attribute__((noinline)) void node_fill(struct entry *e) { nodes[nr_nodes++] = entry__get(e); }
static __attribute__((noinline)) void add_child(struct entry *e) { node_fill(e); }
static __attribute__((noinline)) void chain_append(struct entry *e) { add_child(e); }
static __attribute__((noinline)) void sample(struct table *t, int i) { chain_append(t->e[i % 4]); }

static __attribute__((noinline)) void node_free(struct entry *e) { entry__put(e); }
static __attribute__((noinline)) void free_chain(void)
{
	while (nr_nodes)
		node_free(nodes[--nr_nodes]);
}
static __attribute__((noinline)) void chains_delete(void) { free_chain(); }
static __attribute__((noinline)) void session_delete(void) { chains_delete(); }

int main(int argc, char **argv)
{
	struct table *kept = table__new(0, argc + 3), *leaked = table__new(10, argc + 3);
	long sum = 0;

	for (int i = 0; i < 3; i++)
		sample(leaked, 0); /* three nodes on the leaked table's first entry */
	for (int i = 0; i < 4; i++)
		sum += kept->e[i]->v + leaked->e[i]->v;
	session_delete();
	table__put(kept);
	/* the planted bug: no table__put(leaked) */
	printf("%ld %s\n", sum, argv[0]);
	return 0;
}
