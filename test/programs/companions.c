/* SPDX-License-Identifier: MIT */
/* References taken together, released together, one of them forgotten: as
 * perf's addr_location__exit() would without its map__zput(). resolve()
 * fills a plain struct (not refcounted) with a task from a lookup and a
 * mapping found in it, each a reference; where__exit(), called beside it,
 * drops the task's and forgets the mapping's. Every task is reclaimed; each
 * mapping keeps one reference per sample that resolved it. where__exit()
 * appears on no stack of a leaked mapping, only on those of the tasks it
 * did put; resolve() and the lookups are what every sample does. */
#include <linux/refcount.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

struct mapping { /* not task's layout: GCC would fold the two gets into one */
	int start;
	refcount_t ref;
};

struct task {
	refcount_t ref;
	struct mapping *maps[2];
};

struct where { /* perf's addr_location: holds references, is not counted */
	struct task *task;
	struct mapping *mapping;
};

static NOINLINE struct mapping *mapping__new(int start)
{
	struct mapping *m = malloc(sizeof(*m));

	if (!m)
		abort();
	m->start = start;
	refcount_set(&m->ref, 1);
	return m;
}

static NOINLINE struct mapping *mapping__get(struct mapping *m)
{
	refcount_inc(&m->ref);
	return m;
}

static NOINLINE void mapping__put(struct mapping *m)
{
	if (m && refcount_dec_and_test(&m->ref))
		free(m);
}

static NOINLINE struct task *task__new(void)
{
	struct task *t = malloc(sizeof(*t));

	if (!t)
		abort();
	t->maps[0] = mapping__new(0);
	t->maps[1] = mapping__new(100);
	refcount_set(&t->ref, 1);
	return t;
}

static NOINLINE struct task *task__get(struct task *t)
{
	refcount_inc(&t->ref);
	return t;
}

static NOINLINE void task__put(struct task *t)
{
	if (t && refcount_dec_and_test(&t->ref)) {
		mapping__put(t->maps[0]);
		mapping__put(t->maps[1]);
		free(t);
	}
}

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

	for (i = 0; i < 4; i++)
		tasks[i] = task__new();
	for (i = 0; i < 40; i++)
		sum += process_sample(i, i * 7 % 200);
	for (i = 0; i < 4; i++)
		task__put(tasks[i]);
	return sum & 1;
}
