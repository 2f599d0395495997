/* SPDX-License-Identifier: MIT */
/*
 * Processes, each blamed for what it did (argv[1] picks the shape):
 *   restore     the parent makes 10 objects and takes one extra reference on
 *               the last; the child takes and drops one on each (balanced)
 *               and exits; the parent drops one on each: only the parent
 *               leaks, 1 object holding 1 reference.
 *   fork        parent and child each leak one object of their own.
 *   report_fork the same, the parent printing a live report before fork.
 *   exec        the child execs this program ("leak"); each leaks one.
 *   grandchild  parent, child and grandchild each leak one.
 *   spawn       posix_spawn()s this program ("leak"); each leaks one.
 *   leak        leaks one object.
 */
#include "obj.h"
#include <refdebug.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static __attribute__((noinline)) void leak_one(void)
{
	obj__new()->payload = 1;
}

static int wait_for(pid_t pid)
{
	int status = 0;

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static __attribute__((noinline)) void touch_and_restore(struct obj **objs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		obj__get(objs[i]);
	for (i = 0; i < n; i++)
		obj__put(objs[i]);
}

static __attribute__((noinline)) int restore(void)
{
	struct obj *objs[10];
	pid_t pid;
	int i, rc;

	for (i = 0; i < 10; i++)
		objs[i] = obj__new();
	obj__get(objs[9]);
	pid = fork();
	if (pid == 0) {
		touch_and_restore(objs, 10);
		exit(0);
	}
	rc = wait_for(pid);
	for (i = 0; i < 10; i++)
		obj__put(objs[i]);
	return rc;
}

static pid_t run_self(const char *self, const char *how)
{
	char *argv[] = {(char *)self, (char *)"leak", NULL};
	pid_t pid;

	if (strcmp(how, "spawn") == 0)
		return posix_spawn(&pid, self, NULL, NULL, argv, environ) ? -1 : pid;
	pid = fork();
	if (pid == 0) {
		execve(self, argv, environ);
		_exit(127);
	}
	return pid;
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid;

	if (n <= 0)
		return 2;
	self[n] = 0;
	if (strcmp(how, "restore") == 0)
		return restore();
	leak_one();
	if (strcmp(how, "leak") == 0)
		return 0;
	if (strcmp(how, "exec") == 0 || strcmp(how, "spawn") == 0)
		return wait_for(run_self(self, how));
	if (strcmp(how, "report_fork") == 0)
		refdebug_report();
	else if (strcmp(how, "fork") != 0 && strcmp(how, "grandchild") != 0)
		return 2;
	pid = fork();
	if (pid == 0) {
		leak_one();
		if (strcmp(how, "grandchild") == 0) {
			pid = fork();
			if (pid == 0) {
				leak_one();
				exit(0);
			}
			exit(wait_for(pid));
		}
		exit(0);
	}
	return wait_for(pid);
}
