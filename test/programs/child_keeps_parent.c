/* SPDX-License-Identifier: MIT */
/* lookup_pair's slip, with the forgotten node holding a parent of its own:
 * the parent leaks because the child does. Both are nodes, so release
 * paths cannot tell which holds which (a node's release puts a node); the
 * parent's leftover reference was taken by node__new_child() in the call
 * that made the leaked child, so the parent's group is the child's
 * cascade, listed after it. */
#include "registry.h"

int main(void)
{
	struct registry reg = { 0 };
	struct node *first = node__new(&reg, 100), *second = node__new(&reg, 200);
	int total = 0;

	for (int i = 1; i <= 40; i++)
		node__put(node__new_child(&reg, i, i < 40 ? first : second));
	for (int i = 1; i < 39; i++)
		total += same_parent(&reg, i, i + 1);
	total += same_parent(&reg, 38, 40);
	node__put(first);
	node__put(second);
	registry__purge(&reg);
	return total == 0;
}
