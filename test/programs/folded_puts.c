/* SPDX-License-Identifier: MIT */
/* Two kinds whose put wrappers are the same code (a counter first in each
 * struct, nothing freed: the objects are static): at -O2 GCC's
 * identical-code folding merges group_put() into user_put(), and every
 * group put inlined reads as user_put(). open_session() takes a user and
 * a group; for a read-only group it jumps to the label that drops the
 * user only, skipping the group's put (planted). The leaked groups must
 * read as groups, compared with reclaimed groups, not users: then
 * open_session() is named, not close_session(), which drops the group
 * once per session, fewer than it drops for an average user. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct user { refcount_t refs; int uid; };
struct group { refcount_t refs; int gid; int readonly; };
struct session { struct user *u; struct group *g; };
static struct user users[8];
static struct group groups[4];

static struct user *user_lookup(int uid)
{
	struct user *u = &users[uid % 8];

	refcount_inc(&u->refs);
	return u;
}
static void user_put(struct user *u) { (void)refcount_dec_and_test(&u->refs); }
static struct group *group_lookup(int gid)
{
	struct group *g = &groups[gid % 4];

	refcount_inc(&g->refs);
	return g;
}
static void group_put(struct group *g) { (void)refcount_dec_and_test(&g->refs); }

static struct session *open_session(int uid, int gid, int want_write)
{
	struct session *s = malloc(sizeof(*s));

	if (!s)
		return NULL;
	s->u = user_lookup(uid);
	s->g = group_lookup(gid);
	if (want_write && s->g->readonly)
		goto out_put_user; /* planted: should be out_put_group */
	return s;
	goto out_put_group;
out_put_group:
	group_put(s->g);
out_put_user:
	user_put(s->u);
	free(s);
	return NULL;
}
static void close_session(struct session *s)
{
	group_put(s->g);
	user_put(s->u);
	free(s);
}
int main(void)
{
	int opened = 0;

	for (int i = 0; i < 8; i++) {
		refcount_set(&users[i].refs, 1);
		users[i].uid = i;
	}
	for (int i = 0; i < 4; i++) {
		refcount_set(&groups[i].refs, 1);
		groups[i].gid = i;
		groups[i].readonly = i == 3;
	}
	for (int i = 0; i < 100; i++) {
		struct session *s = open_session(i, i / 3, i % 2);

		if (s) {
			opened++;
			close_session(s);
		}
	}
	for (int i = 0; i < 8; i++)
		user_put(&users[i]);
	for (int i = 0; i < 4; i++)
		group_put(&groups[i]);
	printf("%d\n", opened);
	return 0;
}
