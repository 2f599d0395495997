/* SPDX-License-Identifier: MIT */
/*
 * perf's __threads_table_entry__set_last_match() without its put, planted:
 * the table's last-match cache takes a reference on each new match and
 * never drops the one it replaces. Every object is looked up and each
 * lookup replaces the last match, so every object leaks and none is
 * reclaimed to say what is normal. The setter is called from three
 * places (a lookup, a findnew, the table's exit), the per-function counts
 * credit its gets to their callers, and only the call-path owner walk
 * sees that __table_set_last() kept them: now that puts pair where they
 * meet and the table's birth and purge leave the counts, an owner
 * explains an object without reclaimed ones too. Suspect #1 must be
 * __table_set_last.
 */
#include "obj.h"

#define N 12
#define TABLE_SET_LAST_PUT(t) /* forgets obj__put((t)->last) */
#include "table.h"

int main(void)
{
	struct table t = {{0}, 0};
	int sum = sample_rounds(&t);

	table_exit(&t);
	return sum < 0;
}
