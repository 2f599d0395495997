// SPDX-License-Identifier: MIT
// P5, scaling: recorded operations per second with 2 threads on disjoint
// objects against 1 thread; operations on different objects share no lock.
#include "bench.h"

#include <thread>
#include <vector>

using namespace bench;

namespace {

constexpr size_t kObjects = 1024;
constexpr int kRounds = 400;

void work(std::vector<Obj> &objs)
{
    auto body = [&] {
        for (int r = 0; r < kRounds; ++r)
            for (Obj &o : objs) {
                refcount_inc(&o.ref);
                (void)refcount_dec_and_test(&o.ref);
            }
    };
    Chain<12>::call(body);
}

// Seconds for threads threads, each doing the same work on its own objects.
double run(std::vector<std::vector<Obj>> &sets, size_t threads)
{
    return best_of(5, [&] {
        std::vector<std::thread> pool;
        for (size_t t = 0; t < threads; ++t)
            pool.emplace_back([&, t] { work(sets[t]); });
        for (std::thread &th : pool)
            th.join();
    });
}

} // namespace

int main()
{
    std::vector<std::vector<Obj>> sets(2, std::vector<Obj>(kObjects));
    for (auto &set : sets)
        for (Obj &o : set)
            refcount_set(&o.ref, 1);
    const double one = run(sets, 1), two = run(sets, 2);
    const double ops = 2.0 * kRounds * kObjects;
    std::printf("P5 scaling: %zu objects per thread, disjoint, best of 5 (machine: %u cpus)\n", kObjects,
                std::thread::hardware_concurrency());
    std::printf("  1 thread   %8.2f Mop/s\n", ops / one / 1e6);
    std::printf("  2 threads  %8.2f Mop/s  %.2fx\n", 2 * ops / two / 1e6, 2 * one / two);
    return 0;
}
