// SPDX-License-Identifier: MIT
#include "suppressions.h"

#include <algorithm>
#include <boost/test/unit_test.hpp>

using namespace refdebug;

BOOST_AUTO_TEST_SUITE(suppressions)

BOOST_AUTO_TEST_CASE(lines_parse_and_bad_ones_warn)
{
    Suppressions s;
    std::string warnings;
    s.parse("# known leaks\n"
            "leak:cpu_map__online\n"
            "  error:*perf_mmap__munmap*  \n"
            "\n"
            "leak:\n"
            "bogus:thing\n"
            "leak:util/evsel.c:20*\n",
            warnings);
    BOOST_TEST(s.leak == (std::vector<std::string>{"cpu_map__online", "util/evsel.c:20*"}));
    BOOST_TEST(s.error == (std::vector<std::string>{"*perf_mmap__munmap*"}));
    BOOST_TEST(warnings.find("suppressions line 5 ignored: 'leak:'") != std::string::npos);
    BOOST_TEST(warnings.find("suppressions line 6 ignored: 'bogus:thing'") != std::string::npos);
    BOOST_TEST(size_t(std::count(warnings.begin(), warnings.end(), '\n')) == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
