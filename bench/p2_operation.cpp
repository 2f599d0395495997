// SPDX-License-Identifier: MIT
// P2, the runtime present: the cost of one recorded operation, 12 frames
// below main, against the bare stack capture of the same depth that the
// runtime uses (its frame-pointer walk), glibc's backtrace() and the DWARF
// walk (Boost.Stacktrace's safe_dump_to, the fallback). Linked with the
// static runtime so that the walkers can be called directly.
#include "bench.h"
#include "capture.h"

#include <execinfo.h>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

using namespace bench;

namespace {

constexpr int kDepth = 16;     // the depth option's default
constexpr size_t kObjects = 1024;
constexpr int kRounds = 200;   // per timed run
constexpr int kRepeats = 7;


// Walks frame pointers as the hook does: from its own frame and return address.
__attribute__((noinline)) size_t fp_capture(uintptr_t *out, refdebug::StackBounds bounds)
{
    return refdebug::capture_frame_pointers(out, kDepth, reinterpret_cast<uintptr_t>(__builtin_return_address(0)),
                                            reinterpret_cast<uintptr_t>(__builtin_frame_address(0)), bounds);
}

__attribute__((noinline)) size_t dwarf_capture(uintptr_t *out)
{
    return refdebug::capture_dwarf(out, kDepth, reinterpret_cast<uintptr_t>(__builtin_return_address(0)));
}

// Seconds per call of step(), called kObjects * kRounds times from 12 frames down.
template <class Step> double per_call(Step step, size_t calls_per_step)
{
    auto body = [&] {
        for (int r = 0; r < kRounds; ++r)
            for (size_t i = 0; i < kObjects; ++i)
                step(i);
    };
    return best_of(kRepeats, [&] { Chain<12>::call(body); }) / (double(kRounds) * kObjects * calls_per_step);
}

} // namespace

int main(int argc, char **argv)
{
    // --operation-only: just the recorded operations, for callgrind.
    const bool operation_only = argc > 1 && std::string(argv[1]) == "--operation-only";
    // glibc's locks skip the lock prefix until a thread exists: make one.
    std::thread([] {}).join();
    std::vector<Obj> objs(kObjects);
    for (Obj &o : objs)
        refcount_set(&o.ref, 1);
    const refdebug::StackBounds bounds = refdebug::current_stack_bounds();
    size_t sink = 0;
    uintptr_t frames[64];
    void *raw[64];

    const double op = per_call(
        [&](size_t i) {
            refcount_inc(&objs[i].ref);
            sink += refcount_dec_and_test(&objs[i].ref);
        },
        2);
    if (operation_only) {
        std::printf("recorded operation %.1f ns\n", op * 1e9);
        return sink == 0;
    }
    const double fp = per_call([&](size_t) { sink += fp_capture(frames, bounds); }, 1);
    const double glibc = per_call([&](size_t) { sink += backtrace(raw, kDepth); }, 1);
    const double dwarf = per_call([&](size_t) { sink += dwarf_capture(frames); }, 1);

    std::printf("P2 runtime present: %d frames, from 12 frames below main, best of %d\n", kDepth, kRepeats);
    std::printf("  %-34s %8.1f ns\n", "recorded operation (runtime)", op * 1e9);
    std::printf("  %-34s %8.1f ns  operation = %.2fx this\n", "frame-pointer walk (its capture)", fp * 1e9, op / fp);
    std::printf("  %-34s %8.1f ns  operation = %.2fx this\n", "glibc backtrace()", glibc * 1e9, op / glibc);
    std::printf("  %-34s %8.1f ns  operation = %.2fx this\n", "DWARF walk (unwind=dwarf)", dwarf * 1e9, op / dwarf);
    return sink == 0;
}
