// SPDX-License-Identifier: MIT
// Object records, their lifecycle rules and the per-object lock.
//
// Lock order: an object's lock is the innermost lock the runtime takes; under
// it only the arena (lock-free) is used. The counter is changed with a
// compare-and-swap even under the lock, because code built without the hooks
// (or a signal handler that re-entered the runtime) may change it unlocked:
// no update is ever lost, and the recorded old -> new pair is what the CAS saw.
#include "registry.h"

#include "address_map.h"
#include "arena.h"
#include "depot.h"
#include "object_bases.h"
#include "options.h"

#include <climits>
#include <cstring>
#include <new>
#include <sched.h>

namespace refdebug {

const char *error_name(ErrorKind e)
{
    switch (e) {
    case ErrorKind::underflow:
        return "underflow";
    case ErrorKind::increment_on_zero:
        return "increment-on-zero";
    case ErrorKind::use_after_release:
        return "use-after-release";
    case ErrorKind::saturated:
        return "saturated";
    case ErrorKind::reinit_while_live:
        return "reinit-while-live";
    case ErrorKind::freed_while_referenced:
        return "freed-while-referenced";
    case ErrorKind::none:
        break;
    }
    return "none";
}

namespace {

constexpr size_t kSitesPerChunk = 7;
constexpr size_t kEventsPerChunk = 32;
constexpr uintptr_t kPageShift = 12;

// Per-site counts of one life, in arena chunks kept for the next life.
struct SiteChunk {
    SiteChunk *next;
    uint32_t used;
    SiteCount entries[kSitesPerChunk];
};

// history=all: events in arena chunks, kept for the next life.
struct EventChunk {
    EventChunk *next;
    Event events[kEventsPerChunk];
};

// One record per address; 64-byte aligned so that records do not share cache lines.
struct alignas(64) Object {
    std::atomic<uint64_t> lock{0}; // 0, or (fork generation << 32 | tid) of the holder
    uintptr_t address = 0;         // of the refcount_t
    State state = State::none;
    bool on_stack = false;   // born on a thread's stack
    bool unrecorded = false; // an event of this life was lost
    // An operation changed the counter without a record (re-entry from a
    // signal handler): the recorded count may be stale until the life ends.
    std::atomic<bool> count_unknown{false};
    uint32_t count = 0;      // after the last operation
    uint32_t baseline = 0;   // set at birth, or first seen when adopted
    uint32_t life = 0;       // lives at this address
    int pid = 0;             // process that last operated on this life
    bool inherited = false;  // this life began in an ancestor process
    // Where its counter lies in its block, plus one (0: not known): a
    // pointer to the block's start reaches it at this offset only.
    std::atomic<uint16_t> block_offset{0};
    uint32_t fork_count = 0; // when inherited: the count this process first saw
    uint64_t epoch = 0;      // checkpoint epoch at birth
    SiteId birth;            // stack that started this life
    SiteId end;              // stack that ended the last life
    uint64_t events = 0;     // events in this life
    uint64_t all_events = 0; // events in every life at this address
    SiteChunk *sites = nullptr; // per-site counts (chunks reused across lives)
    Event *ring = nullptr;      // the last `history` events (bounded history)
    EventChunk *all = nullptr;  // every event (history=all)
    EventChunk *all_tail = nullptr; // chunk being filled
    Object *next_created = nullptr; // the list of every record, newest first
    SiteCount *site_hint = nullptr; // the per-site count last updated: long lives touch hundreds
};
static_assert(sizeof(Object) == 128, "two cache lines per record (docs/performance.md, P4)");

// Objects whose counter lies in one page, for free(): an append-only list.
struct PageList {
    static constexpr size_t kCapacity = 14;
    std::atomic<uint32_t> used{0};
    std::atomic<PageList *> next{nullptr};
    std::atomic<Object *> items[kCapacity] = {};
};

AddressMap<Object> objects(23, 4); // up to 4 M counter addresses
std::atomic<Object *> created{nullptr}; // every record, for the report: walking the table would touch all of it
AddressMap<PageList> pages(21, 0); // up to 1 M page numbers
int history_cap = 16;           // events kept per object; kHistoryAll for all
BirthFilter birth_filter;       // null: record every object
std::atomic<uint32_t> fork_generation{0};
std::atomic<int> current_pid{0};
std::atomic<uint64_t> epoch{0};
std::atomic<uint64_t> unrecorded_ops{0}; // applied without a record

constexpr size_t kMaxScan = 4096; // bytes of a freed block scanned: holders are structs and arrays

// --- the per-object lock ----------------------------------------------------

class ObjectLock {
  public:
    ObjectLock(Object &o, uint32_t tid) : o_(o)
    {
        const uint64_t gen = fork_generation.load(std::memory_order_relaxed);
        const uint64_t mine = gen << 32 | tid | 0x80000000u; // never 0, even for tid 0
        uint64_t seen = 0;
        for (unsigned spins = 0;; ++spins) {
            if (o.lock.compare_exchange_weak(seen, mine, std::memory_order_acquire))
                return;
            // A holder from before fork() does not exist in this process: take over.
            if (seen && (seen >> 32) != gen &&
                o.lock.compare_exchange_strong(seen, mine, std::memory_order_acquire))
                return;
            seen = 0;
            cpu_relax();
            if (spins > 64)
                sched_yield();
        }
    }
    ~ObjectLock() { o_.lock.store(0, std::memory_order_release); }
    ObjectLock(const ObjectLock &) = delete;
    ObjectLock &operator=(const ObjectLock &) = delete;

