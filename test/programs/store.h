/* SPDX-License-Identifier: MIT */
/* A store of N objects (define N first), perf's dsos in small: findnew
 * creates an object for its caller and the store takes a reference of its
 * own in a helper (store__add(), perf's __dsos__add()), which
 * store__purge() drops at the end; process_mmap() is a handler that puts
 * what it finds. For oneoff_lookup and returns_object. */
#ifndef TEST_STORE_H
#define TEST_STORE_H

#include "obj.h"

struct store {
	struct obj *slots[N];
};

static __attribute__((noinline)) void store__add(struct store *s, int key, struct obj *o)
{
	s->slots[key] = obj__get(o); /* the store's reference */
}

static __attribute__((noinline)) struct obj *store__findnew(struct store *s, int key)
{
	struct obj *o = s->slots[key];

	if (!o) {
		o = obj__new(); /* the caller's reference */
		o->payload = key;
		store__add(s, key, o);
		return o;
	}
	return obj__get(o);
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

#endif
