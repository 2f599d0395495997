/* SPDX-License-Identifier: MIT */
/*
 * The parent leaks a and c. The child inherits both, takes one more
 * reference on c and leaks a new b: it reports b and c only (2 objects,
 * 3 references); the parent reports a and c (2 objects, 2 references).
 */
#include "obj.h"
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct obj *a = obj__new();
	struct obj *c = obj__new();
	pid_t pid;
	int status = 0;

	a->payload = c->payload = 1;
	pid = fork();
	if (pid == 0) {
		struct obj *b = obj__new();

		obj__get(c);
		b->payload = 2;
		exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
