/* SPDX-License-Identifier: MIT */
/* A plugin takes a reference and is unloaded (dlclose) before exit, as perf
 * script does with a --dlfilter: the exit report reads stacks through code
 * that is gone, and must not read that code (tail-call recovery reads the
 * call instruction before each return address). A live report while the
 * plugin is loaded reads its symbols first; the plugin is then unloaded and
 * loaded again (often at the same address) and takes a second reference:
 * what was read of the first mapping must not stand for the second. Two
 * references leak, from one object. With a second argument there is no
 * live report: the exit report is the first to read the plugin's frames,
 * from its file, as it was mapped. */
#include "obj.h"

#include <dlfcn.h>
#include <refdebug.h>
#include <stdio.h>

static void keep_through_plugin(const char *path, struct obj *o, int live_report)
{
	void *plugin = dlopen(path, RTLD_NOW);
	void (*keep)(struct obj *);

	if (!plugin) {
		fprintf(stderr, "unloaded_plugin: %s\n", dlerror());
		exit(2);
	}
	keep = (void (*)(struct obj *))dlsym(plugin, "plugin_keep");
	if (!keep)
		exit(2);
	keep(o);
	if (live_report && refdebug_report)
		refdebug_report();
	dlclose(plugin);
}

int main(int argc, char **argv)
{
	struct obj *o = obj__new();

	if (argc < 2) {
		fprintf(stderr, "usage: unloaded_plugin PLUGIN.so [quiet]\n");
		return 2;
	}
	keep_through_plugin(argv[1], o, argc < 3);
	keep_through_plugin(argv[1], o, 0);
	obj__put(o);
	return 0;
}
