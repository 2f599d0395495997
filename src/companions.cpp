// SPDX-License-Identifier: MIT
// Companions: references taken together are released together. A lookup
// that fills a plain struct (perf's machine__resolve() filling an
// addr_location with a thread, its maps and a map) hands its caller several
// references at once, and one function called beside it
// (addr_location__exit()) drops them all. When that function drops the
// others but not the leaked group's, it is the one that lost its put. Its
// own put is gone, so it appears on no stack of the leaked objects: only on
// those of the companions it still drops.
#include "report.h"

#include "depot.h"
#include "stack.h"

#include <memory>
#include <unordered_map>

namespace refdebug {
namespace {

// Every site's stack as function ids, innermost first, and per function
// where it appears (site, frame), outside the innermost frame.
struct CallIndex {
    std::vector<std::vector<uint32_t>> functions; // by site id
    std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> at;
    std::unordered_map<uint32_t, size_t> deciders, performers; // site -> frame, memoized

    CallIndex()
    {
        std::unordered_map<std::string, uint32_t> ids;
        functions.resize(depot_count() + 1);
        for (uint32_t id = 1; id <= depot_count(); ++id) {
            const Site *s = depot_get(SiteId{id});
            if (!s || is_memory_event(s->op))
                continue;
            for (const Frame &f : stack_of(SiteId{id}))
                functions[id].push_back(ids.emplace(f.sym->function, ids.size()).first->second);
            for (uint32_t j = 1; j < functions[id].size(); ++j)
                at[functions[id][j]].push_back({id, j});
        }
    }

    // The frame that decides an operation: the innermost one that is not
    // its kind's API (map__zput <- addr_location__exit: addr_location__exit).
    size_t decider(uint32_t site) { return first_frame_not(site, infer_kind(SiteId{site}), deciders); }

    // The innermost frame that is not a get/put wrapper performing the
    // operation: the function that called the operation itself, whatever
    // its name (thread__get <- thread__find_map: thread__find_map).
    size_t performer(uint32_t site) { return first_frame_not(site, "-", performers); }

