/* SPDX-License-Identifier: MIT */
/* Kernel-style names, verb first: get_device() and put_device() name no
 * kind the way "<kind>_get" does, and every device is set up by
 * alloc_device(). A sysfs-like show function returns early for one
 * attribute without its put (planted). The getters are declared to return
 * a struct device *: that names the kind, so get_device() is read as the
 * API and show_attr() is named, not get_device() itself. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct device { refcount_t refs; int id; struct device *parent; };
static struct device *devices[20];

struct device *get_device(struct device *d) { if (d) refcount_inc(&d->refs); return d; }
void put_device(struct device *d)
{
	if (d && refcount_dec_and_test(&d->refs)) {
		put_device(d->parent);
		free(d);
	}
}
static struct device *alloc_device(int id, struct device *parent)
{
	struct device *d = calloc(1, sizeof(*d));
	refcount_set(&d->refs, 1);
	d->id = id;
	d->parent = get_device(parent);
	return d;
}
struct device *find_device_by_id(int id)
{
	for (int i = 0; i < 20; i++)
		if (devices[i] && devices[i]->id == id)
			return get_device(devices[i]);
	return NULL;
}
static int show_attr(int id, int attr)
{
	struct device *d = find_device_by_id(id);
	if (!d)
		return -1;
	if (attr == 3)
		return d->id; /* planted: put_device(d) missing */
	int v = d->id * attr;
	put_device(d);
	return v;
}
static int poll_device(int id)
{
	struct device *d = find_device_by_id(id);
	int v = d ? d->id : 0;
	put_device(d);
	return v;
}
int main(void)
{
	long sum = 0;
	struct device *bus = alloc_device(1000, NULL);
	for (int i = 0; i < 20; i++) devices[i] = alloc_device(i, bus);
	for (int i = 0; i < 500; i++) {
		sum += poll_device(i % 20);
		if (i % 7 == 0) sum += show_attr(i % 20, i % 5);
	}
	for (int i = 0; i < 20; i++) { put_device(devices[i]); devices[i] = NULL; }
	put_device(bus);
	printf("%ld\n", sum);
	return 0;
}
