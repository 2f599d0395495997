/* SPDX-License-Identifier: MIT */
/*
 * An array of refcounted structs grown with realloc(): the objects move with
 * their counts, the old block's lives end quietly and the new ones are
 * adopted. Everything is released at the end: silent.
 */
#include "obj.h"
#include <string.h>

int main(void)
{
	struct obj *arr = malloc(4 * sizeof(*arr));
	int i, n;

	for (i = 0; i < 4; i++)
		refcount_set(&arr[i].ref, 1);
	for (n = 8; n <= 4096; n *= 2) {
		arr = realloc(arr, (size_t)n * sizeof(*arr)); /* moves, sooner or later */
		if (!arr)
			return 1;
		refcount_inc(&arr[0].ref);
		if (refcount_dec_and_test(&arr[0].ref))
			return 2;
	}
	for (i = 0; i < 4; i++)
		if (!refcount_dec_and_test(&arr[i].ref))
			return 3;
	free(arr);
	return 0;
}
