// SPDX-License-Identifier: MIT
// Open addressing over a reserved table of ids; sites live in the arena.
#include "depot.h"

#include "arena.h"

#include <cstring>
#include <new>

namespace refdebug {
namespace {

constexpr uint32_t kSlots = kMaxSites * 2;      // hash slots (load <= 1/2)

std::atomic<uint32_t> *slots;                   // hash slot -> id (0: empty)
std::atomic<Site *> *sites;                     // id -> site
std::atomic<uint32_t> next_id{1};
std::atomic_flag insert_lock = ATOMIC_FLAG_INIT; // serializes inserts only
std::atomic<bool> ready{false};

bool init_tables()
{
    if (ready.load(std::memory_order_acquire))
        return true;
    // Called under insert_lock, so only one thread builds the tables.
    slots = static_cast<std::atomic<uint32_t> *>(reserve_table(sizeof(uint32_t) * kSlots));
    sites = static_cast<std::atomic<Site *> *>(reserve_table(sizeof(Site *) * (kMaxSites + 1)));
    if (!slots || !sites)
        return false;
    ready.store(true, std::memory_order_release);
    return true;
}

// Each frame is multiplied by its own odd constant and the products summed:
// the multiplications do not wait on one another (a chained hash spent ~20 ns
// of a 90 ns operation on their latency), and the final mix spreads the bits.
uint32_t hash_frames(Op op, const uintptr_t *frames, size_t depth)
{
    uint64_t h = 0x9e3779b97f4a7c15ull * (static_cast<uint64_t>(op) + depth);
    uint64_t k = 0xff51afd7ed558ccdull;
    for (size_t i = 0; i < depth; ++i) {
        h += (frames[i] ^ (frames[i] >> 29)) * k;
        k += 0x9e3779b97f4a7c16ull; // stays odd
    }
    h ^= h >> 32;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return static_cast<uint32_t>(h) | 1; // never 0
}

bool same(const Site *s, uint32_t hash, Op op, const uintptr_t *frames, size_t depth)
{
    return s->hash == hash && s->op == op && s->depth == depth &&
           std::memcmp(s->frames, frames, depth * sizeof(uintptr_t)) == 0;
}

// Probes for (op, frames); returns the id, or 0 with *empty at the first free slot.
uint32_t find(uint32_t hash, Op op, const uintptr_t *frames, size_t depth, uint32_t *empty)
{
    for (uint32_t i = hash & (kSlots - 1), n = 0; n < kSlots; i = (i + 1) & (kSlots - 1), ++n) {
        uint32_t id = slots[i].load(std::memory_order_acquire);
        if (!id) {
            *empty = i;
            return 0;
        }
        const Site *s = sites[id].load(std::memory_order_acquire);
        if (s && same(s, hash, op, frames, depth))
            return id;
    }
    *empty = kSlots;
    return 0;
}

} // namespace

SiteId depot_intern(Op op, const uintptr_t *frames, size_t depth)
{
    const uint32_t hash = hash_frames(op, frames, depth);
    uint32_t empty = 0;
    if (ready.load(std::memory_order_acquire)) {
        if (uint32_t id = find(hash, op, frames, depth, &empty))
            return SiteId{id};
    }
    // Miss: build the entry outside the lock, then look again under it.
    auto *site = static_cast<Site *>(
        arena_alloc(sizeof(Site) + sizeof(uintptr_t) * (depth ? depth - 1 : 0), alignof(Site)));
    if (!site)
        return SiteId{};
    new (site) Site{hash, op, static_cast<uint8_t>(depth), {0}, {0}, {0}, {{0}, {0}, {0}, {0}}, {0}};
    std::memcpy(site->frames, frames, depth * sizeof(uintptr_t));

    while (insert_lock.test_and_set(std::memory_order_acquire))
        ;
    SiteId result{};
    if (init_tables()) {
        uint32_t id = find(hash, op, frames, depth, &empty);
        if (id) {
            result = SiteId{id}; // another thread won; our copy stays unused in the arena
        } else if (empty < kSlots && next_id.load(std::memory_order_relaxed) <= kMaxSites) {
            id = next_id.load(std::memory_order_relaxed);
            sites[id].store(site, std::memory_order_release);
            slots[empty].store(id, std::memory_order_release);
            next_id.store(id + 1, std::memory_order_release);
            result = SiteId{id};
        }
    }
    insert_lock.clear(std::memory_order_release);
    return result;
}

Site *depot_get_mutable(SiteId id)
{
    if (!id || id.value >= next_id.load(std::memory_order_acquire))
        return nullptr;
    return sites[id.value].load(std::memory_order_acquire);
}

const Site *depot_get(SiteId id) { return depot_get_mutable(id); }

uint32_t depot_count() { return next_id.load(std::memory_order_acquire) - 1; }

void depot_after_fork_child()
{
    insert_lock.clear(std::memory_order_release);
    // The child's site table and reclaimed counts are its own events only.
    for (uint32_t id = 1; id <= depot_count(); ++id) {
        if (Site *s = depot_get_mutable(SiteId{id})) {
            s->ended_events.store(0, std::memory_order_relaxed);
            s->ended_objects.store(0, std::memory_order_relaxed);
            s->ended_net.store(0, std::memory_order_relaxed);
        }
    }
}

} // namespace refdebug
