// SPDX-License-Identifier: MIT
#include "depot.h"

#include <boost/test/unit_test.hpp>
#include <thread>
#include <vector>

using namespace refdebug;

BOOST_AUTO_TEST_SUITE(depot)

BOOST_AUTO_TEST_CASE(interns_each_stack_once)
{
    const uintptr_t a[] = {0x1000, 0x2000, 0x3000};
    const uintptr_t b[] = {0x1000, 0x2000, 0x3001};
    const SiteId first = depot_intern(Op::inc, a, 3);
    BOOST_TEST(bool(first));
    BOOST_TEST(depot_intern(Op::inc, a, 3).value == first.value);
    BOOST_TEST(depot_intern(Op::dec, a, 3).value != first.value); // the op is part of the key
    BOOST_TEST(depot_intern(Op::inc, b, 3).value != first.value);
    BOOST_TEST(depot_intern(Op::inc, a, 2).value != first.value); // so is the depth
    const Site *s = depot_get(first);
    BOOST_TEST_REQUIRE(s);
    BOOST_TEST(int(s->op) == int(Op::inc));
    BOOST_TEST(s->depth == 3);
    BOOST_TEST(s->frames[2] == 0x3000u);
    BOOST_TEST(!depot_get(SiteId{}));
    BOOST_TEST(!depot_get(SiteId{depot_count() + 1}));
}

BOOST_AUTO_TEST_CASE(concurrent_interning_agrees_on_ids)
{
    constexpr int kStacks = 2000;
    std::vector<uint32_t> ids[2];
    auto work = [&](int t) {
        for (int i = 0; i < kStacks; ++i) {
            const uintptr_t frames[] = {0x900000u + uintptr_t(i), 0x42};
            ids[t].push_back(depot_intern(Op::set, frames, 2).value);
        }
    };
    std::thread one(work, 0), two(work, 1);
    one.join();
    two.join();
    BOOST_TEST(ids[0] == ids[1]);
    for (int i = 0; i < kStacks; ++i)
        BOOST_TEST_REQUIRE(ids[0][i] != 0u);
}

BOOST_AUTO_TEST_SUITE_END()
