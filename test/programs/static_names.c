/* SPDX-License-Identifier: MIT */
/* Two files, each with its own static handle() and finish(), as real
 * programs have functions of one name in several files (perf has a
 * process_sample_event() in each of its commands). The smtp file's
 * handle() forgets its put for one connection; the http file's handle()
 * balances fifty times as often. Read as one function by name, the two
 * made one account and were named at the http one's get: each is named
 * after its file now (static_names-smtp.c::handle). */
#include "static_names.h"

#include <stdlib.h>

static struct conn *table[16];

static __attribute__((noinline)) struct conn *conn_get(struct conn *c)
{
	refcount_inc(&c->ref);
	return c;
}

void conn_put(struct conn *c)
{
	if (c && refcount_dec_and_test(&c->ref))
		free(c);
}

struct conn *conn_lookup(int fd)
{
	struct conn *c = table[fd % 16];

	return c ? conn_get(c) : NULL;
}

static __attribute__((noinline)) void conn_open(int fd)
{
	struct conn *c = malloc(sizeof(*c));

	if (!c)
		return;
	c->fd = fd;
	refcount_set(&c->ref, 1); /* the table's */
	table[fd % 16] = c;
}

int main(int argc, char **argv)
{
	int s = 0;

	(void)argv;
	for (int fd = 3; fd < 3 + 8 * argc; fd++)
		conn_open(fd);
	for (int fd = 3; fd < 11; fd++)
		s += http_serve(fd) + smtp_serve(fd);
	for (int i = 0; i < 16; i++) {
		conn_put(table[i]);
		table[i] = NULL;
	}
	return s < 0;
}
