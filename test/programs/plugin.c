/* SPDX-License-Identifier: MIT */
/* The plugin unloaded_plugin.c loads, as perf loads a --dlfilter: its code
 * takes a reference it never drops, then it is unloaded before exit, so the
 * leaked reference's stack holds return addresses in code no longer mapped. */
#include "obj.h"

__attribute__((noinline)) void plugin_keep(struct obj *o)
{
	obj__get(o);
	o->payload++; /* not a tail call: the frame stays */
}
