/* SPDX-License-Identifier: MIT */
/* perf test 16's shape: a table whose delete frees its entry after handing
 * the value back to the caller, which puts it (perf's hashmap__delete()
 * and threads__remove_all_threads()). The entries are freed still pointing
 * at their objects, but the put comes right after, outside the delete.
 * The objects leak because keep_samples() takes references it never drops,
 * more of them than the table ever held: it stays suspect #1, not the
 * table's delete. */
#include "entry_list.h"

static __attribute__((noinline)) void keep_samples(struct obj *o, struct obj **samples)
{
	for (int i = 0; i < 4; i++)
		samples[i] = obj__get(o);
}

int main(void)
{
	struct obj *samples[3][4];
	struct entry *table = NULL;
	int i;

	for (i = 0; i < 3; i++) {
		struct obj *o = obj__new();

		table = table_add(table, i, o);
		keep_samples(o, samples[i]);
		obj__put(o);
	}
	while (table) {
		struct obj *old;

		table = list_delete(table, &old);
		obj__put(old);
	}
	return samples[0][0] == NULL;
}
