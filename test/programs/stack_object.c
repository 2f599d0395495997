/* SPDX-License-Identifier: MIT */
/* A refcount_t on the stack cannot leak memory: silent. */
#include <linux/refcount.h>

static __attribute__((noinline)) unsigned int on_stack(void)
{
	refcount_t r;

	refcount_set(&r, 1);
	refcount_inc(&r);
	return refcount_read(&r);
}

int main(void)
{
	return on_stack() == 2 ? 0 : 1;
}
