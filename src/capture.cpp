// SPDX-License-Identifier: MIT
// Two walkers. Frame pointers cost ~11 ns for 16 frames and perf always has
// them (-fno-omit-frame-pointer); the DWARF unwinder (libgcc through
// Boost.Stacktrace's async-safe safe_dump_to) costs ~2 us but needs none.
#define BOOST_STACKTRACE_LINK
#include "capture.h"

#include "options.h"

#include "arena.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <boost/stacktrace/safe_dump_to.hpp>
#include <link.h>
#include <pthread.h>

namespace refdebug {

namespace {
// Frames the runtime itself may add above the caller (hook entry, op, capture).
constexpr size_t kRuntimeFrames = 8;

// The executable segments of every loaded object, sorted: a snapshot in the
// arena, replaced (never freed) when the loader's counts of added or
// removed objects move.
struct LoaderCounts {
    unsigned long long adds = 0, subs = 0; // dlpi_adds, dlpi_subs
    bool operator!=(const LoaderCounts &o) const { return adds != o.adds || subs != o.subs; }
};
struct CodeRanges {
    LoaderCounts counts; // when taken
    size_t count;
    std::pair<uintptr_t, uintptr_t> ranges[1]; // really `count`
};
constexpr size_t kMaxRanges = 4096;
std::atomic<CodeRanges *> code_ranges{nullptr};
std::atomic_flag code_ranges_lock = ATOMIC_FLAG_INIT;

LoaderCounts loader_counts()
{
    LoaderCounts counts;
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t size, void *out) {
            if (size >= offsetof(dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs))
                *static_cast<LoaderCounts *>(out) = {info->dlpi_adds, info->dlpi_subs};
            return 1; // the first object is enough
        },
        &counts);
    return counts;
}

// Every object with a path seen in a snapshot, in the order first seen:
// its code may be unloaded (dlclose) before the report symbolizes it.
constexpr size_t kMaxSeen = 1024;
SeenModule modules_seen[kMaxSeen];
std::atomic<size_t> seen_count{0};

// Called with code_ranges_lock held.
void note_seen_module(const dl_phdr_info *info, uintptr_t low, uintptr_t high)
{
    const char *name = info->dlpi_name;
    const size_t n = seen_count.load(std::memory_order_relaxed);
    if (!name || name[0] != '/' || n == kMaxSeen)
        return;
    for (size_t i = 0; i < n; ++i)
        if (modules_seen[i].bias == info->dlpi_addr && modules_seen[i].low == low &&
            std::strcmp(modules_seen[i].path, name) == 0)
            return;
    const size_t length = std::strlen(name) + 1;
    auto *path = static_cast<char *>(arena_alloc(length, 1));
    if (!path)
        return;
    std::memcpy(path, name, length);
    modules_seen[n] = {path, info->dlpi_addr, low, high};
    seen_count.store(n + 1, std::memory_order_release);
}

const CodeRanges *refresh_code_ranges(const CodeRanges *seen)
{
    if (code_ranges_lock.test_and_set(std::memory_order_acquire))
        return seen; // another thread is refreshing: use what we have
    const CodeRanges *now = code_ranges.load(std::memory_order_acquire);
    const LoaderCounts counts = loader_counts();
    if (!now || now->counts != counts) {
        auto *fresh = static_cast<CodeRanges *>(
            arena_alloc(sizeof(CodeRanges) + sizeof(std::pair<uintptr_t, uintptr_t>) * kMaxRanges, alignof(CodeRanges)));
        if (fresh) {
            fresh->counts = counts;
            dl_iterate_phdr(
                [](dl_phdr_info *info, size_t, void *ctx) {
                    auto *r = static_cast<CodeRanges *>(ctx);
                    for (int i = 0; i < info->dlpi_phnum && r->count < kMaxRanges; ++i) {
                        const ElfW(Phdr) &ph = info->dlpi_phdr[i];
                        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
                            r->ranges[r->count++] = {info->dlpi_addr + ph.p_vaddr,
                                                     info->dlpi_addr + ph.p_vaddr + ph.p_memsz};
                            note_seen_module(info, r->ranges[r->count - 1].first, r->ranges[r->count - 1].second);
                        }
                    }
                    return 0;
                },
                fresh);
            std::sort(fresh->ranges, fresh->ranges + fresh->count);
            code_ranges.store(fresh, std::memory_order_release);
            now = fresh;
        }
    }
    code_ranges_lock.clear(std::memory_order_release);
    return now;
}

using Range = std::pair<uintptr_t, uintptr_t>;

