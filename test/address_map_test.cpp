// SPDX-License-Identifier: MIT
#include "address_map.h"

#include <boost/test/unit_test.hpp>
#include <random>
#include <set>
#include <vector>

using namespace refdebug;

BOOST_AUTO_TEST_SUITE(address_map)

// Keys denser than the granule (every 4 bytes where 16 are expected) and
// keys that share a run's low bits across runs must all stay distinct.
BOOST_AUTO_TEST_CASE(dense_and_aliasing_keys_stay_distinct)
{
    static AddressMap<int> map(16, 4); // 64 k slots, full at 32 k
    std::vector<uintptr_t> keys;
    for (uintptr_t k = 0x10000; keys.size() < 10000; k += 4)
        keys.push_back(k); // 4 keys per granule, 2.5 k runs' worth packed together
    for (uintptr_t k = 0x7f0000001000; keys.size() < 20000; k += uintptr_t(1) << 20)
        keys.push_back(k); // same offset in every run
    std::mt19937_64 rng(7);
    while (keys.size() < 30000)
        keys.push_back((rng() & 0x7fffffffffffull) | 8);
    std::vector<int> values(keys.size());
    std::vector<int *> created(keys.size());
    size_t made = 0;
    for (size_t i = 0; i < keys.size(); ++i) {
        created[i] = map.find_or_create(keys[i], [&](uintptr_t) { return &values[made++]; });
        BOOST_TEST_REQUIRE(created[i] != nullptr);
    }
    BOOST_TEST(made == std::set<uintptr_t>(keys.begin(), keys.end()).size()); // one record per distinct key
    BOOST_TEST(map.size() == made);
    for (size_t i = 0; i < keys.size(); ++i)
        BOOST_TEST_REQUIRE(map.find(keys[i]) == created[i]);
    BOOST_TEST(map.find(0x10002) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
