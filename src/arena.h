// SPDX-License-Identifier: MIT
// The runtime's own memory: a lock-free bump allocator over mmap'd chunks.
// Never frees, never calls malloc, never moves what it handed out, so it is
// usable from inside free(), from signal handlers and in a forked child.
#pragma once

#include <cstddef>

namespace refdebug {

// Zeroed memory of at least bytes, aligned to align (a power of two <= 4096);
// null when the system refuses memory.
void *arena_alloc(size_t bytes, size_t align = 16);

// Caps the bytes arena_alloc() may map (0: no cap; the max_memory_mb option).
// Beyond it arena_alloc() returns null, as when the system refuses memory.
void arena_set_limit(size_t bytes);

// True once arena_alloc() has returned null.
bool arena_exhausted();

// Reserves a zero-filled region of virtual memory for a table; pages are only
// committed when touched. Null on failure.
void *reserve_table(size_t bytes);

} // namespace refdebug
