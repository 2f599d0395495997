/* SPDX-License-Identifier: MIT */
/*
 * perf's __event_process_build_id() shape, planted: a handler gets an
 * object through a lookup called from nowhere else
 * (session__findnew_named(), one line over the store's findnew) and
 * forgets to put it. Every object that path finds leaks, so no reclaimed
 * object says what session__findnew_named() normally does, and by its
 * balance alone it kept the reference as much as the handler did; but it
 * is declared to return a struct obj *: it hands the reference to its
 * caller. The store's findnew is seen in reclaimed objects (another
 * handler puts what it finds, in the leaked objects too; a third puts
 * what the store's plain find returns: a function beneath which a
 * reference is taken is no container's purge). As in perf, the
 * store takes its reference in a helper of its own (store__add(), perf's
 * __dsos__add()), which store__purge() drops: with the birth, the store's
 * reference, whatever the handler's balance says. So the handler's
 * unmatched reference is the birth it asked for, which must not rank it
 * last: a background leak (keep_one(), one extra get on one object) is
 * second. Suspect #1 must be process_build_id.
 */
#define N 16
#include "store.h"

static __attribute__((noinline)) struct obj *session__findnew_named(struct store *s, int key)
{
	return store__findnew(s, key);
}

static __attribute__((noinline)) int process_build_id(struct store *s, int key)
{
	struct obj *o = session__findnew_named(s, key);

	if (!o)
		return -1;
	o->payload += 100;
	return 0; /* forgets obj__put(o) */
}

static __attribute__((noinline)) struct obj *store__find(struct store *s, int key)
{
	return s->slots[key] ? obj__get(s->slots[key]) : NULL;
}

static __attribute__((noinline)) int process_sample(struct store *s, int key)
{
	struct obj *o = store__find(s, key);
	int v = o ? o->payload : 0;

	obj__put(o);
	return v;
}

static struct obj *kept;

static __attribute__((noinline)) void keep_one(struct store *s, int key)
{
	kept = obj__get(s->slots[key]); /* never put: the background leak */
}

int main(void)
{
	struct store s = {{0}};
	int i, sum = 0;

	for (i = 0; i < 4; i++)
		sum += process_build_id(&s, i);
	for (i = 0; i < N; i++)
		sum += process_mmap(&s, i);
	for (i = 0; i < N; i++)
		sum += process_sample(&s, i);
	keep_one(&s, 2);
	store__purge(&s);
	return sum < 0;
}
