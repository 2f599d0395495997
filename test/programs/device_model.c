/* SPDX-License-Identifier: MIT */
/* A kernel-style device model, verbs first (get_device(), put_device()):
 * a bus holds its devices, each device holds its bus; lookups return a
 * reference; an iterator hands the next device and drops the previous
 * one; queued work holds its device; probing unwinds with gotos. No
 * planted bug (work_queue.c plants one): test/program_mutants deletes its
 * puts one at a time, and it must stay silent as it is. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bus;
struct device {
	refcount_t ref;
	int id;
	int state;
	struct bus *bus;
	struct device *parent;
};
struct bus {
	refcount_t ref;
	struct device *devs[32];
	int ndev;
};
struct work {
	struct device *dev;
	int op;
	struct work *next;
};
static struct work *queue;

struct bus *bus_get(struct bus *b) { refcount_inc(&b->ref); return b; }
void bus_put(struct bus *b) { if (b && refcount_dec_and_test(&b->ref)) free(b); }
struct device *get_device(struct device *d) { if (d) refcount_inc(&d->ref); return d; }
void put_device(struct device *d)
{
	if (d && refcount_dec_and_test(&d->ref)) {
		put_device(d->parent);
		bus_put(d->bus);
		free(d);
	}
}

struct bus *bus_create(void)
{
	struct bus *b = calloc(1, sizeof(*b));
	refcount_set(&b->ref, 1);
	return b;
}
struct device *device_create(struct bus *b, struct device *parent, int id)
{
	struct device *d = calloc(1, sizeof(*d));
	refcount_set(&d->ref, 1);
	d->id = id;
	d->bus = bus_get(b);
	d->parent = get_device(parent);
	b->devs[b->ndev++] = get_device(d);
	return d;
}
struct device *bus_find_device(struct bus *b, int id)
{
	for (int i = 0; i < b->ndev; i++)
		if (b->devs[i]->id == id)
			return get_device(b->devs[i]);
	return NULL;
}
struct device *bus_next_device(struct bus *b, struct device *prev)
{
	int i = 0;
	if (prev)
		while (i < b->ndev && b->devs[i] != prev)
			i++, (void)0;
	struct device *next = NULL;
	if (prev)
		i++;
	if (i < b->ndev)
		next = get_device(b->devs[i]);
	put_device(prev);
	return next;
}
int queue_work_for(struct device *d, int op)
{
	struct work *w = malloc(sizeof(*w));
	if (!w)
		return -1;
	w->dev = get_device(d);
	w->op = op;
	w->next = queue;
	queue = w;
	return 0;
}
int run_work(void)
{
	int done = 0;
	while (queue) {
		struct work *w = queue;
		queue = w->next;
		w->dev->state += w->op;
#ifdef WORK_QUEUE_LEAK
		(void)w->dev; /* planted: put_device(w->dev) missing */
#else
		put_device(w->dev);
#endif
		free(w);
		done++;
	}
	return done;
}
int device_probe(struct bus *b, int id)
{
	struct device *d = bus_find_device(b, id);
	if (!d)
		return -1;
	struct device *parent = get_device(d->parent);
	if (!parent)
		goto out_put_dev;
	if (parent->state < 0)
		goto out_put_parent;
	d->state = 1;
	put_device(parent);
	put_device(d);
	return 0;
out_put_parent:
	put_device(parent);
out_put_dev:
	put_device(d);
	return -1;
}
int count_active(struct bus *b, int limit)
{
	int n = 0;
	struct device *d = NULL;
	while ((d = bus_next_device(b, d))) {
		if (d->state > 0)
			n++;
		if (n == limit) {
			put_device(d);
			break;
		}
	}
	return n;
}
void device_unregister(struct bus *b, struct device *d)
{
	for (int i = 0; i < b->ndev; i++)
		if (b->devs[i] == d) {
			memmove(&b->devs[i], &b->devs[i + 1], (b->ndev - i - 1) * sizeof(b->devs[0]));
			b->ndev--;
			put_device(d);
			return;
		}
}
void bus_destroy(struct bus *b)
{
	while (b->ndev)
		put_device(b->devs[--b->ndev]);
	bus_put(b);
}
int main(void)
{
	struct bus *b = bus_create();
	struct device *root = device_create(b, NULL, 0);
	long sum = 0;
	for (int i = 1; i < 24; i++) {
		struct device *d = device_create(b, root, i);
		put_device(d);
	}
	put_device(root);
	for (int i = 0; i < 24; i++)
		sum += device_probe(b, i);
	for (int round = 0; round < 40; round++) {
		struct device *d = bus_find_device(b, round % 24);
		if (d) {
			queue_work_for(d, round % 3);
			put_device(d);
		}
		if (round % 4 == 0)
			sum += run_work();
		sum += count_active(b, 1 + round % 5);
	}
	for (int i = 20; i < 24; i++) {
		struct device *d = bus_find_device(b, i);
		if (d) {
			device_unregister(b, d);
			put_device(d);
		}
	}
	sum += run_work();
	bus_destroy(b);
	printf("%ld\n", sum);
	return 0;
}
