// SPDX-License-Identifier: MIT
// Ownership along call paths: which function kept the references a leaked
// object still holds, judged by inclusive balances (everything beneath a
// function, for that object) and, where the run reclaimed objects of the
// kind, by what each function normally does. The report ranks these owners
// with its per-function balances (report.cpp).
#pragma once

#include "registry.h"
#include "report.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace refdebug {

// Each function's net over one life, counting every operation beneath it:
// a helper whose net is zero (the thread table's last-match cache, called
// from many places, dropping under one caller what it took under another)
// released what it took, and none of it is its callers' business.
class LifeBalances {
  public:
    explicit LifeBalances(const ObjectSnapshot &o);
    // Whether the site's operation went through such a helper, in one of
    // its frames below `below`.
    bool through_balanced_helper(SiteId id, size_t below) const;

  private:
    std::map<std::string, int64_t> net_;
};

// One function that kept references of one object.
struct Owner {
    int64_t net = 0;      // references it kept
    SiteId site;          // the operation it kept most through (a get; a put for one that dropped too few)
    size_t frame = 0;     // its frame in that site's stack
};

// What reclaimed lives of one kind did, for comparison.
struct Reclaimed {
    uint64_t lives = 0; // ended lives of the kind (born at refcount_set)
    struct Row {
        SiteId site;
        int64_t net;     // references it added in ended lives
        uint64_t gets;   // its operations, when it takes references (set, inc, inc_not_zero)
        uint64_t lives;  // ended lives it operated on
        uint64_t events; // its operations in them
    };
    std::vector<Row> sites; // the kind's sites seen in ended lives
    // The functions performing those sites' operations, and the kind's API
    // around them: no partner of their own (call_path_owners()).
    std::set<std::string> api;
};

// Every site of the kind that ended lives went through: those of
// group_sites (a leak group's) and those named for the kind.
Reclaimed reclaimed_of(const std::string &kind, const std::set<uint32_t> &group_sites);
// The same for a leak group: the sites its leaked objects went through.
Reclaimed reclaimed_of(const LeakGroup &g);

// Ended lives that went through site's call path: a site of the same
// operation whose stack names the same functions from the operation out to
// frame. Raw stacks split one path (a different caller further out, a
// different inlined copy); the path is what the code did.
uint64_t reclaimed_on_path(SiteId site, size_t frame, const Reclaimed &reclaimed);

// Which of the gets a put could pair with pairs first: the one that took
// as many as it dropped, then the nearest to where the two meet, then the
// one returned up the shorter way (a reference a function was returned is
// that function's to put; one that stopped sooner was stored on the way
// out, as thread__find_map() fills its caller's addr_location).
using PairOrder = std::tuple<int64_t, size_t, size_t>;
PairOrder pair_order(int64_t dropped, int64_t taken, SiteId get, size_t depth, const std::string &kind);

struct Owners {
    std::map<std::string, Owner> by_function;
    // Functions that did here what they do in reclaimed objects: normal
    // behaviour, whatever their own imbalance.
    std::set<std::string> normal;
    bool compared = false; // reclaimed objects said what is normal
    // Functions that kept more here than reclaimed lives predict, by more
    // than the object still holds: they handed references on, and cannot
    // be the one that kept it.
    std::set<std::string> handed_on;
    // Sites of helpers that balance themselves (a cache's swaps): no
    // function's to keep.
    std::set<uint32_t> balanced_sites;
    // A container's reference: its birth and its purge (none, or two sites).
    std::set<uint32_t> container_sites;
};

// The owners of one life of `kind` that still holds `left` references.
Owners call_path_owners(const ObjectSnapshot &o, const std::string &kind, uint64_t left, const Wrappers &wrappers,
                        const Reclaimed &reclaimed);

} // namespace refdebug
