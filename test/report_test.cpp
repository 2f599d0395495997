// SPDX-License-Identifier: MIT
#include "depot.h"
#include "report.h"

#include <boost/test/unit_test.hpp>
#include <climits>

using namespace refdebug;

// Functions whose names the kind inference reads.
extern "C" __attribute__((noinline, used)) void widget__get(void) { asm volatile(""); }
extern "C" __attribute__((noinline, used)) void use_widget(void) { asm volatile(""); }
extern "C" __attribute__((noinline, used)) void gadget__new_id(void) { asm volatile(""); }
extern "C" __attribute__((noinline, used)) void __session__new(void) { asm volatile(""); }

BOOST_AUTO_TEST_SUITE(report)

BOOST_AUTO_TEST_CASE(leaked_references_follow_the_contract)
{
    struct Case {
        const char *what;
        State state;
        uint32_t count, baseline;
        Storage storage;
        int pid;
        uint64_t expected;
    };
    const Case cases[] = {
        {"heap, set, count 2", State::live, 2, 1, Storage::heap, 7, 2},
        {"heap, set, count 0", State::live, 0, 0, Storage::heap, 7, 0},
        {"adopted at 1, now 1", State::adopted, 1, 1, Storage::heap, 7, 0},
        {"adopted at 1, now 3", State::adopted, 3, 1, Storage::heap, 7, 2},
        {"adopted at 2, now 1", State::adopted, 1, 2, Storage::heap, 7, 0},
        {"static, set 1, now 1", State::live, 1, 1, Storage::global, 7, 0},
        {"static, set 1, now 2", State::live, 2, 1, Storage::global, 7, 1},
        {"on a stack", State::live, 5, 1, Storage::stack, 7, 0},
        {"saturated", State::live, UINT_MAX, 1, Storage::heap, 7, 0},
        {"released", State::released, 0, 1, Storage::heap, 7, 0},
        {"freed", State::freed, 1, 1, Storage::heap, 7, 0},
        {"another process's", State::live, 1, 1, Storage::heap, 8, 0},
    };
    for (const Case &c : cases) {
        BOOST_TEST_CONTEXT(c.what)
        {
            ObjectSnapshot o;
            o.state = c.state;
            o.count = c.count;
            o.baseline = c.baseline;
            o.pid = c.pid;
            BOOST_TEST(leaked_references(o, c.storage, 7) == c.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(kind_comes_from_the_wrapper_name)
{
    const uintptr_t frames[] = {reinterpret_cast<uintptr_t>(&widget__get) + 1,
                                reinterpret_cast<uintptr_t>(&use_widget) + 1};
    const SiteId id = depot_intern(Op::inc, frames, 2);
    BOOST_TEST(infer_kind(id) == "widget");
    const uintptr_t anonymous[] = {reinterpret_cast<uintptr_t>(&use_widget) + 1};
    BOOST_TEST(infer_kind(depot_intern(Op::inc, anonymous, 1)) == "-");
    // perf's convention at the innermost frame wins over wrappers further out.
    const uintptr_t birth[] = {reinterpret_cast<uintptr_t>(&gadget__new_id) + 1,
                               reinterpret_cast<uintptr_t>(&__session__new) + 1};
    BOOST_TEST(infer_kind(depot_intern(Op::set, birth, 2)) == "gadget");
}

BOOST_AUTO_TEST_CASE(distinguishing_frame_skips_wrappers)
{
    const uintptr_t frames[] = {reinterpret_cast<uintptr_t>(&widget__get) + 1,
                                reinterpret_cast<uintptr_t>(&use_widget) + 1};
    const SiteId id = depot_intern(Op::inc, frames, 2);
    const Wrappers wrappers({id});
    BOOST_TEST(distinguishing_frame(id, wrappers) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
