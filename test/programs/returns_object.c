/* SPDX-License-Identifier: MIT */
/*
 * perf's perf_session__register_idle_thread() shape, planted: a set-up
 * function runs once, gets the idle object from session_idle_object()
 * (which finds it in the store and names it) and forgets to put it. The
 * idle object is the only one that path finds, so no reclaimed object says
 * what session_idle_object() normally does, and its name says nothing
 * either; but it is declared to return a struct obj *: it hands the
 * reference to its caller. Suspect #1 must be session__register_idle.
 */
#define N 12
#define IDLE 0
#include "store.h"

static __attribute__((noinline)) struct obj *session_idle_object(struct store *s)
{
	struct obj *o = store__findnew(s, IDLE);

	o->payload = -1; /* perf names its idle thread "swapper" */
	return o;
}

static __attribute__((noinline)) int session__register_idle(struct store *s)
{
	struct obj *o = session_idle_object(s);

	return o ? 0 : -1; /* forgets obj__put(o) */
}

int main(void)
{
	struct store s = {{0}};
	int i, sum = 0;

	sum += session__register_idle(&s);
	for (i = 1; i < N; i++)
		sum += process_mmap(&s, i);
	store__purge(&s);
	return sum < 0;
}