  private:
    Object &o_;
};

// --- the operation itself ---------------------------------------------------

struct Applied {
    uint32_t old_count, new_count;
    bool result; // the operation's boolean result
    bool warn;   // upstream's REFCOUNT_WARN condition
};

int *counter_of(void *r) { return static_cast<int *>(r); }

uint32_t load(int *c) { return static_cast<uint32_t>(__atomic_load_n(c, __ATOMIC_RELAXED)); }

bool cas(int *c, uint32_t &expected, uint32_t desired, int order)
{
    int e = static_cast<int>(expected);
    bool ok = __atomic_compare_exchange_n(c, &e, static_cast<int>(desired), false, order,
                                          __ATOMIC_RELAXED);
    expected = static_cast<uint32_t>(e);
    return ok;
}

// The upstream semantics, as the header implements them without the runtime.
// write false: computes what the operation would do and leaves memory as it
// is (freed memory: see registry_op()).
Applied apply(void *r, Op op, uint32_t arg, bool write = true)
{
    int scratch = 0;
    int *c = counter_of(r);
    if (!write) { // only then read twice: the hot path stays one load
        scratch = static_cast<int>(load(c));
        c = &scratch;
    }
    uint32_t val = load(c);
    switch (op) {
    case Op::set: {
        uint32_t old = static_cast<uint32_t>(__atomic_exchange_n(c, static_cast<int>(arg), __ATOMIC_RELAXED));
        return {old, arg, true, false};
    }
    case Op::inc: // by arg: refcount_add() too
    case Op::inc_not_zero:
        for (;;) {
            if (val == 0)
                return {0, 0, false, false};
            if (val == UINT_MAX)
                return {val, val, true, false};
            const uint32_t next = val + arg < val ? UINT_MAX : val + arg; // saturates
            if (cas(c, val, next, __ATOMIC_RELAXED))
                return {val, next, true, next == UINT_MAX};
        }
    case Op::dec_not_one: // result: whether it decremented (or was saturated)
        for (;;) {
            if (val == UINT_MAX)
                return {val, val, true, false};
            if (val == 1)
                return {val, val, false, false};
            if (val == 0)
                return {val, val, true, true};
            if (cas(c, val, val - 1, __ATOMIC_RELEASE))
                return {val, val - 1, true, false};
        }
    case Op::dec_if_one: // 1 -> 0 or nothing
        if (val == 1 && cas(c, val, 0, __ATOMIC_ACQ_REL))
            return {1, 0, true, false};
        return {val, val, false, false};
    case Op::dec:
    case Op::sub:
        for (;;) {
            if (val == UINT_MAX)
                return {val, val, false, false};
            const uint32_t next = val - arg;
            if (next > val)
                return {val, val, false, true};
            // Reaching 0 also acquires, as the header does: the freer sees every holder's writes.
            if (cas(c, val, next, next == 0 ? __ATOMIC_ACQ_REL : __ATOMIC_RELEASE))
                return {val, next, next == 0, false};
        }
    case Op::free:
    case Op::holder_freed:
    case Op::none:
        break;
    }
    return {val, val, false, false};
}

int bits_of(const Applied &a) { return (a.result ? 1 : 0) | (a.warn ? 2 : 0); }

// --- records ----------------------------------------------------------------

void fold_life(Object &o)
{
    for (SiteChunk *c = o.sites; c; c = c->next) {
        for (uint32_t i = 0; i < c->used; ++i) {
            if (Site *s = depot_get_mutable(c->entries[i].site)) {
                s->ended_events.fetch_add(c->entries[i].events, std::memory_order_relaxed);
                s->ended_objects.fetch_add(1, std::memory_order_relaxed);
                s->ended_net.fetch_add(c->entries[i].net, std::memory_order_relaxed);
            }
        }
    }
}

void start_life(Object &o, State state, SiteId site, uint32_t baseline)
{
    o.state = state;
    o.baseline = baseline;
    o.birth = site;
    o.events = 0;
    o.unrecorded = false;
    o.count_unknown.store(false, std::memory_order_relaxed);
    o.life += 1;
    o.inherited = false;
    o.epoch = epoch.load(std::memory_order_relaxed);
    for (SiteChunk *c = o.sites; c; c = c->next)
        c->used = 0;
    o.site_hint = nullptr;
    o.all_tail = o.all;
    o.block_offset.store(0, std::memory_order_relaxed); // learned again where it is set up
}

// Notes where objects born at birth get released (a few distinct sites).
void remember_release(SiteId birth, SiteId release)
{
    Site *b = depot_get_mutable(birth);
    for (size_t i = 0; b && release && i < 4; ++i) {
        uint32_t seen = b->releases[i].load(std::memory_order_relaxed);
        if (seen == release.value)
            return;
        if (!seen && b->releases[i].compare_exchange_strong(seen, release.value, std::memory_order_relaxed))
            return;
        if (seen == release.value)
            return;
    }
}

// The live states: the object has a life that has not ended.
bool alive(State s) { return s == State::live || s == State::adopted; }

void end_life(Object &o, State state, SiteId site)
{
    if (alive(o.state))
        fold_life(o);
    o.state = state;
    o.end = site;
}

void count_site(Object &o, SiteId site, int64_t delta)
{
    if (o.site_hint && o.site_hint->site == site) {
        o.site_hint->events += 1;
        o.site_hint->net += delta;
        return;
    }
    SiteChunk **link = &o.sites;
    for (SiteChunk *c = o.sites; c; link = &c->next, c = c->next) {
        for (uint32_t i = 0; i < c->used; ++i) {
            if (c->entries[i].site == site) {
                c->entries[i].events += 1;
                c->entries[i].net += delta;
                o.site_hint = &c->entries[i];
                return;
            }
        }
        if (c->used < kSitesPerChunk) {
            c->entries[c->used] = SiteCount{site, 1, delta};
            o.site_hint = &c->entries[c->used++];
            return;
        }
    }
    auto *fresh = static_cast<SiteChunk *>(arena_alloc(sizeof(SiteChunk), alignof(SiteChunk)));
    if (!fresh) {
        o.unrecorded = true;
        return;
    }
    fresh->entries[0] = SiteCount{site, 1, delta};
    fresh->used = 1;
    o.site_hint = &fresh->entries[0];
    *link = fresh;
}

void append_event(Object &o, const Event &e)
{
    if (history_cap == kHistoryAll) {
        const uint64_t slot = e.seq % kEventsPerChunk;
        if (slot == 0 && e.seq) {
            EventChunk *next = o.all_tail ? o.all_tail->next : nullptr;
            if (!next) {
                next = static_cast<EventChunk *>(arena_alloc(sizeof(EventChunk)));
                if (!next) {
                    o.unrecorded = true;
                    return;
                }
                o.all_tail->next = next;
            }
            o.all_tail = next;
        }
        if (!o.all) {
            o.all = o.all_tail = static_cast<EventChunk *>(arena_alloc(sizeof(EventChunk)));
            if (!o.all) {
                o.unrecorded = true;
                return;
            }
        }
        o.all_tail->events[slot] = e;
        return;
    }
    if (history_cap == 0)
        return;
    if (!o.ring) {
        o.ring = static_cast<Event *>(arena_alloc(sizeof(Event) * history_cap));
        if (!o.ring) {
            o.unrecorded = true;
            return;
        }
    }
    o.ring[e.seq % history_cap] = e;
}

// The first operation of this process on a life an ancestor started (we are a
// forked child): from here on the record counts this process's share only.
// Its per-site counts start afresh, and what it holds is its count above the
// count it found. The history keeps the ancestor's events: they explain it.
void inherit(Object &o)
{
    o.inherited = true;
    o.fork_count = o.count;
    for (SiteChunk *c = o.sites; c; c = c->next)
        c->used = 0;
    o.site_hint = nullptr;
}

// Records an event; counts (when set) is the site's change to the count of
// this life.
void record(Object &o, SiteId site, uint32_t tid, const Applied &a, const int64_t *counts)
{
    const Event e{o.events++, site, tid, a.old_count, a.new_count};
    o.all_events += 1;
    append_event(o, e);
    if (counts)
        count_site(o, site, *counts);
}

void snapshot_locked(const Object &o, ObjectSnapshot &s)
{
    s.address = o.address;
    s.state = o.state;
    s.on_stack = o.on_stack;
    s.unrecorded = o.unrecorded;
    s.count_unknown = o.count_unknown.load(std::memory_order_relaxed);
    s.count = o.count;
    s.baseline = o.baseline;
    s.life = o.life;
    s.pid = o.pid;
    s.inherited = o.inherited;
    s.fork_count = o.fork_count;
    s.epoch = o.epoch;
    s.birth = o.birth;
    s.end = o.end;
    s.events = o.events;
    s.all_events = o.all_events;
    s.history.clear();
    s.sites.clear();
    s.holders_freed.clear();
    for (const SiteChunk *c = o.sites; c; c = c->next)
        for (uint32_t i = 0; i < c->used; ++i)
            (depot_op(c->entries[i].site) == Op::holder_freed ? s.holders_freed : s.sites).push_back(c->entries[i]);
    if (history_cap == kHistoryAll) {
        uint64_t left = o.events;
        for (const EventChunk *c = o.all; c && left; c = c->next) {
            const uint64_t n = left < kEventsPerChunk ? left : kEventsPerChunk;
            s.history.insert(s.history.end(), c->events, c->events + n);
            left -= n;
        }
    } else if (o.ring) {
        const uint64_t kept = o.events < uint64_t(history_cap) ? o.events : history_cap;
        for (uint64_t seq = o.events - kept; seq < o.events; ++seq)
            s.history.push_back(o.ring[seq % history_cap]);
    }
}

PageList *make_page(uintptr_t)
{
    void *p = arena_alloc(sizeof(PageList), alignof(PageList));
    return p ? new (p) PageList : nullptr;
}

// Adds o to the list of its page (once per address).
void index_page(Object &o)
{
    PageList *list = pages.find_or_create(o.address >> kPageShift, make_page);
    while (list) {
        const uint32_t at = list->used.fetch_add(1, std::memory_order_acq_rel);
        if (at < PageList::kCapacity) {
            list->items[at].store(&o, std::memory_order_release);
            return;
        }
        PageList *next = list->next.load(std::memory_order_acquire);
        if (!next) {
            PageList *fresh = make_page(0);
            if (!fresh)
                return;
            if (!list->next.compare_exchange_strong(next, fresh, std::memory_order_acq_rel))
                fresh = next; // another thread linked one; ours stays unused
            next = fresh;
        }
        list = next;
    }
}

// The block start registry_expect_block_start() announced for the counter
// this thread is about to set up (offset + 1; 0: none). Initial-exec TLS,
// as the runtime's other per-thread state: reaching it never allocates.
__thread uintptr_t expected_counter __attribute__((tls_model("initial-exec"))) = 0;
__thread uint16_t expected_offset __attribute__((tls_model("initial-exec"))) = 0;

Object *make_object(uintptr_t address)
{
    void *p = arena_alloc(sizeof(Object), alignof(Object));
    if (!p)
        return nullptr;
    auto *o = new (p) Object;
    o->address = address;
    index_page(*o);
    const uint16_t known = expected_counter == address ? expected_offset : 0;
    o->block_offset.store(known, std::memory_order_relaxed);
    bases_note_counter(address, known);
    o->next_created = created.load(std::memory_order_relaxed);
    while (!created.compare_exchange_weak(o->next_created, o, std::memory_order_release, std::memory_order_relaxed))
        ;
    return o;
}

// A new counter offset: every object so far whose block start is not
// known may be reached at it.
void note_every_counter_at(uintptr_t offset)
{
    for (Object *o = created.load(std::memory_order_acquire); o; o = o->next_created) {
        const uint16_t known = o->block_offset.load(std::memory_order_relaxed);
        if (!known || known == offset + 1)
            bases_note_counter_at(o->address, offset);
    }
}

template <class Fn> void for_each_in_range(uintptr_t begin, uintptr_t end, Fn fn)
{
    for (uintptr_t page = begin >> kPageShift; page <= (end - 1) >> kPageShift; ++page) {
        for (PageList *l = pages.find(page); l; l = l->next.load(std::memory_order_acquire)) {
            uint32_t n = l->used.load(std::memory_order_acquire);
            if (n > PageList::kCapacity)
                n = PageList::kCapacity;
            for (uint32_t i = 0; i < n; ++i) {
                Object *o = l->items[i].load(std::memory_order_acquire);
                if (o && o->address >= begin && o->address + sizeof(int) <= end)
                    if (!fn(*o))
                        return;
            }
        }
    }
}

} // namespace

void registry_configure(int history, BirthFilter filter)
{
    history_cap = history;
    birth_filter = filter;
}

OpResult apply_unrecorded(void *r, Op op, uint32_t arg)
{
    unrecorded_ops.fetch_add(1, std::memory_order_relaxed);
    // Lock-free lookup only: this may run in a signal handler that
    // interrupted the record's lock holder.
    if (Object *o = objects.find(reinterpret_cast<uintptr_t>(r)))
        o->count_unknown.store(true, std::memory_order_relaxed);
    return OpResult{bits_of(apply(r, op, arg)), ErrorKind::none};
}

uint64_t registry_unrecorded_ops() { return unrecorded_ops.load(std::memory_order_relaxed); }

OpResult registry_op(void *r, Op op, uint32_t arg, SiteId site, uint32_t tid, bool on_stack,
                     ObjectSnapshot *snapshot)
{
    Object *o = objects.find_or_create(reinterpret_cast<uintptr_t>(r), make_object);
    if (!o)
        return apply_unrecorded(r, op, arg);

    ObjectLock lock(*o, tid);
    // An operation on a freed life (its memory not allocated again) is
    // reported and computed, not written: the memory is the allocator's now
    // (glibc keeps its free list in it), and writing it would corrupt the
    // heap the report then allocates from. The program gets the result it
    // would have got.
    const Applied a = apply(r, op, arg, o->state != State::freed || op == Op::set);
    const int pid = current_pid.load(std::memory_order_relaxed);
    if (o->state == State::ignored && op != Op::set) {
        // Born outside the filter: follow the life, record nothing of it. Its
        // end leaves no trace, so a later operation is a new (filtered) birth.
        if (is_decrement(op) && a.result && a.new_count == 0)
            o->state = State::none;
        return OpResult{bits_of(a), ErrorKind::none};
    }
    ErrorKind err = ErrorKind::none;
    State s = o->state;
    bool born = false;
    if (alive(s) && o->pid != pid)
        inherit(*o);

    if (op == Op::set && arg == 0 && alive(s) && a.old_count > 0) {
        // Setting a live count to 0 is a forced release (perf tears its ring
        // buffers down this way), not a new life: a holder that touches the
        // object afterwards is reported then, as use-after-release.
        end_life(*o, State::released, site);
    } else if (op == Op::set) {
        if (alive(s) && a.old_count > 1)
            err = ErrorKind::reinit_while_live;
        end_life(*o, State::freed, site);
        start_life(*o, State::live, site, arg);
        born = true;
    } else if (op == Op::inc_not_zero && a.old_count == 0) {
        // Normal use on a dying or dead object: recorded, no life starts.
    } else if (s == State::none || (s == State::released && a.old_count != 0)) {
        // First sight mid-life: REFCOUNT_INIT, a copied struct, or memory
        // allocated again since an earlier life (registry_reuse_range()).
        start_life(*o, State::adopted, site, a.old_count);
        born = true;
        s = State::adopted;
    }

    if (op != Op::set) {
        // Freed and not allocated again: whatever the memory reads now (the
        // allocator's own words, often), the object is gone.
        if ((s == State::released && a.old_count == 0) || s == State::freed) {
            if (op != Op::inc_not_zero || a.old_count != 0)
                err = ErrorKind::use_after_release;
        } else if (op == Op::inc && a.old_count == 0) {
            err = ErrorKind::increment_on_zero;
        } else if ((op == Op::inc || op == Op::inc_not_zero) && a.warn) {
            err = ErrorKind::saturated;
        } else if (is_decrement(op) && a.warn) {
            err = ErrorKind::underflow;
        }
    }

    if (born && birth_filter && !birth_filter(site)) {
        o->state = State::ignored;
        o->count = a.new_count;
        return OpResult{bits_of(a), ErrorKind::none};
    }
    // A life started by refcount_set() starts from nothing, whatever the
    // memory held before (reused memory, an earlier life).
    const int64_t delta = born && op == Op::set ? int64_t(a.new_count) : int64_t(a.new_count) - int64_t(a.old_count);
    record(*o, site, tid, a, &delta);
    o->count = a.new_count;
    if (born)
        o->on_stack = on_stack;
    o->pid = pid;
    if (is_decrement(op) && a.result && a.new_count == 0) {
        remember_release(o->birth, site);
        end_life(*o, State::released, site);
    }
    if (err != ErrorKind::none && snapshot)
        snapshot_locked(*o, *snapshot);
    return OpResult{bits_of(a), err};
}

bool registry_has_objects_in(uintptr_t begin, uintptr_t end)
{
    bool any = false;
    for_each_in_range(begin, end, [&](Object &o) {
        any = o.state != State::freed && o.state != State::none;
        return !any;
    });
    return any;
}

void registry_reuse_range(uintptr_t begin, uintptr_t end, uint32_t tid)
{
    for_each_in_range(begin, end, [&](Object &o) {
        ObjectLock lock(o, tid); // uncontended: nothing operates on memory just allocated
        if (o.state == State::freed)
            o.state = State::none;
        return true;
    });
}

void registry_free_range(uintptr_t begin, uintptr_t end, SiteId site, uint32_t tid,
                         void (*on_error)(ErrorKind, const ObjectSnapshot &, SiteId))
{
    for_each_in_range(begin, end, [&](Object &o) {
        ObjectSnapshot snap;
        bool error = false;
        registry_learn_offset(o.address - begin);
        {
            ObjectLock lock(o, tid);
            if (o.state == State::freed || o.state == State::none)
                return true;
            if (o.state == State::ignored) {
                o.state = State::none;
                return true;
            }
            const uint32_t now = load(counter_of(reinterpret_cast<void *>(o.address)));
            error = alive(o.state) && now > 1 && now != UINT_MAX;
            const Applied a{now, now, false, false};
            record(o, site, tid, a, nullptr);
            // A life a put released keeps that put as its end: the free
            // after it is the destructor's, the put is whose it was.
            const SiteId released_by = o.state == State::released ? o.end : SiteId{};
            end_life(o, State::freed, site);
            if (released_by)
                o.end = released_by;
            if (error)
                snapshot_locked(o, snap);
        }
        if (error && on_error)
            on_error(ErrorKind::freed_while_referenced, snap, site);
        return true;
    });
}

namespace {

// One word of a freed block: a live object's start counts a holder freed.
struct HolderScan {
    uintptr_t begin, end;
    uint32_t tid;
    SiteId (*make_site)(void *);
    void *ctx;
    uintptr_t offsets[kMaxOffsets];
    size_t n = 0; // read at the first candidate: most blocks have none
    SiteId site;

