// SPDX-License-Identifier: MIT
// P6, the leak report (grouping, every ranking rule, symbols, text) over
// a run with many ended lives and many leak groups, against recording that
// run, in the same process: a rule that passed over the registry once per
// suspect asked grew with lives times groups.
#include "bench.h"

#include <refdebug.h>

#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

using namespace bench;

namespace {

constexpr int kGroups = 20;

struct Item {
    refcount_t ref;
    long payload;
};

// Every life at an address of its own, kept to the end (memory not freed):
// the registry holds each ended life, as in a run whose objects are
// reclaimed but whose memory is not reused.
Item *pool;
long next;

Item *item_new()
{
    Item *i = &pool[next++];
    refcount_set(&i->ref, 1);
    return i;
}

void item_put(Item *i) { (void)refcount_dec_and_test(&i->ref); }

// One birth stack per N: a lookup-like get and put, and the creator's put
// unless it is the one leaked.
template <int N> __attribute__((noinline)) void use(bool leak)
{
    Item *i = item_new();
    refcount_inc(&i->ref);
    item_put(i);
    if (!leak)
        item_put(i);
    asm volatile("" ::: "memory");
}

template <int... N> void use_all(std::integer_sequence<int, N...>, bool leak) { (use<N>(leak), ...); }

} // namespace

int main(int argc, char **argv)
{
    const long lives = argc > 1 ? std::atol(argv[1]) : 200000;
    const long rounds = lives / kGroups;
    pool = new Item[static_cast<size_t>(rounds * kGroups)];
    const double t0 = now();
    for (long r = 0; r < rounds; ++r)
        use_all(std::make_integer_sequence<int, kGroups>{}, r == 5);
    const double recorded = now() - t0;
    // The report goes to stderr: away with it while it is timed.
    std::fflush(stderr);
    const int saved = dup(2), null = open("/dev/null", O_WRONLY);
    dup2(null, 2);
    const double t1 = now();
    const unsigned long leaked = refdebug_report ? refdebug_report() : 0;
    const double reported = now() - t1;
    dup2(saved, 2);
    close(null);
    close(saved);
    std::printf("P6 report: %ld lives, %d leak groups (%lu leaked objects reported)\n", rounds * kGroups, kGroups,
                leaked);
    std::printf("  recording   %8.3f s\n", recorded);
    std::printf("  report      %8.3f s  %.2fx the recording\n", reported, reported / recorded);
    return 0;
}
