/* SPDX-License-Identifier: MIT */
/* perf's dso__delete() without its nsinfo__zput(), as perf has it at -O2
 * and above: entry__put() ends in its call to entry__delete(), which ends
 * in free(): two tail calls in a row, so at free() only the caller of
 * entry__put() is on the stack. Its call instruction names entry__put();
 * entry__put()'s DWARF names its one tail call, entry__delete(). (At -O0,
 * the stack has them all.) A scratch object is released first, so the
 * namespace type's layout is known by then. Suspect #1 must be
 * entry__delete. */
#include "entry_ns.h"

static __attribute__((noinline)) void entry__put(struct entry *e)
{
	if (e && refcount_dec_and_test(&e->ref))
		entry__delete(e);
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
		entry__put(entries[i]);
	}
	for (i = 0; i < 3; i++)
		obj__put(ns[i]);
	return sum == -1;
}
