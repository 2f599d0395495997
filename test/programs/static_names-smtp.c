/* SPDX-License-Identifier: MIT */
#include "static_names.h"

static __attribute__((noinline)) int finish(struct conn *c, int status)
{
	conn_put(c);
	return status;
}

static __attribute__((noinline)) int handle(int fd)
{
	struct conn *c = conn_lookup(fd);

	if (!c)
		return -1;
	if (c->fd == 7)
		return 1; /* the planted bug: no finish() for this connection */
	return finish(c, c->fd + 1);
}

int smtp_serve(int fd)
{
	int s = 0;

	for (int i = 0; i < 3; i++)
		s += handle(fd);
	return s;
}
