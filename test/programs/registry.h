/* SPDX-License-Identifier: MIT */
/* A registry of named nodes (a list that keeps each node's creation
 * reference) with a lookup, an iterator and a purge, in the style of perf's
 * object lists: iterator_break, best_of, dispatch_thread and lookup_pair. */
#ifndef TEST_REGISTRY_H
#define TEST_REGISTRY_H

#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
	refcount_t refcnt;
	int id;
	char name[32];
	struct node *parent; /* a reference of its own, dropped with the node */
	struct node *next;
};

struct registry {
	struct node *head;
	int n;
};

static __attribute__((noinline)) __maybe_unused struct node *node__get(struct node *n)
{
	if (n)
		refcount_inc(&n->refcnt);
	return n;
}

static void node__delete(struct node *n);

static __attribute__((noinline)) __maybe_unused void node__put(struct node *n)
{
	if (n && refcount_dec_and_test(&n->refcnt))
		node__delete(n);
}

static __attribute__((noinline)) void node__delete(struct node *n)
{
	node__put(n->parent);
	free(n);
}

/* The registry keeps the creation reference; the caller gets one of its own. */
static __attribute__((noinline)) __maybe_unused struct node *node__new_child(struct registry *reg, int id,
									  struct node *parent)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
	refcount_set(&n->refcnt, 1);
	n->id = id;
	n->parent = node__get(parent);
	snprintf(n->name, sizeof(n->name), "node-%d", id);
	n->next = reg->head;
	reg->head = n;
	reg->n++;
	return node__get(n);
}

static __attribute__((noinline)) __maybe_unused struct node *node__new(struct registry *reg, int id)
{
	return node__new_child(reg, id, NULL);
}

static __attribute__((noinline)) __maybe_unused struct node *registry__find(struct registry *reg, int id)
{
	for (struct node *n = reg->head; n; n = n->next)
		if (n->id == id)
			return node__get(n);
	return NULL;
}

static __attribute__((noinline)) __maybe_unused struct node *registry__first(struct registry *reg)
{
	return node__get(reg->head);
}

/* Hands the caller the next node and drops the one it was given. */
static __attribute__((noinline)) __maybe_unused struct node *registry__next(struct node *cur)
{
	struct node *next = node__get(cur->next);

	node__put(cur);
	return next;
}

#define registry__for_each(reg, pos) for (pos = registry__first(reg); pos; pos = registry__next(pos))

/* Two lookups compared; the early return for different parents drops the
 * first node and forgets the second: the planted bug of lookup_pair and
 * child_keeps_parent. */
static __attribute__((noinline)) __maybe_unused int same_parent(struct registry *reg, int a, int b)
{
	struct node *x = registry__find(reg, a);
	struct node *y;
	int r;

	if (!x)
		return -1;
	y = registry__find(reg, b);
	if (!y) {
		node__put(x);
		return -1;
	}
	if (x->parent != y->parent) {
		node__put(x);
		return 0; /* the planted bug: y is not put */
	}
	r = x->parent != NULL;
	node__put(y);
	node__put(x);
	return r;
}

static __attribute__((noinline)) __maybe_unused void registry__purge(struct registry *reg)
{
	while (reg->head) {
		struct node *n = reg->head;

		reg->head = n->next;
		reg->n--;
		node__put(n);
	}
}

#endif
