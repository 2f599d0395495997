/* SPDX-License-Identifier: MIT */
/* perf's build-id dsos, in small. dsos__addnew() creates a dso for its
 * caller and the list takes its own reference (dsos__add), which
 * dsos__purge() drops at the end; the caller, load_build_ids(), puts the
 * creator's reference. keep_kernel_map() takes one that nobody drops. The
 * birth is made inside a list method but is the creator's reference: counted
 * with the list's own get and put, it would leave the list one reference up
 * and tie with the real culprit. */
#include <linux/refcount.h>
#include <stdlib.h>

struct dso {
	refcount_t refcnt;
};

struct dsos {
	struct dso *entry[4];
	int nr;
};

static __attribute__((noinline)) struct dso *dso__new(void)
{
	struct dso *d = malloc(sizeof(*d));

	if (!d)
		abort();
	refcount_set(&d->refcnt, 1);
	return d;
}

static __attribute__((noinline)) struct dso *dso__get(struct dso *d)
{
	refcount_inc(&d->refcnt);
	return d;
}

static __attribute__((noinline)) void dso__put(struct dso *d)
{
	if (d && refcount_dec_and_test(&d->refcnt))
		free(d);
}

static __attribute__((noinline)) void dsos__add(struct dsos *l, struct dso *d)
{
	l->entry[l->nr++] = dso__get(d);
}

static __attribute__((noinline)) struct dso *dsos__addnew(struct dsos *l)
{
	struct dso *d = dso__new();

	dsos__add(l, d);
	return d;
}

static __attribute__((noinline)) void dsos__purge(struct dsos *l)
{
	while (l->nr)
		dso__put(l->entry[--l->nr]);
}

static __attribute__((noinline)) struct dso *load_build_ids(struct dsos *l)
{
	struct dso *d = dsos__addnew(l);
	struct dso *found = l->entry[0];

	dso__put(d); /* the list keeps it */
	return found;
}

static struct dso *kernel_map_dso;

static __attribute__((noinline)) void keep_kernel_map(struct dso *d)
{
	kernel_map_dso = dso__get(d); /* never put */
}

int main(void)
{
	struct dsos list = { { 0 }, 0 };

	keep_kernel_map(load_build_ids(&list));
	dsos__purge(&list);
	return kernel_map_dso ? 0 : 1;
}
