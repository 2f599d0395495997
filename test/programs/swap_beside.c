/* SPDX-License-Identifier: MIT */
/*
 * An mmap handler that forgets to put the task it looked up, beside a
 * sample handler whose entry swaps the mapping it points at (perf's
 * hists__findnew_entry() updating an entry's map: map__put() of the old
 * one, map__get() of the new). Under their common caller, the mmap handler
 * hands on about as many tasks (leaked) as mappings (kept in the mapping
 * table): taken together, as the companion rule reads it; and the entry's
 * swap drops about as many mappings and no task. But it takes back as many
 * as it drops: that is no release of what was handed. Suspect #1 must be
 * process_mmap, not entry_update.
 */
#include "task_mapping.h"

#define NT 12
#define NMMAPS 8
#define NSAMPLES 10

static struct task *tasks[NT];
static struct mapping *mmaps[NMMAPS]; /* the mapping table, holding a reference each */
static int nmmaps;

struct entry { /* a sample's entry: the mapping it was last resolved to */
	struct mapping *m;
};
static struct entry entries[2];

/* A lookup: hands its caller a reference. */
static NOINLINE struct task *tasks__find(int pid)
{
	return task__get(tasks[pid % NT]);
}

static NOINLINE int process_mmap(int pid, int start)
{
	struct task *t = tasks__find(pid);

	mmaps[nmmaps++] = mapping__new(start); /* the table's reference */
	return t->pid; /* forgets task__put(t) */
}

static NOINLINE void entry_update(struct entry *e, struct mapping *m)
{
	mapping__put(e->m);
	e->m = mapping__get(m);
}

static NOINLINE int process_sample(int pid, int i)
{
	struct task *t = tasks__find(pid);
	int v = t->pid;

	entry_update(&entries[i % 2], mmaps[i % nmmaps]);
	task__put(t);
	return v;
}

static NOINLINE int deliver(int mmap, int pid, int i)
{
	return mmap ? process_mmap(pid, i * 100) : process_sample(pid, i);
}

int main(void)
{
	int i, sum = 0;

	for (i = 0; i < NT; i++)
		tasks[i] = task__new(i);
	for (i = 0; i < NMMAPS; i++)
		sum += deliver(1, i % 4, i);
	for (i = 0; i < NSAMPLES; i++)
		sum += deliver(0, 4 + i % 8, i);
	for (i = 0; i < 2; i++)
		mapping__put(entries[i].m);
	for (i = 0; i < NMMAPS; i++)
		mapping__put(mmaps[i]);
	for (i = 0; i < NT; i++)
		task__put(tasks[i]);
	return sum < 0;
}
