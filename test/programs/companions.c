/* SPDX-License-Identifier: MIT */
/* References taken together, released together, one of them forgotten: as
 * perf's addr_location__exit() would without its map__zput(). resolve()
 * fills a plain struct (not refcounted) with a task from a lookup and a
 * mapping found in it, each a reference; where__exit(), called beside it,
 * drops the task's and forgets the mapping's. Every task is reclaimed; each
 * mapping keeps one reference per sample that resolved it. where__exit()
 * appears on no stack of a leaked mapping, only on those of the tasks it
 * did put; resolve() and the lookups are what every sample does. */
#include "task_mapping.h"

struct where { /* perf's addr_location: holds references, is not counted */
	struct task *task;
	struct mapping *mapping;
};

static struct task *tasks[4];

/* A lookup: hands its caller a reference. */
static NOINLINE struct task *tasks__find(int pid)
{
	return task__get(tasks[pid % 4]);
}

/* Another: a reference to the mapping holding addr. */
static NOINLINE struct mapping *task__find_mapping(struct task *t, int addr)
{
	return mapping__get(t->maps[addr >= 100]);
}

static NOINLINE void resolve(struct where *w, int pid, int addr)
{
	w->task = tasks__find(pid);
	w->mapping = task__find_mapping(w->task, addr);
}

static NOINLINE void where__exit(struct where *w)
{
	task__put(w->task);
	w->task = NULL;
	/* and no mapping__put(w->mapping) */
	w->mapping = NULL;
}

static NOINLINE int process_sample(int pid, int addr)
{
	struct where w;
	int start;

	resolve(&w, pid, addr);
	start = w.mapping->start;
	where__exit(&w);
	return start;
}

int main(void)
{
	int i, sum = 0;

	for (i = 0; i < 4; i++) {
		tasks[i] = task__new(i);
		task__add_maps(tasks[i]);
	}
	for (i = 0; i < 40; i++)
		sum += process_sample(i, i * 7 % 200);
	for (i = 0; i < 4; i++)
		task__put(tasks[i]);
	return sum & 1;
}
