/* SPDX-License-Identifier: MIT */
/* A growable vector of object references (realloc()ed as it grows).
 * main() keeps every object in one vector; report() copies it, taking a
 * reference per element through the same vec__push(), and releases the
 * copy through the same vec__release(), except on one early return (the
 * planted bug). main() holds everything that happens beneath it, so its
 * balance over an object is the object's count: against what reclaimed
 * objects say, it seemed to keep the reference report() kept, and its own
 * push, nearer to its operation than report()'s, made it the innermost
 * owner. An owner nested in another is counted first. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct obj { refcount_t refs; int id; };
static struct obj *obj__new(int id) { struct obj *o = malloc(sizeof(*o)); refcount_set(&o->refs, 1); o->id = id; return o; }
static struct obj *obj__get(struct obj *o) { refcount_inc(&o->refs); return o; }
static void obj__put(struct obj *o) { if (o && refcount_dec_and_test(&o->refs)) free(o); }

struct vec { struct obj **v; size_t n, cap; };
static void vec__push(struct vec *vv, struct obj *o)
{
	if (vv->n == vv->cap) {
		vv->cap = vv->cap ? vv->cap * 2 : 2;
		vv->v = realloc(vv->v, vv->cap * sizeof(*vv->v));
	}
	vv->v[vv->n++] = obj__get(o);
}
static void vec__release(struct vec *vv)
{
	for (size_t i = 0; i < vv->n; i++)
		obj__put(vv->v[i]);
	free(vv->v);
	vv->v = NULL;
	vv->n = vv->cap = 0;
}
static struct vec snapshot(struct vec *from)
{
	struct vec s = { 0 };
	for (size_t i = 0; i < from->n; i++)
		vec__push(&s, from->v[i]);
	return s;
}
static int report(struct vec *all, int round)
{
	struct vec s = snapshot(all);
	int sum = 0;
	for (size_t i = 0; i < s.n; i++)
		sum += s.v[i]->id;
	if (round == 7)
		return sum; /* planted: vec__release(&s) skipped */
	vec__release(&s);
	return sum;
}
int main(void)
{
	struct vec all = { 0 };
	long total = 0;
	for (int i = 0; i < 20; i++) {
		struct obj *o = obj__new(i);
		vec__push(&all, o);
		obj__put(o);
		total += report(&all, i);
	}
	vec__release(&all);
	printf("%ld\n", total);
	return 0;
}
