/* SPDX-License-Identifier: MIT */
/* A setter that overwrites a struct member without putting the object it
 * replaces: every eighth widget's "untitled" label leaks. Nothing records
 * the overwrite (a pointer store is no operation), and the leaked labels'
 * only unmatched reference was taken by widget__new(). But the release,
 * widget__delete(), dropped exactly as many labels as widget__new() made,
 * one per widget: in place of the leaked ones it dropped the references
 * widget__set_label() took on the shared "OK" label, and nothing else took
 * those. widget__set_tooltip() refills its slot too, and puts first. */
#include "widget.h"

static __attribute__((noinline)) void widget__set_label(struct widget *w, struct label *l)
{
	w->label = label__get(l); /* the planted bug: no label__put(w->label) first */
}

int main(void)
{
	struct label *ok = label__new("OK");
	struct widget *ws[64];

	for (int i = 0; i < 64; i++) {
		ws[i] = widget__new(i);
		widget__set_tooltip(ws[i], "press");
	}
	for (int i = 0; i < 64; i += 8)
		widget__set_label(ws[i], ok);
	for (int i = 0; i < 64; i++)
		widget__delete(ws[i]);
	label__put(ok);
	return 0;
}
