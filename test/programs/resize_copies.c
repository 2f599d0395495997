/* SPDX-License-Identifier: MIT */
/* A table resize copies every entry into the new array with a reference of
 * its own (the new array's), then frees the old array without dropping the
 * old array's references (the planted bug). The freed array still points
 * at the entries: table_resize() is the freed holder. It calls free()
 * itself and drops nothing, as a holder's free helper does, but it takes
 * references, so it decided itself: table_add(), its caller, was named. */
#include <linux/refcount.h>
#include <stdlib.h>
#include <stdio.h>
struct item { int key; refcount_t ref; };
struct table { struct item **slots; int n, used; };
static struct item *item_get(struct item *it) { refcount_inc(&it->ref); return it; }
static void item_put(struct item *it) { if (it && refcount_dec_and_test(&it->ref)) free(it); }
static __attribute__((noinline)) void table_resize(struct table *t)
{
	int n = t->n ? t->n * 2 : 4;
	struct item **slots = calloc(n, sizeof(*slots));
	if (!slots)
		return;
	for (int i = 0; i < t->n; i++)
		if (t->slots[i]) slots[t->slots[i]->key % n] = item_get(t->slots[i]);
	free(t->slots); /* the planted bug: the old array's references are not dropped */
	t->slots = slots;
	t->n = n;
}
static __attribute__((noinline)) void table_add(struct table *t, int key)
{
	if (t->used * 2 >= t->n) table_resize(t);
	struct item *it = malloc(sizeof(*it));
	if (!it)
		return;
	it->key = key;
	refcount_set(&it->ref, 1);
	while (t->slots[key % t->n]) key++;
	t->slots[key % t->n] = it;
	t->used++;
}
static void table_destroy(struct table *t)
{
	for (int i = 0; i < t->n; i++) item_put(t->slots[i]);
	free(t->slots);
}
int main(void)
{
	struct table t = {0};
	for (int k = 0; k < 20; k++) table_add(&t, k * 3);
	table_destroy(&t);
	printf("ok\n");
	return 0;
}