    // False when no stack could be taken: stop.
    bool word(uintptr_t w)
    {
        // A pointer into the block itself (a list head pointing at itself)
        // is no reference to another object.
        if (w & 7 || (w >= begin && w < end) || !bases_may_start(w))
            return true;
        if (!n && !(n = bases_offsets(offsets)))
            return false;
        for (size_t i = 0; i < n; ++i) {
            const uintptr_t counter = w + offsets[i];
            if (counter >= begin && counter < end) // the block's own objects
                continue;
            Object *o = objects.find(counter);
            // An object whose block's start is known is reached from there
            // only: not from the start of another block before it.
            const uint16_t known = o ? o->block_offset.load(std::memory_order_relaxed) : 0;
            if (!o || (known && known != offsets[i] + 1))
                continue;
            // A dead object at one offset (a freed struct of another type
            // whose memory this one reuses) does not end the search: the
            // live one may lie at another. The stack is taken once per
            // block, and only for a live object.
            if (!site) {
                {
                    ObjectLock lock(*o, tid);
                    if (!alive(o->state))
                        continue;
                }
                if (!(site = make_site(ctx)))
                    return false;
            }
            ObjectLock lock(*o, tid);
            if (!alive(o->state))
                continue;
            count_site(*o, site, 0);
            return true;
        }
        return true;
    }
};

} // namespace

// Reads the words of a block its owner is freeing: past the size asked for
// they may be a sanitizer's redzone or uninitialized, which is harmless here.
__attribute__((no_sanitize("address", "thread", "undefined"))) bool
registry_scan_freed_holder(uintptr_t begin, uintptr_t end, uint32_t tid, SiteId (*make_site)(void *), void *ctx)
{
    if (end - begin > kMaxScan)
        end = begin + kMaxScan;
    uintptr_t low, span;
    bases_range(&low, &span);
    HolderScan scan{begin, end, tid, make_site, ctx, {}, 0, SiteId{}};
    const auto *p = reinterpret_cast<const uintptr_t *>(begin);
    const auto *stop = p + (end - begin) / sizeof(uintptr_t);
    for (; p < stop; ++p)
        if (*p - low <= span && !scan.word(*p))
            break;
    return bool(scan.site);
}

void registry_for_each_snapshot(void (*fn)(const ObjectSnapshot &, void *), void *ctx)
{
    ObjectSnapshot snap;
    for (Object *o = created.load(std::memory_order_acquire); o; o = o->next_created) {
        {
            ObjectLock lock(*o, 0);
            snapshot_locked(*o, snap);
        }
        fn(snap, ctx);
    }
}

void registry_for_each_snapshot_born(bool (*wanted)(SiteId birth, void *), void (*fn)(const ObjectSnapshot &, void *),
                                     void *ctx)
{
    ObjectSnapshot snap;
    for (Object *o = created.load(std::memory_order_acquire); o; o = o->next_created) {
        {
            ObjectLock lock(*o, 0);
            if (!wanted(o->birth, ctx))
                continue;
            snapshot_locked(*o, snap);
        }
        fn(snap, ctx);
    }
}

size_t registry_objects() { return objects.size(); }

void registry_learn_offset(uintptr_t offset)
{
    if (bases_learn_offset(offset))
        note_every_counter_at(offset);
}

void registry_expect_block_start(void *r, uintptr_t offset)
{
    registry_learn_offset(offset);
    expected_counter = offset < kMaxOffset ? reinterpret_cast<uintptr_t>(r) : 0;
    expected_offset = static_cast<uint16_t>(offset + 1);
}

void registry_note_block_start(void *r, uintptr_t offset)
{
    expected_counter = 0;
    registry_learn_offset(offset);
    if (offset >= kMaxOffset)
        return;
    if (Object *o = objects.find(reinterpret_cast<uintptr_t>(r))) {
        // An address used again, by a struct of another type: its new start.
        if (o->block_offset.exchange(static_cast<uint16_t>(offset + 1), std::memory_order_relaxed) != offset + 1)
            bases_note_counter_at(o->address, offset);
    }
}

void registry_set_pid(int pid) { current_pid.store(pid, std::memory_order_relaxed); }
int registry_pid() { return current_pid.load(std::memory_order_relaxed); }
uint64_t registry_new_epoch() { return epoch.fetch_add(1, std::memory_order_relaxed) + 1; }
void registry_after_fork_child() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

} // namespace refdebug
