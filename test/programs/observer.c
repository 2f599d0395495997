/* SPDX-License-Identifier: MIT */
/* Observers: subscribe() takes a reference on the subject for the
 * subscription, unsubscribe(int slot) drops it. notify_all() holds the
 * subject across each callback; a one-shot observer unsubscribes itself
 * and the loop continues past the put of the held reference (the planted
 * bug). Counted per function, notify_all() dropped (through unsubscribe())
 * as many as it forgot, and both subjects leak, so no reclaimed one says
 * otherwise. unsubscribe() is handed a slot, not the subject (DWARF): it
 * drops what subscribe() stored, from wherever it is called, and it drops
 * exactly as many as subscribe() took. */
#include <linux/refcount.h>
#include <stdio.h>
#include <stdlib.h>

struct subject { refcount_t refs; int value; };
struct sub { struct subject *s; int once; int active; };

static struct subject *subject__new(void) { struct subject *s = calloc(1, sizeof(*s)); refcount_set(&s->refs, 1); return s; }
static struct subject *subject__get(struct subject *s) { refcount_inc(&s->refs); return s; }
static void subject__put(struct subject *s) { if (s && refcount_dec_and_test(&s->refs)) free(s); }

static struct sub subs[16];
static void subscribe(int i, struct subject *s, int once) { subs[i].s = subject__get(s); subs[i].once = once; subs[i].active = 1; }
static void unsubscribe(int i) { if (subs[i].active) { subject__put(subs[i].s); subs[i].active = 0; } }

static int notify_all(struct subject *s)
{
	int n = 0;
	for (int i = 0; i < 16; i++) {
		if (!subs[i].active || subs[i].s != s)
			continue;
		struct subject *held = subject__get(s); /* held across the callback */
		n += held->value;
		if (subs[i].once) {
			unsubscribe(i);
			continue; /* planted: subject__put(held) skipped */
		}
		subject__put(held);
	}
	return n;
}

int main(void)
{
	struct subject *a = subject__new(), *b = subject__new();
	long total = 0;
	for (int i = 0; i < 16; i++)
		subscribe(i, i % 2 ? a : b, i % 5 == 0);
	for (int r = 0; r < 10; r++) {
		a->value = r; b->value = 2 * r;
		total += notify_all(a) + notify_all(b);
	}
	for (int i = 0; i < 16; i++)
		unsubscribe(i);
	subject__put(a);
	subject__put(b);
	printf("%ld\n", total);
	return 0;
}
