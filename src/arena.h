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

// Reserves a zero-filled region of virtual memory for a table; pages are only
// committed when touched. Null on failure.
void *reserve_table(size_t bytes);

} // namespace refdebug
