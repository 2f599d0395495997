/* SPDX-License-Identifier: MIT */
/* Two drivers behind one ops table: each open takes a reference to its
 * device, each release should drop it; the mem driver's release forgets
 * (the planted bug). Its release makes no operation, so the best a count
 * can name is the get nobody put: mem_open(). The tty driver opens and
 * releases as many times as the mem driver opens, by chance of the
 * workload: its release dropped as many references as mem_open() took,
 * and tty_open() took each of them. Those totals are not a refilled slot
 * (docs/ranking.md, "A refilled slot"): tty_release() never dropped a
 * reference of a mem device, and it is no method of mem_open()'s holder.
 * Suspect #1 must be mem_open. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct dev { int minor; refcount_t ref; };
struct fops;
struct file { struct dev *dev; const struct fops *ops; };
struct fops { int (*open)(struct file *, struct dev *); void (*release)(struct file *); };

static __attribute__((noinline)) struct dev *dev_get(struct dev *d)
{
	refcount_inc(&d->ref);
	return d;
}

static __attribute__((noinline)) void dev_put(struct dev *d)
{
	if (refcount_dec_and_test(&d->ref))
		free(d);
}

static int tty_open(struct file *f, struct dev *d)
{
	f->dev = dev_get(d);
	return 0;
}

static void tty_release(struct file *f)
{
	dev_put(f->dev);
	f->dev = NULL;
}

static int mem_open(struct file *f, struct dev *d)
{
	f->dev = dev_get(d);
	return 1;
}

static void mem_release(struct file *f)
{
	f->dev = NULL; /* the planted bug: no dev_put(f->dev) */
}

static const struct fops tty_fops = { tty_open, tty_release };
static const struct fops mem_fops = { mem_open, mem_release };
static struct dev *devs[4];

static __attribute__((noinline)) int vfs_open(struct file *f, int minor)
{
	f->ops = minor < 2 ? &tty_fops : &mem_fops;
	return f->ops->open(f, devs[minor]);
}

static __attribute__((noinline)) void vfs_close(struct file *f)
{
	f->ops->release(f);
}

int main(void)
{
	struct file f;
	long sum = 0;

	for (int i = 0; i < 4; i++) {
		devs[i] = calloc(1, sizeof(struct dev));
		if (!devs[i])
			return 1;
		devs[i]->minor = i;
		refcount_set(&devs[i]->ref, 1);
	}
	for (int i = 0; i < 400; i++) {
		sum += vfs_open(&f, i % 4);
		sum += f.dev->minor;
		vfs_close(&f);
	}
	for (int i = 0; i < 4; i++)
		dev_put(devs[i]);
	printf("%ld\n", sum);
	return 0;
}
