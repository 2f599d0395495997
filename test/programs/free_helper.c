/* SPDX-License-Identifier: MIT */
/* A destructor that lost its put and frees through its own one-line helper,
 * as perf's hist_entry__delete() (without its thread__zput()) frees the
 * entry with hist_entry__free(): the helper calls free() and nothing else,
 * so the function that decided is its caller, entry__delete(), which
 * still drops the entry's label. */
#include "obj.h"

struct entry {
	struct obj *owner;
	struct obj *label;
	int value;
};

static __attribute__((noinline)) void entry__free(void *p)
{
	free(p);
}

static __attribute__((noinline)) struct entry *entry__new(struct obj *owner, struct obj *label, int value)
{
	struct entry *e = malloc(sizeof(*e));

	if (!e)
		abort();
	e->owner = obj__get(owner);
	e->label = obj__get(label);
	e->value = value;
	return e;
}

static __attribute__((noinline)) void entry__delete(struct entry *e)
{
	obj__put(e->label);
	/* and no obj__put(e->owner) */
	entry__free(e);
}

int main(void)
{
	struct obj *owners[3], *label = obj__new();
	int i, sum = 0;

	for (i = 0; i < 3; i++)
		owners[i] = obj__new();
	for (i = 0; i < 12; i++) {
		struct entry *e = entry__new(owners[i % 3], label, i);

		sum += e->value;
		entry__delete(e);
	}
	for (i = 0; i < 3; i++)
		obj__put(owners[i]);
	obj__put(label);
	return sum == -1;
}
