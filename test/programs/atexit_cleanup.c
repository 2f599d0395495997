/* SPDX-License-Identifier: MIT */
/* The program drops its last reference in its own atexit handler: not a leak. */
#include "obj.h"

static struct obj *global;

static void cleanup(void)
{
	obj__put(global);
}

int main(void)
{
	global = obj__new();
	atexit(cleanup);
	obj__get(global);
	obj__put(global);
	return 0;
}
