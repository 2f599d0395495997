/* SPDX-License-Identifier: MIT */
/* For each allocator the runtime wraps: a block is filled to its usable
 * size, freed, and the same size class asked for again with fewer bytes.
 * Prints, per allocator, how many bytes past the size asked for still
 * hold the old fill ("stale"), or "not reused" when the allocator handed
 * out another block (glibc's calloc() and aligned allocators do not take
 * from the thread's cache). Under the runtime every reused block must read 0
 * stale bytes: the freed-holder scan reads a block's usable size, and old
 * words there would be taken for pointers the block holds. Not a planted
 * program: its output differs with the runtime, by design. */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(const char *name, uintptr_t old, void *p, size_t asked)
{
	size_t stale = 0, usable = malloc_usable_size(p);
	if ((uintptr_t)p != old) {
		printf("%s: not reused\n", name);
		return;
	}
	for (size_t i = asked; i < usable; i++)
		stale += ((unsigned char *)p)[i] == 0xab;
	printf("%s: %zu stale\n", name, stale);
}

/* Fills the block and frees it: its address, as a number, to compare
 * with the next block's. */
static uintptr_t fill(void *p)
{
	const volatile uintptr_t at = (uintptr_t)p; /* before free(): GCC would warn */
	memset(p, 0xab, malloc_usable_size(p));
	__asm__ __volatile__("" : : "r"(p) : "memory"); /* the fill is no dead store */
	free(p);
	return at;
}

int main(void)
{
	uintptr_t old;
	void *p;

	old = fill(malloc(104));
	p = malloc(90);
	report("malloc", old, p, 90);
	free(p);

	old = fill(malloc(104));
	p = calloc(1, 90);
	report("calloc", old, p, 90);
	free(p);

	old = fill(malloc(104));
	p = realloc(NULL, 90);
	report("realloc", old, p, 90);
	free(p);

	old = fill(memalign(64, 200));
	p = memalign(64, 180);
	report("memalign", old, p, 180);
	free(p);

	old = fill(aligned_alloc(64, 192));
	p = aligned_alloc(64, 128); /* a multiple of the alignment, as C11 asks */
	report("aligned_alloc", old, p, 128);
	free(p);

	if (posix_memalign(&p, 64, 200))
		return 1;
	old = fill(p);
	if (posix_memalign(&p, 64, 180))
		return 1;
	report("posix_memalign", old, p, 180);
	free(p);
	return 0;
}
