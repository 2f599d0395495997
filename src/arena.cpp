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
std::atomic<size_t> limit{0};  // 0: none
std::atomic<size_t> mapped{0}; // chunk bytes mapped so far
std::atomic<bool> exhausted{false};

Chunk *new_chunk(size_t at_least)
{
    const size_t need = at_least + sizeof(Chunk) + 4096;
    size_t size = kChunkBytes;
    while (size < need)
        size *= 2;
    if (const size_t cap = limit.load(std::memory_order_relaxed)) {
        const size_t used = mapped.load(std::memory_order_relaxed);
        if (used + size > cap) // the last chunk takes what is left under the cap
            size = used + need <= cap ? cap - used : 0;
    }
    void *p = size ? reserve_table(size) : nullptr;
    if (!p) {
        exhausted.store(true, std::memory_order_relaxed);
        return nullptr;
    }
    mapped.fetch_add(size, std::memory_order_relaxed);
    auto *c = static_cast<Chunk *>(p);
    c->used.store(sizeof(Chunk), std::memory_order_relaxed);
    c->size = size;
    return c;
}

} // namespace

void arena_set_limit(size_t bytes) { limit.store(bytes, std::memory_order_relaxed); }

bool arena_exhausted() { return exhausted.load(std::memory_order_relaxed); }

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
        if (!current.compare_exchange_strong(c, fresh, std::memory_order_acq_rel)) {
            mapped.fetch_sub(fresh->size, std::memory_order_relaxed);
            munmap(fresh, fresh->size);
        }
    }
}

} // namespace refdebug
