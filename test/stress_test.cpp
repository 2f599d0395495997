// SPDX-License-Identifier: MIT
// Stress (ctest label stress): 8 threads racing hand-offs, address reuse and
// inc_not_zero against the final put, 20 times; no false report, and every
// operation recorded (the program counts its own calls).
#include "run_program.h"

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <regex>

using namespace refdebug_test;

BOOST_AUTO_TEST_SUITE(stress)

BOOST_AUTO_TEST_CASE(eight_threads_exact_counts_20_runs)
{
    static const std::regex done(R"(ops (\d+) sets (\d+) frees (\d+))");
    static const std::regex stats(R"(STATS: (\d+) objects, (\d+) events)");
    // REFDEBUG_STRESS_RUNS and REFDEBUG_STRESS_ITERATIONS scale it down for
    // the sanitizer builds (ThreadSanitizer is ~30x slower).
    const auto setting = [](const char *name, long fallback) {
        const char *v = std::getenv(name);
        return v && std::atol(v) > 0 ? std::atol(v) : fallback;
    };
    const long runs = setting("REFDEBUG_STRESS_RUNS", 20);
    // 160,000 iterations per thread by default: about 1.07 M operations each.
    const long iterations = setting("REFDEBUG_STRESS_ITERATIONS", 160000);
    for (int run = 0; run < runs; ++run) {
        BOOST_TEST_CONTEXT("run " << run)
        {
            const Run r = run_program({program_path("stress"), std::to_string(iterations)},
                                      {"REFDEBUG_OPTIONS=verbosity=1:sites_path=none"}, true);
            std::smatch program, runtime;
            BOOST_TEST_REQUIRE(std::regex_search(r.out, program, done), r.out);
            BOOST_TEST_REQUIRE(std::regex_search(r.err, runtime, stats), r.err);
            const unsigned long ops = std::stoul(program[1]), sets = std::stoul(program[2]),
                                frees = std::stoul(program[3]);
            BOOST_TEST(ops >= 8u * 6u * static_cast<unsigned long>(iterations)); // 6+ operations per iteration
            BOOST_TEST(r.status == 0);
            const Summary s = parse_summary(r.err);
            BOOST_TEST(s.leaked == 0u);
            BOOST_TEST(s.errors == 0u);
            BOOST_TEST(std::stoul(runtime[1]) == sets);          // one life per refcount_set
            BOOST_TEST(std::stoul(runtime[2]) == ops + frees);    // every operation, and each free
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
