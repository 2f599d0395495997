// SPDX-License-Identifier: MIT
// Which free() call sites are read for holders: quiet ones are sampled,
// helpers that free for several callers and sites that held are read in full.
#include "free_sites.h"

#include <boost/test/unit_test.hpp>

using namespace refdebug;

namespace {

uintptr_t outer_of(void *ctx) { return *static_cast<uintptr_t *>(ctx); }

// How many of n blocks freed at site, each from caller outer, are read.
int scanned(FreeSite *site, int n, uintptr_t outer)
{
    int read = 0;
    for (int i = 0; i < n; ++i)
        read += free_site_should_scan(site, outer_of, &outer);
    return read;
}

} // namespace

BOOST_AUTO_TEST_SUITE(free_sites)

BOOST_AUTO_TEST_CASE(a_site_whose_blocks_hold_nothing_goes_quiet)
{
    FreeSite *site = free_site(0x10001);
    BOOST_TEST_REQUIRE(site != nullptr);
    BOOST_TEST(free_site(0x10001) == site);
    BOOST_TEST(scanned(site, 64, 0x20001) == 64); // the first blocks are all read
    const int later = scanned(site, 1600, 0x20001);
    BOOST_TEST(later == 100); // then one in 16
}

BOOST_AUTO_TEST_CASE(a_site_that_held_is_read_in_full)
{
    FreeSite *site = free_site(0x10002);
    scanned(site, 200, 0x20002);
    free_site_held(site);
    BOOST_TEST(scanned(site, 500, 0x20002) == 500);
}

BOOST_AUTO_TEST_CASE(a_helper_freeing_for_two_callers_is_read_in_full)
{
    FreeSite *site = free_site(0x10003);
    scanned(site, 3, 0x20003);
    scanned(site, 3, 0x20004); // another caller, among the first calls
    BOOST_TEST(scanned(site, 1000, 0x20003) == 1000);
    // A helper whose first calls all come from one caller (a loop) is
    // found later, when another caller shows.
    FreeSite *late = free_site(0x10005);
    scanned(late, 200, 0x20005);
    BOOST_TEST(scanned(late, 56, 0x20006) == 3); // calls 200-255: quiet, one in 16 read
    BOOST_TEST(scanned(late, 500, 0x20006) == 500); // call 256 probes, sees the other caller
    // An unknown caller (0) says nothing.
    FreeSite *other = free_site(0x10004);
    scanned(other, 16, 0);
    BOOST_TEST(scanned(other, 1600, 0) < 1600);
}

BOOST_AUTO_TEST_CASE(without_a_record_every_block_is_read)
{
    uintptr_t outer = 0;
    BOOST_TEST(free_site_should_scan(nullptr, outer_of, &outer));
}

BOOST_AUTO_TEST_SUITE_END()
