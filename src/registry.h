// SPDX-License-Identifier: MIT
// The registry: one record per refcount_t address, holding the current life
// of the object there (state, count, birth stack, per-site counts, recent
// events). Each record has its own lock, under which the counter itself is
// changed, so a record's history is exactly its counter's history.
#pragma once

#include "ids.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace refdebug {

enum class State : uint8_t {
    none,     // never seen
    live,     // born at refcount_set()
    adopted,  // first seen mid-life (REFCOUNT_INIT or a copied struct)
    released, // a decrement reached 0
    freed,    // the memory holding it was freed
    ignored,  // alive, but born outside the filter: not recorded
};

enum class ErrorKind : uint8_t {
    none,
    underflow,
    increment_on_zero,
    use_after_release,
    saturated,
    reinit_while_live,
    freed_while_referenced,
};

const char *error_name(ErrorKind e);

// One recorded operation.
struct Event {
    uint64_t seq;       // position in the object's life (0 = first)
    SiteId site;        // operation and stack
    uint32_t tid;       // thread
    uint32_t old_count; // value before
    uint32_t new_count; // value after
};

// Events and net count change of one site within one life.
struct SiteCount {
    SiteId site;
    uint32_t events;
    int64_t net;
};

// What the report needs of one object, copied under its lock.
struct ObjectSnapshot {
    uintptr_t address = 0;
    State state = State::none;
    bool on_stack = false;       // lived on a thread's stack
    bool unrecorded = false;     // some event of this life was not kept (history or site counts)
    bool count_unknown = false;  // an operation changed the counter unrecorded: count may be stale
    uint32_t count = 0;          // current value
    uint32_t baseline = 0;       // count set at birth, or first seen when adopted
    uint32_t life = 0;           // lives seen at this address, this one included
    int pid = 0;                 // process that last operated on this life
    bool inherited = false;      // born in an ancestor process: this one's share starts at fork_count
    uint32_t fork_count = 0;     // when inherited: the count this process first saw
    uint64_t epoch = 0;          // checkpoint epoch at birth
    SiteId birth;                // stack that started this life
    SiteId end;                  // stack that ended the previous life (release or free)
    uint64_t events = 0;         // events in this life
    uint64_t all_events = 0;     // events in every life at this address
    std::vector<Event> history;  // oldest first, at most the history option
    std::vector<SiteCount> sites; // per-site counts of this life
    // Blocks freed while still pointing at this life, by freeing stack
    // (Op::holder_freed sites; net 0): kept apart from the operations.
    std::vector<SiteCount> holders_freed;
};

// The outcome of one operation, for the hook and for error reports.
struct OpResult {
    int bits = 0; // REFDEBUG_RESULT / REFDEBUG_WARN, as the header expects
    ErrorKind error = ErrorKind::none;
};

// Which births to record (the filter option); null records all.
using BirthFilter = bool (*)(SiteId birth);

// Sizing and filter, from the options; call once before any operation.
void registry_configure(int history, BirthFilter filter = nullptr);

// Performs op on the counter at r under the object's lock and records it.
// On an error, snapshot (when non-null) receives the object's state after it.
OpResult registry_op(void *r, Op op, uint32_t arg, SiteId site, uint32_t tid, bool on_stack,
                     ObjectSnapshot *snapshot);

// Performs op without recording (runtime re-entered, or out of room), and
// marks the object's record, if any, as holding a count that may be stale.
OpResult apply_unrecorded(void *r, Op op, uint32_t arg);

// Operations performed without a record so far.
uint64_t registry_unrecorded_ops();

// The block [begin, end) is about to be freed: ends the lives of the objects
// inside it. Returns true when there was any (so the caller may take a stack).
bool registry_has_objects_in(uintptr_t begin, uintptr_t end);
// Ends them, recording a free event at site; an object freed while others
// hold references is reported through on_error.
void registry_free_range(uintptr_t begin, uintptr_t end, SiteId site, uint32_t tid,
                         void (*on_error)(ErrorKind, const ObjectSnapshot &, SiteId));

// The block [begin, end) was just allocated: lives freed inside it are
// over for good, and an operation there starts a new one (adopted). Until
// then an operation on a freed life is a use after release.
void registry_reuse_range(uintptr_t begin, uintptr_t end, uint32_t tid);

// The block [begin, end) is about to be freed: every word in it that points
// at a live object (at a counter offset learned from the blocks freed so
// far) counts a holder freed still pointing at that object, at the site
// make_site(ctx) returns (called once, at the first such word). True when
// there was one.
bool registry_scan_freed_holder(uintptr_t begin, uintptr_t end, uint32_t tid, SiteId (*make_site)(void *),
                                void *ctx);

// A counter lies offset bytes into its block (learned where its block was
// allocated): objects of its type are reached from holders at that offset.
void registry_learn_offset(uintptr_t offset);

// The same, for the object whose counter is r: its block starts offset
// bytes before (only a holder's pointer to that start reaches it).
void registry_note_block_start(void *r, uintptr_t offset);

// Announces, before the operation that sets up the counter r, where its
// block starts, so that a new object is noted at that start alone; the
// operation is then followed by registry_note_block_start().
void registry_expect_block_start(void *r, uintptr_t offset);

// Calls fn(snapshot) for every object's current life.
template <class Fn> void registry_for_each(Fn fn);
void registry_for_each_snapshot(void (*fn)(const ObjectSnapshot &, void *), void *ctx);

// The same, for the lives whose birth stack wanted(birth) accepts: the
// others are not copied (report-time passes over one kind's lives).
void registry_for_each_snapshot_born(bool (*wanted)(SiteId birth, void *), void (*fn)(const ObjectSnapshot &, void *),
                                     void *ctx);
template <class Wanted, class Fn> void registry_for_each_born(Wanted wanted, Fn fn);

// Addresses recorded so far.
size_t registry_objects();

// Process bookkeeping: the pid that owns new records, and the checkpoint epoch.
void registry_set_pid(int pid);
int registry_pid();
uint64_t registry_new_epoch();
void registry_after_fork_child();

template <class Fn> void registry_for_each(Fn fn)
{
    registry_for_each_snapshot([](const ObjectSnapshot &s, void *ctx) { (*static_cast<Fn *>(ctx))(s); },
                               &fn);
}

template <class Wanted, class Fn> void registry_for_each_born(Wanted wanted, Fn fn)
{
    struct Both {
        Wanted &wanted;
        Fn &fn;
    } both{wanted, fn};
    registry_for_each_snapshot_born([](SiteId birth, void *ctx) { return static_cast<Both *>(ctx)->wanted(birth); },
                                    [](const ObjectSnapshot &s, void *ctx) { static_cast<Both *>(ctx)->fn(s); },
                                    &both);
}

} // namespace refdebug
