/* SPDX-License-Identifier: MIT */
/*
 * perf's __event_process_build_id() shape, planted: a handler gets an
 * object through a lookup called from nowhere else
 * (session__findnew_named(), one line over the store's findnew) and
 * forgets to put it. Every object that path finds leaks, so no reclaimed
 * object says what session__findnew_named() normally does; by its
 * balance alone it kept the reference as much as the handler did. Its
 * name says it finds: it hands what it finds to its caller. The store's
 * own findnew is seen in reclaimed objects (another handler puts what it
 * finds). Suspect #1 must be process_build_id.
 */
#include "obj.h"

#define N 16

struct store {
	struct obj *slots[N];
};

static __attribute__((noinline)) struct obj *store__findnew(struct store *s, int key)
{
	struct obj *o = s->slots[key];

	if (!o) {
		o = obj__new(); /* the caller's reference */
		o->payload = key;
		s->slots[key] = obj__get(o); /* the store's */
		return o;
	}
	return obj__get(o);
}

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

static __attribute__((noinline)) int process_mmap(struct store *s, int key)
{
	struct obj *o = store__findnew(s, key);
	int v = o->payload;

	obj__put(o);
	return v;
}

static __attribute__((noinline)) void store__purge(struct store *s)
{
	int i;

	for (i = 0; i < N; i++)
		obj__put(s->slots[i]);
}

int main(void)
{
	struct store s = {{0}};
	int i, sum = 0;

	for (i = 0; i < 4; i++)
		sum += process_build_id(&s, i);
	for (i = 4; i < N; i++)
		sum += process_mmap(&s, i);
	store__purge(&s);
	return sum < 0;
}
