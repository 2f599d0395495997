/* SPDX-License-Identifier: MIT */
/* A wrapper like time(1): runs its arguments as a program of its own (fork
 * and exec), waits for it, and exits normally (atexit handlers run) with its
 * status. It never touches a refcount_t. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t pid;
	int status = 0;

	if (argc < 2)
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 2;
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}
