/* SPDX-License-Identifier: MIT */
/* systemd-style scoped references: _cleanup_(unit_unrefp) drops what a
 * variable holds when it goes out of scope, and TAKE_PTR() steals it to
 * hand it on. unit_start() steals the dependency to store it, but stores
 * it only when the dependency is not running yet. The cleanup function
 * takes the variable's address (struct unit **), so it drops what its
 * caller holds, for every function with such a variable: it is a put
 * wrapper, not a function dropping what it found itself (unit_status(),
 * whose get and cleanup balance, was named). At clang -O2 the cleanup is
 * inlined, and its inlined copy lists no parameters: DWARF's abstract
 * origin does. */
#include <linux/refcount.h>
#include <stdlib.h>
#include <stdio.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define TAKE_PTR(p) ({ __typeof__(p) _p = (p); (p) = NULL; _p; })

struct unit { const char *id; int running; refcount_t ref; struct unit *waits_for; };

static struct unit *units[6];

static struct unit *unit_ref(struct unit *u) { if (u) refcount_inc(&u->ref); return u; }
static struct unit *unit_unref(struct unit *u)
{
	if (u && refcount_dec_and_test(&u->ref)) free(u);
	return NULL;
}
static void unit_unrefp(struct unit **u) { unit_unref(*u); }

static struct unit *unit_new(const char *id)
{
	struct unit *u = calloc(1, sizeof(*u));
	if (!u) return NULL;
	u->id = id;
	refcount_set(&u->ref, 1);
	return u;
}

static struct unit *manager_get_unit(int i) { return unit_ref(units[i % 6]); }

static int unit_start(int i)
{
	_cleanup_(unit_unrefp) struct unit *u = manager_get_unit(i);
	_cleanup_(unit_unrefp) struct unit *dep = manager_get_unit(i + 1);
	struct unit *stolen;

	if (!u || !dep) return -1;
	stolen = TAKE_PTR(dep);
	if (!stolen->running) {
		unit_unref(u->waits_for);
		u->waits_for = stolen;
	}
	/* BUG: a running dependency was stolen from the cleanup and never dropped */
	u->running = 1;
	return 0;
}

static int unit_status(int i)
{
	_cleanup_(unit_unrefp) struct unit *u = manager_get_unit(i);
	return u ? u->running : -1;
}

int main(void)
{
	static const char *ids[] = {"a.service", "b.service", "c.service", "d.socket", "e.mount", "f.target"};
	int s = 0;
	for (int i = 0; i < 6; i++) units[i] = unit_new(ids[i]);
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < 6; i++) { s += unit_start(i); s += unit_status(i); }
	for (int i = 0; i < 6; i++) { unit_unref(units[i]->waits_for); units[i] = unit_unref(units[i]); }
	printf("%d\n", s);
	return 0;
}
