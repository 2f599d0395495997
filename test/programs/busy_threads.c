/* SPDX-License-Identifier: MIT */
/*
 * Threads that never stop operating on shared objects, while main either
 *   fork: forks 50 times; each child operates on the same objects (whose
 *         registry locks another thread may have held at fork()) and exits;
 *   exit: calls exit() with the threads still running, so the exit report
 *         runs beside them;
 *   abort: calls abort() with the threads still running (no report).
 * Neither may hang or crash. usage: busy_threads fork|exit|abort
 */
#include "obj.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THREADS 3
#define SHARED 8

static struct obj *shared[SHARED];

static void *spin(void *arg)
{
	unsigned int i = (unsigned int)(uintptr_t)arg;

	for (;; i++) {
		struct obj *o = shared[i % SHARED];

		obj__get(o);
		obj__put(o);
		obj__put(obj__new()); /* births and frees too */
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	struct timespec pause = { 0, 2000000 };
	int i, failed = 0;

	if (argc < 2)
		return 2;
	for (i = 0; i < SHARED; i++)
		shared[i] = obj__new();
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&t, NULL, spin, (void *)(uintptr_t)i) != 0)
			return 1;
	nanosleep(&pause, NULL);
	if (strcmp(argv[1], "fork") == 0) {
		for (i = 0; i < 50; i++) {
			pid_t pid = fork();
			int status = 0;

			if (pid == 0) {
				int k;

				/* No malloc() here: a sanitizer's allocator is not fork-safe
				 * (its lock may be held by a thread the child lacks). */
				for (k = 0; k < 1000; k++) {
					obj__get(shared[k % SHARED]);
					obj__put(shared[k % SHARED]);
				}
				_exit(0);
			}
			if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			    WEXITSTATUS(status) != 0)
				failed++;
		}
		printf("50 children, %d failed\n", failed);
		fflush(stdout);
		_exit(failed != 0); /* the spinning threads never end */
	}
	if (strcmp(argv[1], "abort") == 0)
		abort();
	printf("exiting with threads running\n");
	fflush(stdout);
	exit(0);
}
