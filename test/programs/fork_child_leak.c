/* SPDX-License-Identifier: MIT */
/*
 * The leak happens in a forked child only: it takes a reference on the
 * object it inherited and exits without dropping it. The parent is clean.
 */
#include "obj.h"
#include <sys/wait.h>
#include <unistd.h>
static __attribute__((noinline)) void child_work(struct obj *o) { obj__get(o); /* never put */ }
int main(void)
{
	struct obj *o = obj__new();
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		child_work(o);
		exit(0);
	}
	waitpid(pid, &status, 0);
	obj__put(o);
	return 0;
}
