/* SPDX-License-Identifier: MIT */
/*
 * Leak checks per test case: each case runs between refdebug_checkpoint() and
 * refdebug_report_since(); only objects born inside the case and still
 * holding references count. Prints each case's count on stdout.
 */
#include "obj.h"
#include <refdebug.h>
#include <stdio.h>

static struct obj *cache; /* filled by case 1, held for the whole run */

static __attribute__((noinline)) void case_clean(void)
{
	obj__put(obj__get(cache));
	obj__put(obj__new());
}

static __attribute__((noinline)) void case_leaks_two(void)
{
	struct obj *a = obj__new(), *b = obj__new(), *c = obj__new();

	obj__get(cache); /* an older object gaining a reference is not this case's birth */
	obj__put(cache);
	obj__put(c);
	(void)a; /* a and b leak */
	(void)b;
}

static void run(const char *name, void (*fn)(void))
{
	unsigned long mark = refdebug_checkpoint ? refdebug_checkpoint() : 0;

	fn();
	printf("%s: %lu\n", name, refdebug_report_since ? refdebug_report_since(mark) : 0);
}

int main(void)
{
	cache = obj__new();
	run("clean", case_clean);
	run("leaks_two", case_leaks_two);
	run("clean_again", case_clean);
	obj__put(cache);
	return 0;
}
