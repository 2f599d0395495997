/* SPDX-License-Identifier: MIT */
/*
 * Kernel-style names, verb first, and references handed out through an
 * array: collect() fills its caller's array with a reference per task;
 * signal_all() and count_all() drop them. signal_all() skips its put for
 * one branch (planted). get_task() is declared to return a task, so its
 * name's kind is known; put_task() returns nothing and its name says no
 * kind "<kind>_put" would. The puts signal_all() makes only in the tasks
 * that were reclaimed (the branch the leaked ones never took) still count
 * for the task kind: put_task() performed the group's other drops and
 * never a birth. Suspect #1 must be signal_all, at -O0 as at -O2.
 */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct task {
	int pid;
	int state;
	refcount_t usage;
	struct task *next;
};

static struct task *tasks;

static inline struct task *get_task(struct task *t)
{
	refcount_inc(&t->usage);
	return t;
}

static inline void put_task(struct task *t)
{
	if (refcount_dec_and_test(&t->usage))
		free(t);
}

static int collect(struct task **out, int max)
{
	int n = 0;

	for (struct task *t = tasks; t && n < max; t = t->next)
		out[n++] = get_task(t);
	return n;
}

static void wake(struct task *t)
{
	t->state = 0;
	put_task(t);
}

static void signal_all(int sig)
{
	struct task *arr[64];
	int n = collect(arr, 64);

	for (int i = 0; i < n; i++) {
		if (arr[i]->state == sig) {
			wake(arr[i]);
			continue;
		}
		if (arr[i]->pid % 11 == 0)
			continue; /* planted: put_task(arr[i]) missing */
		arr[i]->state++;
		put_task(arr[i]);
	}
}

static int count_all(void)
{
	struct task *arr[64];
	int n = collect(arr, 64);

	for (int i = 0; i < n; i++)
		put_task(arr[i]);
	return n;
}

int main(void)
{
	long counted = 0;

	for (int pid = 1; pid <= 50; pid++) {
		struct task *t = calloc(1, sizeof(*t));

		if (!t)
			return 1;
		t->pid = pid;
		refcount_set(&t->usage, 1);
		t->next = tasks;
		tasks = t;
	}
	for (int round = 0; round < 20; round++) {
		signal_all(round % 4);
		counted += count_all();
	}
	while (tasks) {
		struct task *t = tasks;

		tasks = t->next;
		put_task(t);
	}
	printf("%ld\n", counted);
	return 0;
}
