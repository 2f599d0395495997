/* SPDX-License-Identifier: MIT */
/* A counter in a block of 128 KiB or more, which glibc gives back to the
 * system when it is freed (munmap()), and the same pages mapped again by
 * the program itself (mmap() is not watched): a counter initialised there
 * without refcount_set(), as REFCOUNT_INIT() would, starts a new life. It
 * is no use after release, though the runtime saw the old life freed at
 * that address and saw no allocation since. The new life then leaks one
 * reference. Exits 2 when the pages could not be had at the same address
 * (nothing to check). */
#define _GNU_SOURCE
#include <linux/refcount.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

struct big {
	refcount_t refs;
	char payload[256 * 1024];
};

int main(void)
{
	struct big *p = malloc(sizeof(*p));
	uintptr_t page, len;
	struct big *again;
	void *q;

	if (!p)
		return 1;
	refcount_set(&p->refs, 1);
	page = (uintptr_t)p & ~(uintptr_t)4095;
	len = ((uintptr_t)p + sizeof(*p) - page + 4095) & ~(uintptr_t)4095;
	free(p); /* its sole owner: a quiet end */
	q = mmap((void *)page, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (q != (void *)page) {
		fprintf(stderr, "remapped: the pages were not had again\n");
		return 2;
	}
	again = (struct big *)((char *)q + ((uintptr_t)p - page));
	*(volatile int *)&again->refs = 1; /* REFCOUNT_INIT(1) */
	refcount_inc(&again->refs);        /* and never put */
	return refcount_read(&again->refs) == 2 ? 0 : 1;
}
