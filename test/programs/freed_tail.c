/* SPDX-License-Identifier: MIT */
/* perf's dso__delete() without its nsinfo__zput(): a refcounted entry
 * holds a reference to its namespace, entry__put() calls entry__delete()
 * at the last put, and entry__delete() ends with free(): at -O2 a jump,
 * so its frame is gone from free()'s stack and only entry__put()'s call
 * instruction still names it. (perf's dso__put() ends with that call too:
 * two tail calls in a row, planted in freed_tail_chain; this entry__put()
 * says whether it freed.) A scratch object is released
 * first, so the namespace type's layout is known by then. */
#include "entry_ns.h"

static __attribute__((noinline)) int entry__put(struct entry *e)
{
	if (e && refcount_dec_and_test(&e->ref)) {
		entry__delete(e);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct obj *scratch = obj__new(), *ns[3];
	struct entry *entries[9];
	int i, sum = 0;

	obj__put(scratch);
	for (i = 0; i < 3; i++)
		ns[i] = obj__new();
	for (i = 0; i < 9; i++)
		entries[i] = entry__new(argv[0], ns[i % 3]);
	for (i = 0; i < 9; i++) {
		sum += entries[i]->name[0] + argc;
		sum += entry__put(entries[i]);
	}
	for (i = 0; i < 3; i++)
		obj__put(ns[i]);
	return sum == -1;
}
