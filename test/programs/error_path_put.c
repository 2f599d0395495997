/* SPDX-License-Identifier: MIT */
/* validate() drops its caller's reference on failure, and the caller drops
 * it too: the table's reference is gone, and the table's cleanup put then
 * touches freed memory. The error names validate(): beside the creator's
 * birth and the failing put, it is the one that dropped more than it took. */
#include "obj.h"

static struct obj *table[4];

static __attribute__((noinline)) int validate(struct obj *o)
{
	if (o->payload < 0) {
		obj__put(o); /* the planted bug: not validate()'s reference to drop */
		return -1;
	}
	return 0;
}

static __attribute__((noinline)) int process(int k)
{
	struct obj *o = obj__get(table[k]);
	int r = validate(o);

	obj__put(o);
	return r;
}

int main(void)
{
	int t = 0;

	for (int i = 0; i < 4; i++) {
		table[i] = obj__new();
		table[i]->payload = i == 2 ? -1 : i;
	}
	for (int r = 0; r < 10; r++)
		t += process(r % 2);
	t += process(2);
	for (int i = 0; i < 4; i++)
		obj__put(table[i]); /* table[2]: freed already */
	return t == 0;
}
