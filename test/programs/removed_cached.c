/* SPDX-License-Identifier: MIT */
/*
 * perf's threads__remove() without its put, planted: the table's remove
 * clears its last-match cache when the object is the last match (a put,
 * through the cache's setter), then deletes the entry from a list that
 * hands the value back (perf's hashmap__delete(..., &old_value)), and
 * forgets to put what it was handed. Each object is looked up, and so
 * made the last match, right before its remove: the freed entry's
 * pointer is then offset by the cache's put beneath the remove. But that
 * put was the cache's own, taken under the lookup (the setter's
 * operations net to zero over the life): it is no put of the freed
 * pointer's. Suspect #1 must be table__remove.
 */
#include "obj.h"

#define N 6

struct entry {
	int key;
	struct obj *value;
	struct entry *next;
};

struct table {
	struct entry *head;
	struct obj *last; /* last match, holding a reference */
};

static __attribute__((noinline)) void __table_set_last(struct table *t, struct obj *o)
{
	obj__put(t->last);
	t->last = o ? obj__get(o) : NULL;
}

static __attribute__((noinline)) void table__add(struct table *t, int key, struct obj *value)
{
	struct entry *e = malloc(sizeof(*e));

	if (!e)
		abort();
	e->key = key;
	e->value = obj__get(value);
	e->next = t->head;
	t->head = e;
}

static __attribute__((noinline)) struct obj *table__find(struct table *t, int key)
{
	for (struct entry *e = t->head; e; e = e->next)
		if (e->key == key) {
			__table_set_last(t, e->value);
			return obj__get(e->value);
		}
	return NULL;
}

/* Unlinks the entry of key and frees it; its value goes back to the caller. */
static __attribute__((noinline)) void list_delete(struct entry **head, int key, struct obj **old_value)
{
	for (struct entry **p = head; *p; p = &(*p)->next)
		if ((*p)->key == key) {
			struct entry *e = *p;

			*p = e->next;
			*old_value = e->value;
			free(e);
			return;
		}
	*old_value = NULL;
}

static __attribute__((noinline)) void table__remove(struct table *t, int key)
{
	struct obj *old;

	if (t->last && t->last->payload == key)
		__table_set_last(t, NULL);
	list_delete(&t->head, key, &old);
	(void)old; /* forgets obj__put(old) */
}

static __attribute__((noinline)) int handle_exit(struct table *t, int key)
{
	struct obj *o = table__find(t, key);
	int v = o->payload;

	obj__put(o);
	table__remove(t, key);
	return v;
}

int main(void)
{
	struct table t = { NULL, NULL };
	int i, sum = 0;

	for (i = 0; i < N; i++) {
		struct obj *o = obj__new();

		o->payload = i;
		table__add(&t, i, o);
		obj__put(o);
	}
	for (i = 0; i < N; i++)
		sum += handle_exit(&t, i);
	return sum < 0;
}
