/* SPDX-License-Identifier: MIT */
/* A visitor callback keeps the best node seen so far in its caller's
 * struct, dropping the one it replaces; the caller drops the winner. One
 * caller reads the winner and forgets to drop it. pick_best() took more
 * than it does in reclaimed nodes by more than the node holds (its callers
 * dropped the rest), and best_score() matched every get it made beneath
 * it: neither is the one that kept it. */
#include "registry.h"

struct best {
	struct node *node;
	int score;
};

typedef int (*visit_fn)(struct node *n, void *data);

static __attribute__((noinline)) int registry__visit(struct registry *reg, visit_fn fn, void *data)
{
	for (struct node *n = reg->head; n; n = n->next) {
		int r = fn(n, data);

		if (r)
			return r;
	}
	return 0;
}

static __attribute__((noinline)) int pick_best(struct node *n, void *data)
{
	struct best *b = data;
	int score = (n->id * 7) % 13;

	if (!b->node || score > b->score) {
		node__put(b->node);
		b->node = node__get(n);
		b->score = score;
	}
	return 0;
}

static __attribute__((noinline)) int best_score(struct registry *reg)
{
	struct best b = { 0 };

	registry__visit(reg, pick_best, &b);
	node__put(b.node);
	return b.score;
}

static __attribute__((noinline)) int best_id(struct registry *reg)
{
	struct best b = { 0 };

	registry__visit(reg, pick_best, &b);
	return b.node ? b.node->id : -1; /* the planted bug: b.node's reference is kept */
}

int main(void)
{
	struct registry reg = { 0 };
	int total = 0;

	for (int i = 1; i < 30; i++)
		node__put(node__new(&reg, i));
	for (int r = 0; r < 25; r++)
		total += best_score(&reg);
	total += best_id(&reg);
	registry__purge(&reg);
	return total == 0;
}
