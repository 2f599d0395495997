// SPDX-License-Identifier: MIT
// The stack depot: each unique (operation, stack) pair stored once and named
// by a 32-bit SiteId. Lookups are lock-free; an insert takes a short spinlock.
// Entries never move or die, so a SiteId stays valid for the whole run.
#pragma once

#include "ids.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace refdebug {

struct Site {
    uint32_t hash;        // of op and frames
    Op op;                // the operation recorded at this stack
    uint8_t depth;        // frames stored
    // Totals over ended lives, folded in when an object's life ends.
    std::atomic<uint64_t> ended_events;
    std::atomic<uint64_t> ended_objects;
    std::atomic<int64_t> ended_net; // references this site added (dropped: negative) in ended lives
    // For a birth site: the first few sites where objects born here were
    // released (a decrement reaching 0); the report learns cascades from them.
    std::atomic<uint32_t> releases[4];
    uintptr_t frames[1];  // innermost first; really `depth` of them
};

// Ids are below this bound.
constexpr uint32_t kMaxSites = 1u << 22;

// Interns (op, frames); returns SiteId{} when the depot is full or out of memory.
SiteId depot_intern(Op op, const uintptr_t *frames, size_t depth);

// The site behind id, or null for SiteId{} / an unknown id.
const Site *depot_get(SiteId id);
Site *depot_get_mutable(SiteId id);

// The operation recorded at a site; Op::none for an unknown id.
inline Op depot_op(SiteId id)
{
    const Site *s = depot_get(id);
    return s ? s->op : Op::none;
}

// Number of ids handed out so far (ids are 1..count).
uint32_t depot_count();

// Called in the child after fork: releases a lock another thread held.
void depot_after_fork_child();

} // namespace refdebug
