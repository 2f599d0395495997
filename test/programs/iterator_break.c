/* SPDX-License-Identifier: MIT */
/* A for-each loop over a registry whose iterator, registry__next(), hands
 * each node to its caller and drops the one it was given: a loop that
 * breaks out hands its caller the node it stopped at. One loop returns
 * from inside the iteration and keeps the node's reference. In every
 * reclaimed node registry__next() takes and drops as much; it is declared
 * to return a node, so the one kept is its caller's. */
#include "registry.h"

#include <string.h>

static __attribute__((noinline)) int count_named(struct registry *reg, const char *prefix)
{
	struct node *pos;
	int c = 0;

	registry__for_each(reg, pos)
		if (!strncmp(pos->name, prefix, strlen(prefix)))
			c++;
	return c;
}

static __attribute__((noinline)) struct node *first_even(struct registry *reg)
{
	struct node *pos;

	registry__for_each(reg, pos)
		if (pos->id % 2 == 0)
			break; /* the caller gets pos with its reference */
	return pos;
}

static __attribute__((noinline)) int has_id(struct registry *reg, int id)
{
	struct node *pos;

	registry__for_each(reg, pos)
		if (pos->id == id)
			return 1; /* the planted bug: pos's reference is kept */
	return 0;
}

int main(void)
{
	struct registry reg = { 0 };
	int total = 0;

	for (int i = 1; i < 40; i++)
		node__put(node__new(&reg, i));
	for (int round = 0; round < 20; round++) {
		struct node *f = first_even(&reg);

		total += count_named(&reg, "node-1") + (f ? f->id : 0);
		node__put(f);
	}
	total += has_id(&reg, 7);
	registry__purge(&reg);
	return total == 0;
}
