/* SPDX-License-Identifier: MIT */
/* A list of entries holding references, perf's thread hash map in small:
 * table_add() takes the entry's reference; list_delete() unlinks the first
 * entry, frees it and hands its value back through an out parameter, as
 * perf's hashmap__delete(..., &old_value) does. For handed_back and
 * handed_back_lost. */
#ifndef TEST_ENTRY_LIST_H
#define TEST_ENTRY_LIST_H

#include "obj.h"

struct entry {
	int key;
	struct obj *value;
	struct entry *next;
};

static __attribute__((noinline)) struct entry *table_add(struct entry *head, int key, struct obj *value)
{
	struct entry *e = malloc(sizeof(*e));

	if (!e)
		abort();
	e->key = key;
	e->value = obj__get(value);
	e->next = head;
	return e;
}

/* Unlinks the first entry and frees it; its value goes back to the caller. */
static __attribute__((noinline)) struct entry *list_delete(struct entry *head, struct obj **old_value)
{
	struct entry *next = head->next;

	*old_value = head->value;
	free(head);
	return next;
}

#endif
