/* SPDX-License-Identifier: MIT */
/* A plugin takes a reference and is unloaded (dlclose) before exit, as perf
 * script does with a --dlfilter: the exit report reads stacks through code
 * that is gone, and must not read that code (tail-call recovery reads the
 * call instruction before each return address). One object leaks. */
#include "obj.h"

#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	struct obj *o = obj__new();
	void *plugin;
	void (*keep)(struct obj *);

	if (argc < 2 || !(plugin = dlopen(argv[1], RTLD_NOW))) {
		fprintf(stderr, "usage: unloaded_plugin PLUGIN.so (%s)\n", dlerror());
		return 2;
	}
	keep = (void (*)(struct obj *))dlsym(plugin, "plugin_keep");
	if (!keep)
		return 2;
	keep(o);
	dlclose(plugin);
	obj__put(o);
	return 0;
}
