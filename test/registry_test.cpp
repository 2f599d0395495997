// SPDX-License-Identifier: MIT
// The registry's lifecycle rules, driven directly on counters (no interposition here).
#include "depot.h"
#include "output.h"
#include "registry.h"
#include "report.h"

#include <boost/test/unit_test.hpp>
#include <climits>
#include <cstdio>
#include <fstream>
#include <memory>
#include <unistd.h>

using namespace refdebug;

namespace refdebug {
// Readable failures.
std::ostream &operator<<(std::ostream &o, ErrorKind e) { return o << error_name(e); }
} // namespace refdebug

namespace {

// A counter at an address no other test uses: never freed, because this
// binary does not watch free() and a reused address would carry its old life.
struct Counter {
    int *mem = new int[4]();
    void *r() { return mem; }
    uintptr_t address() { return reinterpret_cast<uintptr_t>(mem); }
};

SiteId site(Op op, uintptr_t where)
{
    const uintptr_t frames[] = {where, 0x7777};
    return depot_intern(op, frames, 2);
}

OpResult op(Counter &c, Op o, uint32_t arg = 1, ObjectSnapshot *snap = nullptr)
{
    return registry_op(c.r(), o, arg, site(o, 0x5000 + static_cast<uintptr_t>(o)), 1, false, snap);
}

ObjectSnapshot snapshot_of_address(uintptr_t address)
{
    ObjectSnapshot found;
    registry_for_each([&](const ObjectSnapshot &s) {
        if (s.address == address)
            found = s;
    });
    return found;
}

ObjectSnapshot snapshot_of(Counter &c) { return snapshot_of_address(c.address()); }

struct Setup {
    Setup()
    {
        registry_configure(16);
        registry_set_pid(1234);
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(registry, Setup)

BOOST_AUTO_TEST_CASE(a_life_from_set_to_release)
{
    Counter c;
    op(c, Op::set, 1);
    BOOST_TEST(op(c, Op::inc).error == ErrorKind::none);
    BOOST_TEST(op(c, Op::dec).bits == 0); // 2 -> 1: not released
    ObjectSnapshot s = snapshot_of(c);
    BOOST_TEST(int(s.state) == int(State::live));
    BOOST_TEST(s.count == 1u);
    BOOST_TEST(s.events == 3u);
    BOOST_TEST(op(c, Op::dec).bits == 1); // 1 -> 0: released, REFDEBUG_RESULT
    s = snapshot_of(c);
    BOOST_TEST(int(s.state) == int(State::released));
    BOOST_TEST(c.mem[0] == 0);
}

BOOST_AUTO_TEST_CASE(the_compat_operations_follow_their_lives)
{
    Counter c;
    op(c, Op::set, 1);
    BOOST_TEST(op(c, Op::inc, 3).bits == 1); // refcount_add(3): 1 -> 4
    BOOST_TEST(c.mem[0] == 4);
    BOOST_TEST(op(c, Op::dec_not_one).bits == 1); // 4 -> 3
    BOOST_TEST(op(c, Op::dec_if_one).bits == 0);  // not 1: nothing
    BOOST_TEST(op(c, Op::sub, 2).bits == 0);      // 3 -> 1
    BOOST_TEST(op(c, Op::dec_not_one).bits == 0); // the last reference stays
    BOOST_TEST(int(snapshot_of(c).state) == int(State::live));
    BOOST_TEST(snapshot_of(c).count == 1u);
    BOOST_TEST(op(c, Op::dec_if_one).bits == 1); // 1 -> 0 ends the life
    BOOST_TEST(int(snapshot_of(c).state) == int(State::released));
    BOOST_TEST(op(c, Op::dec_not_one).error == ErrorKind::use_after_release);
    Counter saturating;
    op(saturating, Op::set, UINT_MAX - 2);
    const OpResult r = op(saturating, Op::inc, 5); // passes UINT_MAX: saturates
    BOOST_TEST(r.error == ErrorKind::saturated);
    BOOST_TEST(saturating.mem[0] == -1);
}

BOOST_AUTO_TEST_CASE(an_unrecorded_change_makes_the_count_uncertain_until_the_life_ends)
{
    Counter c;
    op(c, Op::set, 1);
    op(c, Op::inc);
    const uint64_t before = registry_unrecorded_ops();
    apply_unrecorded(c.r(), Op::dec, 1); // a signal handler inside the runtime: 2 -> 1 unseen
    BOOST_TEST(registry_unrecorded_ops() == before + 1);
    BOOST_TEST(c.mem[0] == 1);
    ObjectSnapshot s = snapshot_of(c);
    BOOST_TEST(s.count_unknown);
    BOOST_TEST(s.count == 2u); // what the record saw last
    BOOST_TEST(leaked_references(s, Storage::heap, s.pid) == 0u); // never reported as a leak
    op(c, Op::dec); // the release is recorded, and the next life starts clean
    op(c, Op::set, 1);
    s = snapshot_of(c);
    BOOST_TEST(!s.count_unknown);
    BOOST_TEST(leaked_references(s, Storage::heap, s.pid) == 1u);
}

BOOST_AUTO_TEST_CASE(errors_are_classified)
{
    Counter released, zero, live, sat, under;
    op(released, Op::set, 1);
    op(released, Op::dec);
    BOOST_TEST(op(released, Op::inc).error == ErrorKind::use_after_release);
    BOOST_TEST(op(released, Op::inc_not_zero).error == ErrorKind::none); // normal use
    BOOST_TEST(op(released, Op::dec).error == ErrorKind::use_after_release);

    op(zero, Op::set, 0);
    const OpResult r = op(zero, Op::inc);
    BOOST_TEST(r.error == ErrorKind::increment_on_zero);
    BOOST_TEST(r.bits == 0); // inc_not_zero's false: the header WARNs on it

    op(live, Op::set, 1);
    op(live, Op::inc);
    BOOST_TEST(op(live, Op::set, 1).error == ErrorKind::reinit_while_live);
    BOOST_TEST(op(live, Op::set, 1).error == ErrorKind::none); // count 1: fine

    Counter torn; // perf_mmap__munmap(): set to 0 while others hold references
    op(torn, Op::set, 2);
    op(torn, Op::inc);
    BOOST_TEST(op(torn, Op::set, 0).error == ErrorKind::none);
    BOOST_TEST(int(snapshot_of(torn).state) == int(State::released));
    BOOST_TEST(op(torn, Op::dec).error == ErrorKind::use_after_release); // a holder's late put

    op(sat, Op::set, UINT_MAX - 1);
    const OpResult s = op(sat, Op::inc);
    BOOST_TEST(s.error == ErrorKind::saturated);
    BOOST_TEST(s.bits == 3); // true, and REFDEBUG_WARN
    BOOST_TEST(op(sat, Op::inc).error == ErrorKind::none); // stuck, reported once

    op(under, Op::set, 2);
    const OpResult u = op(under, Op::sub, 3);
    BOOST_TEST(u.error == ErrorKind::underflow);
    BOOST_TEST(u.bits == 2); // false, and REFDEBUG_WARN
    BOOST_TEST(under.mem[0] == 2);
}

BOOST_AUTO_TEST_CASE(first_sight_mid_life_is_adoption)
{
    Counter c;
    c.mem[0] = 3; // REFCOUNT_INIT(3), never set
    op(c, Op::inc);
    const ObjectSnapshot s = snapshot_of(c);
    BOOST_TEST(int(s.state) == int(State::adopted));
    BOOST_TEST(s.baseline == 3u);
    BOOST_TEST(s.count == 4u);
}

BOOST_AUTO_TEST_CASE(history_keeps_the_last_events_in_order)
{
    Counter c;
    op(c, Op::set, 1);
    for (int i = 0; i < 10; ++i) {
        op(c, Op::inc);
        op(c, Op::dec);
    }
    const ObjectSnapshot s = snapshot_of(c);
    BOOST_TEST(s.events == 21u);
    BOOST_TEST_REQUIRE(s.history.size() == 16u);
    for (size_t i = 0; i < 16; ++i)
        BOOST_TEST(s.history[i].seq == 5 + i);
    BOOST_TEST(s.history.back().old_count == 2u);
    BOOST_TEST(s.history.back().new_count == 1u);
    // Per-site counts: one set (+1), ten incs (+10), ten decs (-10).
    int64_t net = 0;
    for (const SiteCount &sc : s.sites)
        net += sc.net;
    BOOST_TEST(net == 1);
    BOOST_TEST(s.sites.size() == 3u);
}

BOOST_AUTO_TEST_CASE(freeing_ends_lives_and_catches_shared_objects)
{
    Counter shared, sole;
    op(shared, Op::set, 1);
    op(shared, Op::inc);
    op(sole, Op::set, 1);
    const uint32_t life = snapshot_of(sole).life; // the address may have had earlier lives
    static int errors;
    errors = 0;
    auto on_error = [](ErrorKind e, const ObjectSnapshot &, SiteId) {
        errors += e == ErrorKind::freed_while_referenced;
    };
    BOOST_TEST(registry_has_objects_in(shared.address(), shared.address() + 16));
    registry_free_range(shared.address(), shared.address() + 16, site(Op::free, 0x9000), 1, on_error);
    registry_free_range(sole.address(), sole.address() + 16, site(Op::free, 0x9001), 1, on_error);
    BOOST_TEST(errors == 1);
    BOOST_TEST(int(snapshot_of(shared).state) == int(State::freed));
    BOOST_TEST(int(snapshot_of(sole).state) == int(State::freed));
    BOOST_TEST(!registry_has_objects_in(sole.address(), sole.address() + 16));
    // Reused memory starts a new life, not an error.
    BOOST_TEST(op(sole, Op::set, 1).error == ErrorKind::none);
    BOOST_TEST(snapshot_of(sole).life == life + 1);
}

// A block freed still pointing at a live object is noted on the object, by
// freeing stack, apart from its operations; once its counter offset is known.
BOOST_AUTO_TEST_CASE(a_freed_block_pointing_at_a_live_object_is_noted_on_it)
{
    struct Thing {
        long payload[3];
        int ref; // the counter 24 bytes into its block
    };
    auto *learned = new Thing(), *held = new Thing(), *released = new Thing();
    const auto counter = [](Thing *t) { return &t->ref; };
    const auto start = [](Thing *t) { return reinterpret_cast<uintptr_t>(t); };
    registry_op(counter(learned), Op::set, 1, site(Op::set, 0x9300), 1, false, nullptr);
    registry_op(counter(held), Op::set, 1, site(Op::set, 0x9300), 1, false, nullptr);
    registry_op(counter(released), Op::set, 1, site(Op::set, 0x9300), 1, false, nullptr);
    registry_op(counter(released), Op::dec, 1, site(Op::dec, 0x9301), 1, false, nullptr);
    // Freeing a block with a counter inside teaches the offset.
    registry_free_range(start(learned), start(learned) + sizeof(Thing), site(Op::free, 0x9302), 1, nullptr);
    struct Holder {
        long id;
        Thing *member;
        Thing *stale;
    } holder{7, held, released};
    static SiteId freed_at;
    freed_at = site(Op::holder_freed, 0x9303);
    static int asked;
    asked = 0;
    auto make_site = [](void *) {
        ++asked;
        return freed_at;
    };
    const uintptr_t h = reinterpret_cast<uintptr_t>(&holder);
    registry_scan_freed_holder(h, h + sizeof holder, 1, make_site, nullptr);
    registry_scan_freed_holder(h, h + sizeof holder, 1, make_site, nullptr);
    const ObjectSnapshot o = snapshot_of_address(reinterpret_cast<uintptr_t>(counter(held)));
    BOOST_TEST_REQUIRE(o.holders_freed.size() == 1u);
    BOOST_TEST(o.holders_freed[0].site.value == freed_at.value);
    BOOST_TEST(o.holders_freed[0].events == 2u);
    BOOST_TEST(o.holders_freed[0].net == 0);
    BOOST_TEST(o.sites.size() == 1u); // its operations: the set alone
    BOOST_TEST(o.count == 1u);
    // A released object is not noted, and each scan takes the stack once.
    BOOST_TEST(snapshot_of_address(reinterpret_cast<uintptr_t>(counter(released))).holders_freed.empty());
    BOOST_TEST(asked == 2);
    // A block pointing at nothing live takes no stack.
    holder.member = nullptr;
    registry_scan_freed_holder(h, h + sizeof holder, 1, make_site, nullptr);
    BOOST_TEST(asked == 2);
}

// Two ways a word could land on a counter that is not its block's: a
// pointer into the freed block itself (a list head pointing at itself),
// and, for an object whose block start is known, a pointer plus another
// type's offset.
BOOST_AUTO_TEST_CASE(a_freed_block_reaches_objects_only_from_their_starts)
{
    struct Thing {
        long payload[5];
        int ref; // 40 bytes in
    };
    struct Layout {
        uintptr_t self; // the freed block: [this, this + 8)
        long gap;
        Thing thing;    // its counter 56 bytes after the block's start
    };
    auto *layout = new Layout();
    auto *thing = new Thing();
    const uintptr_t block = reinterpret_cast<uintptr_t>(layout);
    layout->self = block;
    registry_op(&layout->thing.ref, Op::set, 1, site(Op::set, 0x9400), 1, false, nullptr);
    registry_op(&thing->ref, Op::set, 1, site(Op::set, 0x9400), 1, false, nullptr);
    registry_learn_offset(56); // as if a type had its counter there
    registry_learn_offset(48);
    static int asked;
    asked = 0;
    auto make_site = [](void *) {
        ++asked;
        return site(Op::holder_freed, 0x9401);
    };
    BOOST_TEST(!registry_scan_freed_holder(block, block + sizeof(uintptr_t), 1, make_site, nullptr));
    BOOST_TEST(asked == 0);
    // thing's block starts 40 bytes before its counter: reached from there only.
    registry_note_block_start(&thing->ref, 40);
    uintptr_t holder[2] = {reinterpret_cast<uintptr_t>(&thing->ref) - 48, 0};
    const uintptr_t h = reinterpret_cast<uintptr_t>(holder);
    BOOST_TEST(!registry_scan_freed_holder(h, h + sizeof holder, 1, make_site, nullptr));
    holder[1] = reinterpret_cast<uintptr_t>(thing);
    BOOST_TEST(registry_scan_freed_holder(h, h + sizeof holder, 1, make_site, nullptr));
    BOOST_TEST(asked == 1);
    const ObjectSnapshot o = snapshot_of_address(reinterpret_cast<uintptr_t>(&thing->ref));
    BOOST_TEST_REQUIRE(o.holders_freed.size() == 1u);
    BOOST_TEST(o.holders_freed[0].events == 1u);
}

// A word tried against the learned offsets in turn: a dead object at the
// first (a freed struct of another type whose memory this one reuses)
// does not hide the live one at the next (ThreadSanitizer's allocator
// reuses memory so).
BOOST_AUTO_TEST_CASE(a_dead_object_at_one_offset_does_not_hide_a_live_one_at_another)
{
    struct Reused {
        char header[200];
        int dead; // 200 bytes in: an earlier type's counter, released
        int pad;
        int live; // 208 bytes in: this type's
    };
    auto *block = new Reused();
    registry_learn_offset(200); // the dead one's offset first
    registry_learn_offset(208);
    registry_op(&block->dead, Op::set, 1, site(Op::set, 0x9500), 1, false, nullptr);
    registry_op(&block->dead, Op::dec, 1, site(Op::dec, 0x9501), 1, false, nullptr);
    registry_op(&block->live, Op::set, 1, site(Op::set, 0x9500), 1, false, nullptr);
    auto make_site = [](void *) { return site(Op::holder_freed, 0x9502); };
    uintptr_t holder[1] = {reinterpret_cast<uintptr_t>(block)};
    const uintptr_t h = reinterpret_cast<uintptr_t>(holder);
    BOOST_TEST(registry_scan_freed_holder(h, h + sizeof holder, 1, make_site, nullptr));
    const ObjectSnapshot o = snapshot_of_address(reinterpret_cast<uintptr_t>(&block->live));
    BOOST_TEST_REQUIRE(o.holders_freed.size() == 1u);
    BOOST_TEST(o.holders_freed[0].events == 1u);
}

// perf annotate hit this: an increment on a map whose memory had been
// freed. Until the memory is allocated again, whatever it reads (0 here,
// the allocator's own words often), the object is gone: a use after
// release, naming where its life ended. Allocated again, an operation there
// is a new life's (adopted), judged on its own.
BOOST_AUTO_TEST_CASE(an_error_after_a_free_names_where_the_last_life_ended)
{
    Counter c;
    op(c, Op::set, 1);
    registry_free_range(c.address(), c.address() + 16, site(Op::free, 0x9100), 1, nullptr);
    for (const uint32_t reads : {0u, 0x5a5a5a5au}) {
        c.mem[0] = reads;
        ObjectSnapshot snap;
        const OpResult r = registry_op(c.r(), Op::inc, 1, site(Op::inc, 0x9200), 1, false, &snap);
        BOOST_TEST(r.error == ErrorKind::use_after_release);
        const std::string path = "/tmp/refdebug-registry-test-" + std::to_string(getpid());
        {
            Writer out(path);
            print_error(out, r.error, snap, site(Op::inc, 0x9200), 1);
        }
        std::ifstream in(path);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::remove(path.c_str());
        BOOST_TEST(text.find("ERROR: use-after-release") != std::string::npos, text);
        BOOST_TEST(text.find("refdebug:   freed by:\nrefdebug:     #0 0x9100") != std::string::npos, text);
    }
    registry_reuse_range(c.address(), c.address() + 16, 1);
    c.mem[0] = 0;
    BOOST_TEST(registry_op(c.r(), Op::inc, 1, site(Op::inc, 0x9300), 1, false, nullptr).error ==
               ErrorKind::increment_on_zero);
    c.mem[0] = 1;
    registry_reuse_range(c.address(), c.address() + 16, 1); // a live life is not touched
    BOOST_TEST(registry_op(c.r(), Op::inc, 1, site(Op::inc, 0x9400), 1, false, nullptr).error == ErrorKind::none);
}

BOOST_AUTO_TEST_SUITE_END()
