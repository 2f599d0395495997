/* SPDX-License-Identifier: MIT */
/* Not companions: perf's machine__resolve() without its thread__put().
 * resolve() looks the task up for itself (a reference it forgets to put)
 * and fills its caller's struct with a task and a mapping, each a
 * reference, which where__exit() drops together. Per sample resolve()
 * hands out two task references and one mapping reference: where__exit()
 * drops half the tasks and every mapping. The task it dropped was the one
 * taken with the mapping; the other is resolve()'s own, so resolve() is
 * suspect #1, not where__exit(). Beside them, as perf's hist entries do,
 * each sample keeps a task reference in a histogram until the end: other
 * calls take about as many tasks as where__exit() drops. */
#include "task_mapping.h"

struct where {
	struct task *task;
	struct mapping *mapping;
};

static struct task *tasks[4];
static struct task *hist[40];
static int nr_hist;

static NOINLINE void hist__add(struct task *t)
{
	hist[nr_hist++] = task__get(t);
}

static NOINLINE void hist__delete(void)
{
	while (nr_hist)
		task__put(hist[--nr_hist]);
}

static NOINLINE struct task *tasks__find(int pid)
{
	return task__get(tasks[pid % 4]);
}

static NOINLINE struct mapping *task__find_mapping(struct task *t, int addr)
{
	return mapping__get(t->maps[addr >= 100]);
}

static NOINLINE void task__fill_where(struct task *t, int addr, struct where *w)
{
	w->task = task__get(t);
	w->mapping = task__find_mapping(t, addr);
}

static NOINLINE int resolve(struct where *w, int pid, int addr)
{
	struct task *t = tasks__find(pid);

	task__fill_where(t, addr, w);
	/* and no task__put(t) */
	return t->pid;
}

static NOINLINE void where__exit(struct where *w)
{
	task__put(w->task);
	mapping__put(w->mapping);
	w->task = NULL;
	w->mapping = NULL;
}

static NOINLINE int process_sample(int pid, int addr)
{
	struct where w;
	int start;

	resolve(&w, pid, addr);
	start = w.mapping->start;
	hist__add(w.task);
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
	hist__delete();
	for (i = 0; i < 4; i++)
		task__put(tasks[i]);
	return sum & 1;
}
