/* SPDX-License-Identifier: MIT */
/* A work queue: each queued item holds a reference on its object, the
 * runner drops it. Objects get one item or two, so the runner
 * drops a different number for each; for the leaked objects (one item
 * each) it dropped fewer than for the average reclaimed one, but as many
 * as were queued for them. The reporter forgets the put of the object it
 * looked up when the object ran once (planted): it is the one to name. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct obj { refcount_t ref; int id; int runs; };
struct item { struct obj *o; struct item *next; };
static struct item *queue;
static struct obj *table[32];

struct obj *obj_get(struct obj *o) { refcount_inc(&o->ref); return o; }
void obj_put(struct obj *o) { if (o && refcount_dec_and_test(&o->ref)) free(o); }

static struct obj *obj_new(int id)
{
	struct obj *o = calloc(1, sizeof(*o));
	refcount_set(&o->ref, 1);
	o->id = id;
	return table[id] = o;
}
static struct obj *obj_lookup(int id) { return table[id] ? obj_get(table[id]) : NULL; }
static void queue_for(struct obj *o)
{
	struct item *w = malloc(sizeof(*w));
	w->o = obj_get(o);
	w->next = queue;
	queue = w;
}
static int run_queue(void)
{
	int n = 0;
	while (queue) {
		struct item *w = queue;
		queue = w->next;
		w->o->runs++;
		obj_put(w->o);
		free(w);
		n++;
	}
	return n;
}
static int report_one(int id)
{
	struct obj *o = obj_lookup(id);
	int runs = o->runs;
	if (runs == 1)
		return runs; /* planted: obj_put(o) missing */
	obj_put(o);
	return runs;
}
int main(void)
{
	long sum = 0;
	for (int id = 0; id < 32; id++)
		obj_new(id);
	for (int id = 0; id < 32; id++)
		for (int k = 0; k < (id % 4 ? 2 : 1); k++)
			queue_for(table[id]);
	sum += run_queue();
	for (int id = 0; id < 32; id++)
		sum += report_one(id);
	for (int id = 0; id < 32; id++)
		obj_put(table[id]);
	printf("%ld\n", sum);
	return 0;
}
