// SPDX-License-Identifier: MIT
#include "options.h"

#include <algorithm>
#include <csignal>
#include <boost/test/unit_test.hpp>

using namespace refdebug;

BOOST_AUTO_TEST_SUITE(options)

BOOST_AUTO_TEST_CASE(defaults_match_the_contract)
{
    const Options o;
    BOOST_TEST(o.log_path == "stderr");
    BOOST_TEST(o.sites_path == "");
    BOOST_TEST(o.depth == 16);
    BOOST_TEST(o.history == 16);
    BOOST_TEST(o.exitcode == 0);
    BOOST_TEST(!o.abort_on_error);
    BOOST_TEST(o.verbosity == 0);
}

BOOST_AUTO_TEST_CASE(values_parse_and_bad_ones_keep_the_default)
{
    struct Case {
        const char *text;
        int depth, history, exitcode;
        size_t warnings;
    };
    const Case cases[] = {
        {"depth=4", 4, 16, 0, 0},
        {"depth=64:history=all:exitcode=3", 64, kHistoryAll, 3, 0},
        {"history=0", 16, 0, 0, 0},
        {"depth=0", 16, 16, 0, 1},
        {"depth=65", 16, 16, 0, 1},
        {"depth=8x", 16, 16, 0, 1},
        {"depth=", 16, 16, 0, 1},
        {"history=-1", 16, 16, 0, 1},
        {"exitcode=256", 16, 16, 0, 1},
        {"nonsense", 16, 16, 0, 1},
        {"depth=2:typo=3:history=5", 2, 5, 0, 1},
        {"::depth=3::", 3, 16, 0, 0},
        {"depth=99999999999999999999", 16, 16, 0, 1},
        {"bad\nkey=1:depth=bad\nvalue", 16, 16, 0, 2}, // found by the fuzzer: one line each
        {"max_memory_mb=-1", 16, 16, 0, 1},
    };
    for (const Case &c : cases) {
        BOOST_TEST_CONTEXT(c.text)
        {
            Options o;
            std::string warnings;
            parse_options(c.text, o, warnings);
            BOOST_TEST(o.depth == c.depth);
            BOOST_TEST(o.history == c.history);
            BOOST_TEST(o.exitcode == c.exitcode);
            BOOST_TEST(size_t(std::count(warnings.begin(), warnings.end(), '\n')) == c.warnings);
        }
    }
}

BOOST_AUTO_TEST_CASE(strings_and_flags)
{
    Options o;
    std::string warnings;
    parse_options("log_path=/tmp/x:sites_path=none:abort_on_error=1:verbosity=1", o, warnings);
    BOOST_TEST(warnings == "");
    BOOST_TEST(o.log_path == "/tmp/x");
    BOOST_TEST(o.sites_path == "none");
    BOOST_TEST(o.abort_on_error);
    BOOST_TEST(o.verbosity == 1);
    BOOST_TEST(int(o.unwind) == int(Unwind::automatic));
    parse_options("unwind=fp", o, warnings);
    BOOST_TEST(int(o.unwind) == int(Unwind::fp));
    parse_options("unwind=dwarf", o, warnings);
    BOOST_TEST(int(o.unwind) == int(Unwind::dwarf));
    parse_options("unwind=libunwind", o, warnings);
    BOOST_TEST(int(o.unwind) == int(Unwind::automatic));
    BOOST_TEST(warnings.find("bad value 'libunwind' for option 'unwind'") != std::string::npos);
    parse_options("abort_on_error=maybe", o, warnings);
    BOOST_TEST(!o.abort_on_error);
    BOOST_TEST(warnings.find("bad value 'maybe' for option 'abort_on_error'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(signals_by_name_or_number)
{
    struct Case {
        const char *text;
        int number;
        bool warns;
    };
    const Case cases[] = {
        {"report_signal=USR2", SIGUSR2, false}, {"report_signal=SIGUSR1", SIGUSR1, false},
        {"report_signal=10", 10, false},        {"report_signal=KILL", 0, true},
        {"report_signal=9", 0, true},           {"report_signal=0", 0, true},
        {"report_signal=USR3", 0, true},
    };
    for (const Case &c : cases) {
        BOOST_TEST_CONTEXT(c.text)
        {
            Options o;
            std::string warnings;
            parse_options(c.text, o, warnings);
            BOOST_TEST(o.report_signal.number == c.number);
            BOOST_TEST(warnings.empty() != c.warns);
        }
    }
}

BOOST_AUTO_TEST_CASE(help_lists_every_option)
{
    const std::string help = options_help();
    for (const char *key : {"log_path", "sites_path", "depth", "unwind", "history", "exitcode",
                            "abort_on_error", "verbosity"})
        BOOST_TEST(help.find(std::string("  ") + key + "=") != std::string::npos, key);
}

BOOST_AUTO_TEST_SUITE_END()
