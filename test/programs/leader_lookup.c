/* SPDX-License-Identifier: MIT */
/*
 * perf's thread__init_maps() shape, planted: a new object's own method,
 * obj__init_leader(), looks up its leader in the same table it is being
 * added to, and forgets to put it. The lookup goes through the table's
 * last-match cache, whose setter __table_set_last() also runs at exit
 * (table_exit() clears the cache through it): the cache takes a reference
 * under obj__init_leader() and drops it under the next lookup's caller.
 * Counted under obj__init_leader(), those cache references make it look
 * like it handed on more than the leader holds; they are the cache's (it
 * drops all it takes over the leader's life). And obj__init_leader() is a
 * method of the leaked kind, called from outside its API: it decides.
 * Suspect #1 must be obj__init_leader.
 */
#include "obj.h"

#define N 24
#define LEADER 0

struct table;
static void obj__init_leader(struct obj *o, struct table *t);
#define TABLE_ON_NEW(o, t) obj__init_leader(o, t)
#include "table.h"

static __attribute__((noinline)) void obj__init_leader(struct obj *o, struct table *t)
{
	struct obj *leader;

	if (o->payload == LEADER)
		return;
	leader = table_findnew(t, LEADER);
	o->payload += leader->payload; /* forgets obj__put(leader) */
}

int main(void)
{
	struct table t = {{0}, 0};
	int sum = sample_rounds(&t);

	sum += handle_sample(&t, LEADER); /* the leader is the last match at exit */
	table_exit(&t);
	return sum < 0;
}
