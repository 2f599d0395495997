// SPDX-License-Identifier: MIT
// Refilled slots: a holder's member is filled with a reference when the
// holder is made and dropped once when it is released. A function that
// fills it again must drop what was there first; one that does not leaves
// the object it replaced holding the reference the holder's maker took,
// and nothing records the overwrite: a pointer store is no operation. What
// does show is counted: the holder's release dropped as many references
// as the maker took (one per holder), so it dropped, in place of the
// leaked objects, the references another function took on other objects
// of the kind: that function refilled the slot.
#include "report.h"

#include "depot.h"
#include "stack.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace refdebug {
namespace {

// A frame as the code says it: function and call line.
std::string at(const Frame &f) { return f.sym->function + " (" + f.sym->location() + ")"; }

// The frame that decides an operation: the innermost one that is not its
// kind's API (map__zput <- map_symbol__exit: map_symbol__exit).
size_t decider(SiteId site, const std::string &kind)
{
    const std::vector<Frame> &s = stack_of(site);
    const Wrappers api({}, kind);
    size_t f = 0;
    while (f < s.size() && (api.is_api(*s[f].sym, f) || s[f].sym->function == "??"))
        ++f;
    return f;
}

// A release: the deciding frame and the function it was called from (one
// helper, such as map_symbol__exit, serves several holders' releases).
std::string release_key(SiteId site, const std::string &kind)
{
    const std::vector<Frame> &s = stack_of(site);
    const size_t f = decider(site, kind);
    if (f >= s.size())
        return "";
    return at(s[f]) + (f + 1 < s.size() ? " <- " + s[f + 1].sym->function : std::string());
}

// Whether a take site went through the suspect's frame (its function at
// its line).
bool through(SiteId site, const std::string &frame)
{
    for (const Frame &f : stack_of(site))
        if (at(f) == frame)
            return true;
    return false;
}

// A life's kind: its birth's, or where the birth names none (adopted, or
// inlined away), the one most of its operations name.
std::string kind_of_life(const ObjectSnapshot &o)
{
    std::string kind = infer_kind(o.birth);
    if (kind != "-")
        return kind;
    std::map<std::string, uint64_t> votes;
    for (const SiteCount &c : o.sites)
        votes[infer_kind(c.site)] += c.events;
    votes.erase("-");
    for (const auto &v : votes)
        if (kind == "-" || v.second > votes[kind])
            kind = v.first;
    return kind;
}

struct Taker {
    int64_t refs = 0; // references it took that the release dropped beyond the maker's, every life
    uint64_t lives = 0; // lives in which it took exactly that surplus
    SiteId site;      // one of its sites
    size_t frame = 0;
};

struct Release {
    uint64_t drops = 0;      // references it dropped, every life
    uint64_t with_maker = 0; // ended lives in which it dropped all the maker took
    uint64_t surplus_lives = 0; // lives in which it dropped more than the maker took
    std::map<std::string, Taker> takers; // by deciding frame
};

// For one leaked group and its unmatched get (the maker), every release of
// the kind and who took what it dropped beyond the maker's references:
// per life, a taker whose references there are exactly that surplus.
struct Slots {
    std::map<std::string, Release> releases;
    std::map<std::string, uint64_t> took_lives; // taker -> lives in which it took
};

Slots releases_of(const LeakGroup &g, const std::string &maker, const std::string &made_by)
{
    const int pid = registry_pid();
    const Wrappers api({}, g.kind);
    std::set<uintptr_t> leaked;
    for (const ObjectSnapshot &o : g.objects)
        leaked.insert(o.address);
    Slots slots;
    std::map<std::string, Release> &releases = slots.releases;
    registry_for_each([&](const ObjectSnapshot &o) {
        if (o.state == State::none || o.state == State::ignored || o.pid != pid || o.sites.empty())
            return;
        const bool ended = o.state == State::released || o.state == State::freed;
        if ((!ended && leaked.count(o.address)) || kind_of_life(o) != g.kind)
            return;
        int64_t by_maker = 0;
        std::map<std::string, int64_t> dropped;                    // release -> references
        std::map<std::string, std::pair<int64_t, Taker>> taken;    // deciding frame -> net
        std::map<std::string, int64_t> own;                        // function -> net of its own operations
        for (const SiteCount &c : o.sites) {
            const Op op = depot_op(c.site);
            const std::vector<Frame> &s = stack_of(c.site);
            const size_t d = deciding_frame(c.site, api, g.kind);
            if (d >= s.size())
                continue;
            own[s[d].sym->function] += c.net;
            if (takes_reference(op) && through(c.site, maker)) {
                by_maker += c.net;
            } else if (takes_reference(op)) {
                auto &t = taken[at(s[d])];
                t.first += c.net;
                t.second.site = c.site;
                t.second.frame = d;
            } else if (is_decrement(op)) {
                const std::string key = release_key(c.site, g.kind);
                if (!key.empty())
                    dropped[key] -= c.net;
            }
        }
        for (const auto &t : taken)
            if (t.second.first > 0)
                slots.took_lives[t.first] += 1;
        for (const auto &d : dropped) {
            Release &r = releases[d.first];
            if (ended && by_maker > 0 && d.second >= by_maker)
                r.with_maker += 1;
            const int64_t surplus = d.second - by_maker;
            if (surplus <= 0)
                continue;
            r.surplus_lives += 1;
            for (const auto &t : taken) {
                const std::string &function = stack_of(t.second.second.site)[t.second.second.frame].sym->function;
                // One that dropped what it took here balanced itself.
                if (t.second.first != surplus || function == made_by || own[function] <= 0)
                    continue;
                Taker &taker = r.takers[t.first];
                taker.refs += surplus;
                taker.lives += 1;
                taker.site = t.second.second.site;
                taker.frame = t.second.second.frame;
            }
        }
    });
    return slots;
}

// Whether function drops references of kind anywhere (beyond the kind's
// own API): a refiller that drops what it replaces does.
bool drops_any(const std::string &function, const std::string &kind, const std::map<uint32_t, SiteRow> &rows)
{
    for (const auto &r : rows) {
        const SiteId site{r.first};
        if (!is_decrement(depot_op(site)) || infer_kind(site) != kind)
            continue;
        for (const Frame &f : stack_of(site))
            if (f.sym->function == function)
                return true;
    }
    return false;
}

// The function that refilled the slot the maker's reference went to, or
// no site: a release that dropped exactly as many references as the maker
// took (every holder released once; one that also dropped its refills'
// dropped more), that in ended lives dropped the maker's, and in every
// life where it dropped more than the maker took there, dropped exactly
// what one taker took there: a taker off the maker's call path that never
// drops the kind itself.
Suspect refiller(const LeakGroup &g, const Suspect &maker, const std::map<uint32_t, SiteRow> &rows)
{
    const std::string frame = at(stack_of(maker.site)[maker.frame]);
    const std::string function = stack_of(maker.site)[maker.frame].sym->function;
    uint64_t made = 0; // references the maker took, every life
    for (const auto &r : rows)
        if (takes_reference(depot_op(SiteId{r.first})) && through(SiteId{r.first}, frame))
            made += r.second.events;
    Slots slots = releases_of(g, frame, function);
    std::map<std::string, Release> &releases = slots.releases;
    for (const auto &r : rows)
        if (is_decrement(depot_op(SiteId{r.first}))) {
            auto it = releases.find(release_key(SiteId{r.first}, g.kind));
            if (it != releases.end())
                it->second.drops += r.second.events;
        }
    for (const auto &r : releases) {
        const Release &release = r.second;
        if (!release.with_maker || release.drops != made || !release.surplus_lives)
            continue;
        const Taker *only = nullptr;
        size_t covering = 0;
        for (const auto &t : release.takers)
            if (t.second.lives == release.surplus_lives && t.second.lives * 2 > slots.took_lives[t.first]) {
                only = &t.second;
                ++covering;
            }
        if (covering != 1)
            continue;
        const std::string &taker = stack_of(only->site)[only->frame].sym->function;
        // One beneath the maker (or the maker beneath it) fills the same
        // slot on its behalf.
        if (drops_any(taker, g.kind, rows) || depth_of(maker.site, taker) < maker.frame ||
            depth_of(only->site, function) < only->frame)
            continue;
        Suspect s;
        s.function = taker;
        s.site = only->site;
        s.frame = only->frame;
        return s;
    }
    return Suspect{};
}

} // namespace

// A group whose leading unmatched gets include one a refiller replaced:
// the refiller leads, the maker's evidence with it.
void name_slot_refills(std::vector<LeakGroup> &groups, const std::map<uint32_t, SiteRow> &rows)
{
    constexpr size_t kMakers = 3; // the leading suspects asked
    for (LeakGroup &g : groups) {
        // Another rule's answer stands: theirs is evidence of a release.
        if (g.suspects.empty() || g.suspects[0].reason != Reason::unmatched || g.kind == "-")
            continue;
        for (size_t k = 0; k < g.suspects.size() && k < kMakers; ++k) {
            const Suspect &maker = g.suspects[k];
            if (maker.reason != Reason::unmatched || !takes_reference(depot_op(maker.site)))
                continue;
            Suspect s = refiller(g, maker, rows);
            if (!s.site)
                continue;
            s.reason = Reason::slot_refill;
            s.net = maker.net;
            s.unmatched = maker.unmatched;
            s.explains = maker.explains;
            g.suspects.insert(g.suspects.begin(), s);
            break;
        }
    }
}

} // namespace refdebug
