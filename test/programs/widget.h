/* SPDX-License-Identifier: MIT */
/* A widget holding two refcounted labels in struct members: made by
 * widget__new(), released by widget__delete(), refilled by setters. For
 * slot_refill, whose label setter forgets the old label's put, and
 * holder_lost, whose setters are right but some widgets are never
 * released. */
#ifndef TEST_WIDGET_H
#define TEST_WIDGET_H

#include <linux/refcount.h>
#include <stdlib.h>
#include <string.h>

struct label {
	refcount_t refs;
	char text[24];
};

static __attribute__((noinline)) struct label *label__new(const char *text)
{
	struct label *l = calloc(1, sizeof(*l));

	if (!l)
		abort();
	refcount_set(&l->refs, 1);
	strncpy(l->text, text, sizeof(l->text) - 1);
	return l;
}

static __attribute__((noinline)) struct label *label__get(struct label *l)
{
	if (l)
		refcount_inc(&l->refs);
	return l;
}

static __attribute__((noinline)) void label__put(struct label *l)
{
	if (l && refcount_dec_and_test(&l->refs))
		free(l);
}

struct widget {
	int id;
	struct label *label;
	struct label *tooltip;
};

static struct widget *widget__new(int id)
{
	struct widget *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
	w->id = id;
	w->label = label__new("untitled");
	w->tooltip = label__new("");
	return w;
}

/* A setter that drops what it replaces. */
static void widget__set_tooltip(struct widget *w, const char *text)
{
	label__put(w->tooltip);
	w->tooltip = label__new(text);
}

static void widget__delete(struct widget *w)
{
	label__put(w->label);
	label__put(w->tooltip);
	free(w);
}

#endif
