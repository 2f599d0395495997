/* SPDX-License-Identifier: MIT */
/* References taken together, one of them not every time: perf's
 * map_symbol__exit() without its maps__zput(). resolve() fills a plain
 * struct with a task (always found) and the mapping holding the address,
 * which a third of the addresses lack (perf's map__get(NULL) takes
 * nothing). where__exit(), called beside it, drops the mapping when there
 * is one and forgets the task. The mappings taken are 27 for 40 tasks:
 * not as many, but taken with them. where__exit() appears on no stack of a
 * leaked task, only on those of the mappings it still drops. */
#include "task_mapping.h"

struct where {
	struct task *task;
	struct mapping *mapping; /* NULL when no mapping holds the address */
};

static struct task *tasks[4];

static NOINLINE struct task *tasks__find(int pid)
{
	return task__get(tasks[pid % 4]);
}

/* A reference to the mapping holding addr, or NULL (none above 140). */
static NOINLINE struct mapping *task__find_mapping(struct task *t, int addr)
{
	return addr < 140 ? mapping__get(t->maps[addr >= 100]) : NULL;
}

static NOINLINE void resolve(struct where *w, int pid, int addr)
{
	w->task = tasks__find(pid);
	w->mapping = task__find_mapping(w->task, addr);
}

static NOINLINE void where__exit(struct where *w)
{
	mapping__put(w->mapping);
	w->mapping = NULL;
	/* and no task__put(w->task) */
	w->task = NULL;
}

static NOINLINE int process_sample(int pid, int addr)
{
	struct where w;
	int start;

	resolve(&w, pid, addr);
	start = w.mapping ? w.mapping->start : -1;
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
