/* SPDX-License-Identifier: MIT */
/* Devices with driver ops: each device holds a reference to its bus, and
 * each driver's ->remove() must put it before freeing the device. The
 * usb driver's remove forgets (the planted bug); it is called through a
 * function pointer and named for no kind (usb_remove), but DWARF says it
 * takes a struct device *: it frees its own object's block, and is no
 * generic helper to look past (as perf's __zfree(void **) is). At -O2
 * device__unregister() jumps to it through the pointer, and usb_remove()
 * jumps to free(): neither frame is on free()'s stack, and an indirect
 * tail call names no callee, so the dispatcher is named there. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct bus { refcount_t refs; int id; };
struct device;
struct driver_ops { void (*remove)(struct device *); const char *name; };
struct device { struct bus *bus; const struct driver_ops *ops; int id; };

static struct bus *bus__new(int id) { struct bus *b = calloc(1, sizeof(*b)); refcount_set(&b->refs, 1); b->id = id; return b; }
static struct bus *bus__get(struct bus *b) { refcount_inc(&b->refs); return b; }
static void bus__put(struct bus *b) { if (b && refcount_dec_and_test(&b->refs)) free(b); }

static void net_remove(struct device *d) { bus__put(d->bus); free(d); }
static void disk_remove(struct device *d) { bus__put(d->bus); free(d); }
static void usb_remove(struct device *d) { free(d); /* planted: bus__put(d->bus) missing */ }
static const struct driver_ops net_ops = { net_remove, "net" }, disk_ops = { disk_remove, "disk" }, usb_ops = { usb_remove, "usb" };

static struct device *device__probe(struct bus *b, const struct driver_ops *ops, int id)
{
	struct device *d = calloc(1, sizeof(*d));
	d->bus = bus__get(b);
	d->ops = ops;
	d->id = id;
	return d;
}
static void device__unregister(struct device *d) { d->ops->remove(d); }

int main(void)
{
	struct bus *buses[3] = { bus__new(0), bus__new(1), bus__new(2) };
	struct device *devs[30];
	const struct driver_ops *all[3] = { &net_ops, &disk_ops, &usb_ops };
	for (int i = 0; i < 30; i++)
		devs[i] = device__probe(buses[i % 3], all[(i / 3) % 3], i);
	for (int i = 0; i < 30; i++)
		device__unregister(devs[i]);
	for (int i = 0; i < 3; i++)
		bus__put(buses[i]);
	return 0;
}
