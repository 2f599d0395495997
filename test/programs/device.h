/* SPDX-License-Identifier: MIT */
/* A struct device embedding a kernel-style kref: kref_init(), kref_get()
 * and kref_put() are generic, device_new(), device_get() and device_put()
 * the device's own. The kind is the device (device_new() is declared to
 * return one), not the kref: cleanup_short and tree_destroy. */
#ifndef TEST_DEVICE_H
#define TEST_DEVICE_H

#include <linux/refcount.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

struct kref {
	refcount_t refcount;
};

static __attribute__((noinline)) __maybe_unused void kref_init(struct kref *k)
{
	refcount_set(&k->refcount, 1);
}

static __attribute__((noinline)) __maybe_unused void kref_get(struct kref *k)
{
	refcount_inc(&k->refcount);
}

static __attribute__((noinline)) __maybe_unused int kref_put(struct kref *k, void (*release)(struct kref *k))
{
	if (refcount_dec_and_test(&k->refcount)) {
		release(k);
		return 1;
	}
	return 0;
}

struct device {
	char name[40];
	int id;
	struct kref kref; /* not at the start of the block */
};

static void device_release(struct kref *k)
{
	free(container_of(k, struct device, kref));
}

static __attribute__((noinline)) __maybe_unused struct device *device_new(int id)
{
	struct device *d = calloc(1, sizeof(*d));

	if (!d)
		abort();
	kref_init(&d->kref);
	d->id = id;
	snprintf(d->name, sizeof(d->name), "dev%d", id);
	return d;
}

static __attribute__((noinline)) __maybe_unused struct device *device_get(struct device *d)
{
	if (d)
		kref_get(&d->kref);
	return d;
}

static __attribute__((noinline)) __maybe_unused void device_put(struct device *d)
{
	if (d)
		kref_put(&d->kref, device_release);
}

#endif
