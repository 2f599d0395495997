/* SPDX-License-Identifier: MIT */
/* Two lookups compared; one early return drops the first node and forgets
 * the second. The registry's purge drops one reference per node, but in
 * the parent's life it also drops, inside each child's destructor, the
 * child's reference to the parent: what the purge does per life is
 * counted without those, or it seems to drop fewer than usual in the
 * leaked node and outranks the function that kept it. */
#include "registry.h"

int main(void)
{
	struct registry reg = { 0 };
	struct node *parent = node__new(&reg, 100);
	int total = 0;

	for (int i = 1; i <= 40; i++)
		node__put(node__new_child(&reg, i, i < 40 ? parent : NULL));
	for (int i = 1; i < 39; i++)
		total += same_parent(&reg, i, i + 1);
	total += same_parent(&reg, 38, 40);
	node__put(parent);
	registry__purge(&reg);
	return total == 0;
}
