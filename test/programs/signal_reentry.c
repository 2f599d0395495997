/* SPDX-License-Identifier: MIT */
/*
 * A profiling timer fires thousands of times while the main thread works on
 * refcounts; its handler takes and drops references too, on the main loop's
 * own object and on another. A handler that lands inside the runtime must
 * neither deadlock on the object's lock nor lose an update: every count ends
 * exact and every object is released, so the run is silent.
 */
#include "obj.h"
#include <signal.h>
#include <string.h>
#include <sys/time.h>

static struct obj *shared, *other;
static volatile sig_atomic_t ticks;

static void on_tick(int sig)
{
	(void)sig;
	refcount_inc(&shared->ref);
	refcount_inc(&other->ref);
	if (refcount_dec_and_test(&other->ref) || refcount_dec_and_test(&shared->ref))
		abort(); /* the main loop still holds both */
	ticks++;
}

int main(void)
{
	struct itimerval every = { { 0, 100 }, { 0, 100 } }, stop;
	struct sigaction sa;
	long i;

	shared = obj__new();
	other = obj__new();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGPROF, &sa, NULL);
	setitimer(ITIMER_PROF, &every, NULL);
	for (i = 0; i < 400000 || ticks < 200; i++) {
		obj__get(shared);
		obj__put(shared);
	}
	memset(&stop, 0, sizeof(stop));
	setitimer(ITIMER_PROF, &stop, NULL);
	if (refcount_read(&shared->ref) != 1 || refcount_read(&other->ref) != 1)
		return 1; /* a lost update */
	obj__put(shared);
	obj__put(other);
	return 0;
}
