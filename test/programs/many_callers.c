/* SPDX-License-Identifier: MIT */
/* Many callers of one wrapper, of which one leaks. */
#include "obj.h"
#define CALLER(name) \
	static __attribute__((noinline)) void name(struct obj *o) { obj__put(obj__get(o)); }
CALLER(caller_a) CALLER(caller_b) CALLER(caller_c) CALLER(caller_d) CALLER(caller_e) CALLER(caller_f)
static __attribute__((noinline)) void caller_leaks(struct obj *o) { obj__get(o); }
int main(void)
{
	struct obj *objs[5];
	int i;

	for (i = 0; i < 5; i++) {
		objs[i] = obj__new();
		caller_a(objs[i]); caller_b(objs[i]); caller_c(objs[i]);
		if (i == 2)
			caller_leaks(objs[i]);
		caller_d(objs[i]); caller_e(objs[i]); caller_f(objs[i]);
	}
	for (i = 0; i < 5; i++)
		obj__put(objs[i]);
	return 0;
}
