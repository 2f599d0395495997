/* SPDX-License-Identifier: MIT */
/* slot_refill's widgets with a label setter that puts first, but every
 * eighth widget is forgotten instead of released: its labels leak with
 * the references widget__new() took. Sixteen more widgets are made with
 * a shared label by widget__new_labelled(), and all released: the
 * release drops their labels as well as widget__new()'s, so it drops
 * neither exactly as many as widget__new() made nor fewer only because
 * of them. No refill explains the leak: the refill rule must stay
 * silent, and the maker is named. */
#include "widget.h"

static __attribute__((noinline)) void widget__set_label(struct widget *w, struct label *l)
{
	label__put(w->label);
	w->label = label__get(l);
}

static __attribute__((noinline)) struct widget *widget__new_labelled(int id, struct label *l)
{
	struct widget *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
	w->id = id;
	w->label = label__get(l);
	w->tooltip = label__new("");
	return w;
}

static struct widget *kept[8];

static __attribute__((noinline)) void widget__forget(struct widget *w, int i)
{
	kept[i / 8] = w; /* the planted bug: never released */
	kept[i / 8] = NULL;
}

int main(void)
{
	struct label *ok = label__new("OK"), *cancel = label__new("Cancel");
	struct widget *ws[64], *buttons[16];

	for (int i = 0; i < 64; i++) {
		ws[i] = widget__new(i);
		widget__set_tooltip(ws[i], "press");
	}
	for (int i = 0; i < 16; i++)
		buttons[i] = widget__new_labelled(100 + i, cancel);
	for (int i = 4; i < 64; i += 8)
		widget__set_label(ws[i], ok);
	for (int i = 0; i < 64; i++)
		if (i % 8)
			widget__delete(ws[i]);
		else
			widget__forget(ws[i], i);
	for (int i = 0; i < 16; i++)
		widget__delete(buttons[i]);
	label__put(ok);
	label__put(cancel);
	return 0;
}