  private:
    static size_t first_frame_not(uint32_t site, const std::string &kind, std::unordered_map<uint32_t, size_t> &memo)
    {
        auto it = memo.find(site);
        if (it != memo.end())
            return it->second;
        return memo[site] = first_frame_past_api(SiteId{site}, kind);
    }
};

// Fewer references than this say nothing about "as many".
constexpr int64_t kMinHanded = 4;

// The leading suspects whose gets are asked for companions.
constexpr size_t kCompanionSuspects = 3;

// The branch of an operation performed by the function itself.
constexpr uint32_t kSelf = ~0u;

// Whether stacks a (from frame i out) and b (from frame j out) name the same
// functions, as far as both were captured: the same calling context.
bool same_outward(const std::vector<uint32_t> &a, size_t i, const std::vector<uint32_t> &b, size_t j)
{
    for (size_t k = 1; i + k < a.size() && j + k < b.size(); ++k)
        if (a[i + k] != b[j + k])
            return false;
    return true;
}

// Within a fifth either way: as many (one for each).
bool about(int64_t a, int64_t b)
{
    return a > 0 && b > 0 && a * 5 >= b * 4 && a * 4 <= b * 5;
}

// Within a factor of two either way: taken together, though not every time
// (a lookup that finds no map for some addresses still hands their maps).
bool within_two(int64_t a, int64_t b)
{
    return a > 0 && b > 0 && a <= b * 2 && b <= a * 2;
}

// The function that drops what was taken along with the leaked reference
// (get, of kind). Walking out along the get's call path, at each function
// A, what the call C that took it (the function A called, or A itself for
// its own gets) handed A: references taken beneath C less those dropped
// beneath C, per kind, in this calling context. Companions are the other
// kinds C handed within a factor of two as often as the leaked one: taken
// together. A function D that A called beside C, or one beneath it, that
// drops about as many of every companion and at most a fifth as many of
// the leaked kind is where they are dropped together: one that drops more
// of the leaked kind dropped the reference taken with the companions, and
// the one left over was taken apart from them (perf's machine__resolve()
// keeping its own thread beside the addr_location's). A dispatcher calling one handler or
// another is told apart by the companions: each handler hands and drops
// kinds of its own. No site when there is none.
Suspect companion_release(SiteId get, const std::string &kind, CallIndex &x,
                          const std::map<uint32_t, SiteRow> &rows)
{
    const std::vector<uint32_t> &g = x.functions[get.value];
    // Which call of the function at frame j an operation went through: the
    // function it called, or itself when it performed the operation.
    const auto branch_of = [&](uint32_t site, size_t j) {
        return x.performer(site) >= j ? kSelf : x.functions[site][j - 1];
    };
    for (size_t i = 1; i < g.size(); ++i) {
        const uint32_t caller = g[i];
        const uint32_t taker = branch_of(get.value, i);
        if (caller == taker) // recursion says nothing about companions
            continue;
        std::map<std::string, int64_t> handed; // kind -> references taker handed caller
        int64_t taken = 0;                      // references of the leaked kind taken beneath taker
        struct Release {
            std::map<std::string, int64_t> dropped; // kind -> references, net of those it took
            uint64_t most = 0;
            Suspect where;
        };
        // (the function A called, the releasing function under it) -> what it dropped
        std::map<std::pair<uint32_t, uint32_t>, Release> releases;
        std::map<uint32_t, int64_t> excess; // branch -> leaked kind it dropped less what it took
        for (const auto &place : x.at[caller]) {
            const uint32_t site = place.first;
            const size_t j = place.second;
            const std::vector<uint32_t> &s = x.functions[site];
            if (!same_outward(g, i, s, j))
                continue;
            const auto row = rows.find(site);
            const auto events = static_cast<int64_t>(row == rows.end() ? 0 : row->second.events);
            const Op op = depot_op(SiteId{site});
            const uint32_t branch = branch_of(site, j);
            if (branch != taker && infer_kind(SiteId{site}) == kind)
                excess[branch] += is_decrement(op) ? events : takes_reference(op) ? -events : 0;
            if (branch == taker) {
                const std::string k = infer_kind(SiteId{site});
                handed[k] += takes_reference(op) ? events : is_decrement(op) ? -events : 0;
                taken += k == kind && takes_reference(op) ? events : 0;
            } else if (takes_reference(op) && branch != kSelf) {
                // What a releasing function takes back is not a release:
                // one that swaps an entry's map drops as many as it takes.
                const size_t r = x.decider(site);
                releases[{branch, s[r]}].dropped[infer_kind(SiteId{site})] -= events;
            } else if (is_decrement(op) && branch != kSelf) { // A's own drops: the owner rules say those
                const size_t r = x.decider(site);
                Release &rel = releases[{branch, s[r]}];
                rel.dropped[infer_kind(SiteId{site})] += events;
                if (static_cast<uint64_t>(events) > rel.most) {
                    rel.most = static_cast<uint64_t>(events);
                    rel.where.site = SiteId{site};
                    rel.where.frame = r;
                    rel.where.function = stack_of(SiteId{site})[r].sym->function;
                }
            }
        }
        const int64_t leaked = handed[kind];
        std::vector<std::string> companions;
        for (const auto &h : handed)
            if (h.first != kind && h.first != "-" && within_two(h.second, leaked))
                companions.push_back(h.first);
        // C hands A most of what it takes (a function that drops most of
        // what it takes beneath it balances itself, whatever is left over),
        // enough to compare counts at all, and nothing else beneath A drops
        // the leaked kind on net (A's own get dropped in a callee is its own
        // business): the references leaked here.
        int64_t dropped_elsewhere = 0;
        for (const auto &e : excess)
            dropped_elsewhere += e.second;
        if (leaked < kMinHanded || leaked * 2 < taken || dropped_elsewhere * 2 >= leaked || companions.empty())
            continue;
        Suspect best;
        int64_t best_dropped = 0;
        for (auto &rel : releases) {
            bool together = rel.second.dropped[kind] * 5 <= leaked;
            int64_t dropped = 0;
            for (const std::string &c : companions) {
                together = together && about(rel.second.dropped[c], handed[c]);
                dropped += rel.second.dropped[c];
            }
            if (together && dropped > best_dropped) {
                best_dropped = dropped;
                best = rel.second.where;
            }
        }
        if (best.site)
            return best;
    }
    return Suspect{};
}

} // namespace

// A group whose suspect #1 holds an unmatched get: if references of other
// kinds were taken with it and are dropped by a function called beside the
// one that took them, that function leads. Cascades too: a group released
// by another's release may also have lost a put of its own.
void name_companion_releases(std::vector<LeakGroup> &groups, const std::map<uint32_t, SiteRow> &rows)
{
    std::unique_ptr<CallIndex> index; // built only when a group asks
    for (LeakGroup &g : groups) {
        if (g.suspects.empty() || g.suspects[0].reason != Reason::unmatched || g.kind == "-")
            continue;
        // Any of the leading unmatched gets may be the one whose companions
        // were dropped without it: ask each, in rank order.
        for (size_t k = 0; k < g.suspects.size() && k < kCompanionSuspects; ++k) {
            const Suspect &get = g.suspects[k];
            if (get.reason != Reason::unmatched || !takes_reference(depot_op(get.site)))
                continue;
            if (!index)
                index = std::make_unique<CallIndex>();
            Suspect release = companion_release(get.site, g.kind, *index, rows);
            if (!release.site)
                continue;
            release.reason = Reason::companion_release;
            release.net = static_cast<int64_t>(g.references);
            release.unmatched = get.unmatched;
            release.explains = get.explains;
            g.suspects.insert(g.suspects.begin(), release);
            break;
        }
    }
}

} // namespace refdebug
