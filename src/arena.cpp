// SPDX-License-Identifier: MIT
#include "arena.h"

#include <atomic>
#include <cstdint>
#include <sys/mman.h>

namespace refdebug {
namespace {

constexpr size_t kChunkBytes = size_t(4) << 20;

struct Chunk {
    std::atomic<size_t> used; // bytes handed out, header included
    size_t size;              // bytes mapped
};

std::atomic<Chunk *> current{nullptr};

Chunk *new_chunk(size_t at_least)
{
    size_t size = kChunkBytes;
    while (size < at_least + sizeof(Chunk) + 4096)
        size *= 2;
    void *p = reserve_table(size);
    if (!p)
        return nullptr;
    auto *c = static_cast<Chunk *>(p);
    c->used.store(sizeof(Chunk), std::memory_order_relaxed);
    c->size = size;
    return c;
}

} // namespace

void *reserve_table(size_t bytes)
{
    void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? nullptr : p;
}

void *arena_alloc(size_t bytes, size_t align)
{
    for (;;) {
        Chunk *c = current.load(std::memory_order_acquire);
        if (c) {
            // Reserve bytes + align so that any start offset can be aligned.
            size_t at = c->used.fetch_add(bytes + align, std::memory_order_relaxed);
            if (at + bytes + align <= c->size) {
                uintptr_t p = reinterpret_cast<uintptr_t>(c) + at;
                p = (p + align - 1) & ~(uintptr_t(align) - 1);
                return reinterpret_cast<void *>(p);
            }
        }
        Chunk *fresh = new_chunk(bytes + align);
        if (!fresh)
            return nullptr;
        // Whoever loses the race to install a chunk gives its own back.
        if (!current.compare_exchange_strong(c, fresh, std::memory_order_acq_rel))
            munmap(fresh, fresh->size);
    }
}

} // namespace refdebug