// The range holding pc, or null.
const Range *find_range(const CodeRanges *r, uintptr_t pc)
{
    if (!r)
        return nullptr;
    const Range *end = r->ranges + r->count;
    const Range *it = std::upper_bound(r->ranges, end, pc, [](uintptr_t x, const Range &y) { return x < y.first; });
    return it != r->ranges && pc < (it - 1)->second ? it - 1 : nullptr;
}

// The code range holding pc, or null; a miss refreshes the snapshot once.
const Range *code_range(uintptr_t pc)
{
    const CodeRanges *r = code_ranges.load(std::memory_order_acquire);
    if (const Range *hit = find_range(r, pc))
        return hit;
    return find_range(refresh_code_ranges(r), pc);
}

} // namespace

const SeenModule *seen_modules(size_t *count)
{
    *count = seen_count.load(std::memory_order_acquire);
    return modules_seen;
}

uint64_t loader_changes()
{
    const LoaderCounts counts = loader_counts();
    return counts.adds + counts.subs;
}

bool in_loaded_code(uintptr_t begin, size_t n)
{
    // The caller reads this code (report time): the snapshot must be
    // current, objects unloaded since it was taken (dlclose) included.
    const CodeRanges *r = refresh_code_ranges(code_ranges.load(std::memory_order_acquire));
    if (!r || r->counts != loader_counts())
        return false; // another thread is refreshing it: do not read
    const Range *range = find_range(r, begin);
    return range && begin + n <= range->second;
}

// Reads stack words that are not its own on purpose (checked against the
// stack's bounds): AddressSanitizer's redzones there are not an error.
__attribute__((no_sanitize("address"))) size_t capture_frame_pointers(uintptr_t *out, size_t depth,
                                                                       uintptr_t caller_pc, uintptr_t frame,
                                                                       StackBounds bounds)
{
    // frame is the hook's own frame: [0] the caller's frame, [1] caller_pc.
    // Each step must move up the stack, stay inside it and stay aligned, and
    // land on a return address in loaded code, so a frame pointer register
    // that code built without frame pointers reused as data ends the walk
    // instead of faulting or inventing frames.
    // Most return addresses lie in the module of the one before: the last
    // range found is tried before a search.
    size_t n = 0;
    out[n++] = caller_pc;
    uintptr_t fp = frame;
    Range last{0, 0};
    while (n < depth) {
        const uintptr_t next = reinterpret_cast<const uintptr_t *>(fp)[0];
        // (Compared so that nothing wraps: next may be any word, ~0 too.)
        if (next <= fp || next < bounds.lo || next > bounds.hi || bounds.hi - next < 2 * sizeof(uintptr_t) ||
            (next & 7))
            break;
        const uintptr_t pc = reinterpret_cast<const uintptr_t *>(next)[1];
        if (pc - last.first >= last.second - last.first) {
            const Range *r = code_range(pc);
            if (!r)
                break;
            last = *r;
        }
        out[n++] = pc;
        fp = next;
    }
    return n;
}

StackBounds current_stack_bounds()
{
    StackBounds b;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *base = nullptr;
        size_t size = 0;
        pthread_attr_getstack(&attr, &base, &size);
        b.lo = reinterpret_cast<uintptr_t>(base);
        b.hi = b.lo + size;
        pthread_attr_destroy(&attr);
    }
    return b;
}

size_t capture_dwarf(uintptr_t *out, size_t depth, uintptr_t caller_pc)
{
    void *raw[kMaxDepth + kRuntimeFrames + 1];
    const size_t want = depth + kRuntimeFrames;
    boost::stacktrace::safe_dump_to(0, raw, sizeof(void *) * (want + 1));
    size_t n = 0;
    while (n < want && raw[n])
        ++n;
    size_t first = 0;
    while (first < n && reinterpret_cast<uintptr_t>(raw[first]) != caller_pc)
        ++first;
    if (first == n) { // the unwinder lost the caller: keep what we know for sure
        out[0] = caller_pc;
        return 1;
    }
    size_t count = 0;
    for (size_t i = first; i < n && count < depth; ++i)
        out[count++] = reinterpret_cast<uintptr_t>(raw[i]);
    return count;
}

size_t capture_stack(uintptr_t *out, size_t depth, uintptr_t caller_pc, uintptr_t frame, Unwind mode,
                     StackBounds bounds)
{
    const bool walkable = frame && frame >= bounds.lo && frame < bounds.hi;
    if (mode != Unwind::dwarf && walkable) {
        const size_t n = capture_frame_pointers(out, depth, caller_pc, frame, bounds);
        // Only the caller means it was built without frame pointers (plain -O2).
        if (n > 1 || depth == 1 || mode == Unwind::fp)
            return n;
    } else if (mode == Unwind::fp || depth == 1) {
        out[0] = caller_pc;
        return 1;
    }
    return capture_dwarf(out, depth, caller_pc);
}

} // namespace refdebug
