/* SPDX-License-Identifier: MIT */
/* Tasks hold their group, and the group's list holds its tasks.
 * group_detach() unlinks a task, dropping the list's reference to it and
 * its reference to the group, but forgets the group's put while the group
 * is frozen (the planted bug). Every group took its tasks' references in
 * group_attach(), leaked or not, so that get is normal and explains
 * nothing; the detach made no operation at all on a frozen group. In
 * every reclaimed group it dropped three, as many as each leaked group
 * still holds: it is named (main() or group_attach() before). */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct group { refcount_t ref; int frozen; struct task *tasks[32]; int nr; };
struct task { refcount_t ref; struct group *group; int id; };

struct group *group_get(struct group *g) { refcount_inc(&g->ref); return g; }
void group_put(struct group *g) { if (refcount_dec_and_test(&g->ref)) free(g); }
struct task *task_get(struct task *t) { refcount_inc(&t->ref); return t; }
void task_put(struct task *t)
{
	if (refcount_dec_and_test(&t->ref)) {
		if (t->group)
			group_put(t->group);
		free(t);
	}
}

static struct group *group_new(void)
{
	struct group *g = calloc(1, sizeof(*g));
	refcount_set(&g->ref, 1);
	return g;
}

static void group_attach(struct group *g, struct task *t)
{
	t->group = group_get(g);
	g->tasks[g->nr++] = task_get(t);
}

static void group_detach(struct task *t)
{
	struct group *g = t->group;
	for (int i = 0; i < g->nr; i++)
		if (g->tasks[i] == t) {
			g->tasks[i] = g->tasks[--g->nr];
			break;
		}
	t->group = NULL;
	if (!g->frozen)
		group_put(g); /* BUG: frozen groups keep the detached child's reference */
	task_put(t);
}

static struct task *task_new(int id)
{
	struct task *t = malloc(sizeof(*t));
	refcount_set(&t->ref, 1);
	t->group = NULL;
	t->id = id;
	return t;
}

static void group_destroy(struct group *g)
{
	while (g->nr) {
		struct task *t = g->tasks[--g->nr];
		task_put(t);
	}
	group_put(g);
}

int main(void)
{
	for (int round = 0; round < 30; round++) {
		struct group *g = group_new();
		struct task *ts[8];
		g->frozen = round % 7 == 3;
		for (int i = 0; i < 8; i++) {
			ts[i] = task_new(round * 8 + i);
			group_attach(g, ts[i]);
		}
		for (int i = 0; i < 8; i += 3)
			group_detach(ts[i]);
		for (int i = 0; i < 8; i++)
			task_put(ts[i]);
		group_destroy(g);
	}
	return 0;
}
