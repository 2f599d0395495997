// SPDX-License-Identifier: MIT
// P4, memory: resident bytes the runtime adds per live object and per unique
// stack, and whether 10 M operations over 1 k stacks grow it (they must not:
// per object a fixed record, a bounded history and per-site counts; per
// stack one depot entry). Resident memory is read from /proc/self/statm.
#include "bench.h"

#include <cstdlib>
#include <thread>
#include <vector>

using namespace bench;

namespace {

constexpr int kLevels = 10; // 2^10 = 1024 distinct stacks

volatile unsigned lefts, rights; // distinct side effects keep the two from being merged

template <class Fn> void step(int levels, unsigned path, Fn &op);

template <class Fn> __attribute__((noinline)) void left(int levels, unsigned path, Fn &op)
{
    lefts = lefts + 1;
    step(levels - 1, path >> 1, op);
    asm volatile("" ::: "memory"); // keeps the frame: no tail call
}

template <class Fn> __attribute__((noinline)) void right(int levels, unsigned path, Fn &op)
{
    rights = rights + 1;
    step(levels - 1, path >> 1, op);
    asm volatile("" ::: "memory");
}

// Reaches op() through one of 2^levels distinct call paths chosen by path's
// bits: each level goes through left() or right().
template <class Fn> void step(int levels, unsigned path, Fn &op)
{
    if (levels == 0)
        op();
    else if (path & 1)
        left(levels, path, op);
    else
        right(levels, path, op);
}

} // namespace

int main()
{
    std::thread([] {}).join();
    constexpr size_t kObjects = 100000;
    // Objects allocated and touched before the runtime sees them.
    std::vector<Obj> objs(kObjects);
    for (Obj &o : objs)
        o.ref.refs.counter = 0;

    const size_t before_objects = resident_bytes();
    for (Obj &o : objs) {
        refcount_set(&o.ref, 1);
        refcount_inc(&o.ref);
    }
    const size_t after_objects = resident_bytes();

    // One object, reached through 1024 distinct stacks: 1024 new depot entries.
    Obj one;
    refcount_set(&one.ref, 1);
    const size_t before_stacks = resident_bytes();
    for (unsigned path = 0; path < (1u << kLevels); ++path) {
        auto op = [&] { refcount_inc(&one.ref); };
        step(kLevels, path, op);
    }
    const size_t after_stacks = resident_bytes();

    // 10 M operations over those stacks and 1 k objects, each object seeing 8 stacks.
    constexpr size_t kBusy = 1024, kOps = 10000000;
    size_t at_1m = 0, done = 0;
    for (size_t round = 0; done < kOps; ++round) {
        for (size_t i = 0; i < kBusy && done < kOps; ++i, done += 2) {
            Obj &o = objs[i];
            const unsigned path = static_cast<unsigned>((i + (round % 8) * 128) % (1u << kLevels));
            auto op = [&] {
                refcount_inc(&o.ref);
                (void)refcount_dec_and_test(&o.ref);
            };
            step(kLevels, path, op);
            if (done == 1000000)
                at_1m = resident_bytes();
        }
    }
    const size_t at_10m = resident_bytes();
    for (Obj &o : objs) { // balanced again: the run leaks nothing
        (void)refcount_dec_and_test(&o.ref);
        (void)refcount_dec_and_test(&o.ref);
    }

    std::printf("P4 memory (resident, history=16 unless REFDEBUG_OPTIONS says otherwise)\n");
    std::printf("  per live object          %8.0f bytes  (%zu objects)\n",
                double(after_objects - before_objects) / kObjects, kObjects);
    std::printf("  per unique stack         %8.0f bytes  (%u stacks of %d+ frames)\n",
                double(after_stacks - before_stacks) / (1u << kLevels), 1u << kLevels, kLevels);
    std::printf("  10 M operations, 1 k stacks: %.1f MB after 1 M, %.1f MB after 10 M  (%.3fx)\n", at_1m / 1e6,
                at_10m / 1e6, double(at_10m) / double(at_1m));
    return 0;
}
