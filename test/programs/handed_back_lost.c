/* SPDX-License-Identifier: MIT */
/*
 * perf's threads__remove_all_threads() without its put, planted: a list's
 * delete frees each entry and hands its value back through an out
 * parameter (perf's hashmap__delete(..., &old_value)); the caller,
 * table__remove_all(), should put what it was handed and forgets to. The
 * freed entries still point at the objects, and list_delete() is the only
 * function that frees them (a list's, not the table's, as perf's
 * hashmap_delete() is no threads__ method): but it is declared to hand a
 * value back through a pointer to a pointer, so what it freed went to its
 * caller, who decides. Suspect #1 must be table__remove_all.
 */
#define N 6
#include "entry_list.h"

static __attribute__((noinline)) void table__remove_all(struct entry *table)
{
	while (table) {
		struct obj *old;

		table = list_delete(table, &old);
		(void)old; /* forgets obj__put(old) */
	}
}

int main(void)
{
	struct entry *table = NULL;
	int i;

	for (i = 0; i < N; i++) {
		struct obj *o = obj__new();

		table = table_add(table, i, o);
		obj__put(o);
	}
	table__remove_all(table);
	return 0;
}
