/* SPDX-License-Identifier: MIT */
/* static_names: connections looked up by two protocol files. */
#include <linux/refcount.h>

struct conn { int fd; refcount_t ref; };

struct conn *conn_lookup(int fd); /* a reference, or NULL */
void conn_put(struct conn *c);
int http_serve(int fd);
int smtp_serve(int fd);
