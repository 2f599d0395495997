/* SPDX-License-Identifier: MIT */
/* Two refcounted kinds with perf-style wrappers, a task and the mappings it
 * holds, for the programs where what matters is which of several kinds a
 * function drops (companions, companions_self, cursor_residue). */
#ifndef TEST_TASK_MAPPING_H
#define TEST_TASK_MAPPING_H

#include <linux/refcount.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

struct mapping { /* not task's layout: GCC would fold the two kinds' gets into one */
	int start;
	refcount_t ref;
};

struct task {
	refcount_t ref;
	int pid;
	struct mapping *maps[2]; /* references the task holds, or NULL */
};

static NOINLINE __maybe_unused struct mapping *mapping__new(int start)
{
	struct mapping *m = malloc(sizeof(*m));

	if (!m)
		abort();
	m->start = start;
	refcount_set(&m->ref, 1);
	return m;
}

static NOINLINE __maybe_unused struct mapping *mapping__get(struct mapping *m)
{
	refcount_inc(&m->ref);
	return m;
}

static NOINLINE __maybe_unused void mapping__put(struct mapping *m)
{
	if (m && refcount_dec_and_test(&m->ref))
		free(m);
}

static NOINLINE __maybe_unused struct task *task__new(int pid)
{
	struct task *t = malloc(sizeof(*t));

	if (!t)
		abort();
	t->pid = pid;
	t->maps[0] = t->maps[1] = NULL;
	refcount_set(&t->ref, 1);
	return t;
}

/* Gives the task two mappings of its own (at 0 and 100). */
static NOINLINE __maybe_unused void task__add_maps(struct task *t)
{
	t->maps[0] = mapping__new(0);
	t->maps[1] = mapping__new(100);
}

static NOINLINE __maybe_unused struct task *task__get(struct task *t)
{
	refcount_inc(&t->ref);
	return t;
}

static NOINLINE __maybe_unused void task__put(struct task *t)
{
	if (t && refcount_dec_and_test(&t->ref)) {
		mapping__put(t->maps[0]);
		mapping__put(t->maps[1]);
		free(t);
	}
}

#endif
