/* SPDX-License-Identifier: MIT */
/* Tree nodes hold references to devices; the recursive destroy() frees
 * every node, and on one branch forgets the device's put. destroy() calls
 * itself: that makes it no helper freeing for several functions, so the
 * freed nodes still pointing at the device name it, not main(). */
#include "device.h"

struct tnode {
	struct device *dev;
	struct tnode *kid[2];
};

static struct device *all[8];

static __attribute__((noinline)) struct tnode *build(int depth, int id)
{
	struct tnode *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->dev = device_get(all[id % 8]);
	if (depth > 0) {
		t->kid[0] = build(depth - 1, id * 2 + 1);
		t->kid[1] = build(depth - 1, id * 2 + 2);
	}
	return t;
}

static __attribute__((noinline)) void destroy(struct tnode *t, int right)
{
	if (!t)
		return;
	destroy(t->kid[0], 0);
	destroy(t->kid[1], 1);
	/* the planted bug: a right leaf on device 6 keeps its reference */
	if (!(right && !t->kid[0] && t->dev->id == 6))
		device_put(t->dev);
	free(t);
}

int main(void)
{
	for (int i = 0; i < 8; i++)
		all[i] = device_new(i);
	for (int r = 0; r < 5; r++)
		destroy(build(4, r), 0);
	for (int i = 0; i < 8; i++)
		device_put(all[i]);
	return 0;
}
