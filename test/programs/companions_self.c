/* SPDX-License-Identifier: MIT */
/* References taken together by the caller itself, among others taken for
 * it: as perf's add_callchain_ip() fills a map_symbol from an
 * addr_location and map_symbol__exit() forgets the maps. resolve() fills a
 * where (a task, its parent, a mapping: three references, dropped by
 * where__exit()); add_ip() copies the task and the mapping into a pair
 * (two references of its own) and pair__exit() drops the task, not the
 * mapping. Counted, the where's references and the pair's look alike; what
 * tells them apart is which call took them: the pair's were taken by
 * add_ip() itself, two kinds as often, and pair__exit() beside it drops
 * one kind of the two. Suspect #1 must be pair__exit, whichever of the two
 * mapping gets ranks first without it. */
#include "task_mapping.h"

struct where { /* perf's addr_location: holds references, is not counted */
	struct task *task;
	struct task *parent;
	struct mapping *mapping;
};

struct pair { /* perf's map_symbol */
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
	w->parent = tasks__find(pid + 1);
	w->mapping = task__find_mapping(w->task, addr);
}

static NOINLINE void where__exit(struct where *w)
{
	task__put(w->task);
	task__put(w->parent);
	mapping__put(w->mapping);
}

static NOINLINE void pair__exit(struct pair *p)
{
	task__put(p->task);
	/* and no mapping__put(p->mapping) */
}

static NOINLINE int add_ip(int pid, int addr)
{
	struct where w;
	struct pair p;
	int start;

	resolve(&w, pid, addr);
	p.task = task__get(w.task);
	p.mapping = mapping__get(w.mapping);
	start = p.mapping->start;
	where__exit(&w);
	pair__exit(&p);
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
		sum += add_ip(i, i * 7 % 200);
	for (i = 0; i < 4; i++)
		task__put(tasks[i]);
	return sum & 1;
}
