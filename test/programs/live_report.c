/* SPDX-License-Identifier: MIT */
/*
 * report_signal: the program signals itself while it holds an object; the
 * next refcount operation prints a live report naming it. The object is then
 * released, so the exit report stays silent.
 */
#include "obj.h"
#include <refdebug.h>
#include <signal.h>

int main(void)
{
	struct obj *held = obj__new();

	if (!refdebug_report)
		return 0; /* without the runtime nobody handles the signal */
	raise(SIGUSR2);
	obj__put(obj__get(held)); /* the live report happens here */
	obj__put(held);
	return 0;
}
