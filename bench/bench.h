// SPDX-License-Identifier: MIT
// Helpers shared by the runtime benchmarks (P2, P4, P5): a timer, a call
// chain of fixed depth, resident memory, and objects a cache line apart.
#pragma once

#include <linux/refcount.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <unistd.h>

namespace bench {

struct alignas(64) Obj {
    refcount_t ref;
};

inline double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Calls fn() from Depth frames below the caller, one noinline frame per level.
template <int Depth> struct Chain {
    template <class Fn> __attribute__((noinline)) static void call(Fn &fn)
    {
        Chain<Depth - 1>::call(fn);
        asm volatile("" ::: "memory"); // keeps the frame: no tail call
    }
};
template <> struct Chain<0> {
    template <class Fn> __attribute__((noinline)) static void call(Fn &fn) { fn(); }
};

// Best (smallest) time of repeats runs of fn(), in seconds.
template <class Fn> double best_of(int repeats, Fn fn)
{
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const double t = now();
        fn();
        const double d = now() - t;
        if (d < best)
            best = d;
    }
    return best;
}

// Resident set size in bytes (/proc/self/statm).
inline size_t resident_bytes()
{
    size_t pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%zu %zu", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

} // namespace bench
