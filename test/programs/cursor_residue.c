/* SPDX-License-Identifier: MIT */
/* Not companions: perf's callchain cursor shape, where the leak is the
 * cursor's last fill. resolve_callchain() resets the cursor (dropping the
 * previous sample's task and mapping references) and appends five nodes,
 * each taking one of each; the cursor is never reset after the last
 * sample, so five of each stay. Seen from add_sample(), resolve_callchain()
 * took hundreds and handed on the five left over, and trim_entries(), beside
 * it, drops about five tasks and no mapping: counts that look like
 * references taken together and released together, but resolve_callchain()
 * dropped nearly all it took itself. Suspect #1 must stay cursor_append. */
#include "task_mapping.h"

#define NODES 5

struct node {
	struct task *task;
	struct mapping *mapping;
};

struct cursor {
	struct node nodes[NODES];
	int n;
};

static NOINLINE void cursor_append(struct cursor *c, struct task *t, struct mapping *m)
{
	c->nodes[c->n].task = task__get(t);
	c->nodes[c->n].mapping = mapping__get(m);
	c->n++;
}

static NOINLINE void cursor_reset(struct cursor *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		task__put(c->nodes[i].task);
		mapping__put(c->nodes[i].mapping);
	}
	c->n = 0;
}

static struct cursor cursor;
static struct task *tasks[2];
static struct mapping *maps[2];
static struct task *entries[NODES];
static int nentries;

static NOINLINE void resolve_callchain(void)
{
	int i;

	cursor_reset(&cursor);
	for (i = 0; i < NODES; i++)
		cursor_append(&cursor, tasks[0], maps[0]);
}

/* Keeps a task reference per entry for the first samples, drops them later. */
static NOINLINE void add_entry(struct task *t)
{
	entries[nentries++] = task__get(t);
}

static NOINLINE void trim_entries(void)
{
	while (nentries)
		task__put(entries[--nentries]);
}

static NOINLINE int add_sample(int sample)
{
	resolve_callchain();
	if (sample < NODES)
		add_entry(tasks[1]);
	else if (sample == NODES)
		trim_entries();
	return cursor.nodes[0].mapping->start;
}

int main(void)
{
	int i, sum = 0;

	for (i = 0; i < 2; i++) {
		tasks[i] = task__new(i);
		maps[i] = mapping__new(100 * i);
	}
	for (i = 0; i < 60; i++)
		sum += add_sample(i);
	/* no cursor_reset(&cursor): the last sample's nodes keep their references */
	for (i = 0; i < 2; i++) {
		task__put(tasks[i]);
		mapping__put(maps[i]);
	}
	return sum & 1;
}
