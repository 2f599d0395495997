/* SPDX-License-Identifier: MIT */
/* An error path that unwinds part of what was done: conn_open() makes a
 * connection and registers it in a table (the table's reference, taken by
 * table_add()); when the handshake fails it drops its own reference and
 * returns NULL, forgetting table_del() (the planted bug). What stays is
 * the table's reference, taken by table_add() as for every connection
 * (all the reclaimed ones went through it): counted, table_add() keeps
 * it, and without this rule it was named. The put on the failure path is
 * one no reclaimed connection saw, made by conn_open(), which is on the
 * table's get's call path and still holds what was taken beneath it.
 * Suspect #1 must be conn_open. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct conn { int id; refcount_t ref; };

static __attribute__((noinline)) struct conn *conn_get(struct conn *c)
{
	refcount_inc(&c->ref);
	return c;
}

static __attribute__((noinline)) void conn_put(struct conn *c)
{
	if (refcount_dec_and_test(&c->ref))
		free(c);
}

static struct conn *table[64];

static __attribute__((noinline)) void table_add(struct conn *c)
{
	table[c->id] = conn_get(c);
}

static __attribute__((noinline)) void table_del(struct conn *c)
{
	conn_put(table[c->id]);
	table[c->id] = NULL;
}

static __attribute__((noinline)) struct conn *conn_open(int id)
{
	struct conn *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	c->id = id;
	refcount_set(&c->ref, 1);
	table_add(c);
	if (id % 9 == 4) { /* the handshake failed */
		conn_put(c); /* the planted bug: no table_del(c) first */
		return NULL;
	}
	return c;
}

static __attribute__((noinline)) void conn_close(struct conn *c)
{
	table_del(c);
	conn_put(c);
}

int main(void)
{
	int open = 0;

	for (int i = 0; i < 64; i++) {
		struct conn *c = conn_open(i);

		if (c) {
			open++;
			conn_close(c);
		}
	}
	printf("%d\n", open);
	return 0;
}
