// SPDX-License-Identifier: MIT
// Cascades and holders: which leak groups are released by another's
// release, and which destructor let go of its holders without their
// references.
#include "report.h"

#include "depot.h"
#include "stack.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace refdebug {
namespace {

// Functions that perform the final put of objects born at birth (frame 0 of
// their release sites), and the callers around their own final put (frames
// 1 and up): what a cascade is recognised by.
void release_functions(SiteId birth, std::set<std::string> *performers, std::set<std::string> *callers)
{
    const Site *b = depot_get(birth);
    for (size_t i = 0; b && i < 4; ++i) {
        const std::vector<Frame> &r = stack_of(SiteId{b->releases[i].load(std::memory_order_relaxed)});
        for (size_t f = 0; f < r.size(); ++f)
            (f == 0 ? performers : callers)->insert(r[f].sym->function);
    }
}

// Per object kind, release_functions() over every birth site of the kind
// whose objects were released: what the kind's release looks like.
using KindReleases = std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>>;
KindReleases releases_by_kind()
{
    KindReleases by_kind;
    for (uint32_t id = 1; id <= depot_count(); ++id) {
        const Site *s = depot_get(SiteId{id});
        if (s && s->releases[0].load(std::memory_order_relaxed)) {
            auto &k = by_kind[infer_kind(SiteId{id})];
            release_functions(SiteId{id}, &k.first, &k.second);
        }
    }
    return by_kind;
}

// Where a holder kind's objects let go of what they held: the innermost
// function of the holder's kind on the stacks of puts made inside the
// holder's own final put (thread__put -> thread__delete -> nsinfo__put:
// thread__delete), the most common one; no site when none is seen.
Suspect holder_release(const std::string &holder, KindReleases &by_kind)
{
    const std::set<std::string> &performers = by_kind[holder].first; // of the holder's final puts
    std::map<std::string, std::pair<uint64_t, Suspect>> seen; // function -> (events, where)
    for (uint32_t id = 1; !performers.empty() && id <= depot_count(); ++id) {
        const Site *s = depot_get(SiteId{id});
        if (!s || !is_decrement(s->op))
            continue;
        const std::vector<Frame> &frames = stack_of(SiteId{id});
        size_t inside = 0; // the innermost frame of the holder's kind, inside its final put
        for (size_t f = 1; f < frames.size(); ++f) {
            if (performers.count(frames[f].sym->function)) {
                if (inside) {
                    auto &w = seen[frames[inside].sym->function];
                    w.first += s->ended_events.load(std::memory_order_relaxed) + 1;
                    if (!w.second.site) {
                        w.second.function = frames[inside].sym->function;
                        w.second.site = SiteId{id};
                        w.second.frame = inside;
                    }
                }
                break;
            }
            if (!inside && kind_of_function(frames[f].sym->function) == holder)
                inside = f;
        }
    }
    Suspect best;
    uint64_t most = 0;
    for (const auto &w : seen)
        if (w.second.first > most) {
            most = w.second.first;
            best = w.second.second;
        }
    return best;
}

} // namespace

// A root group whose references were taken by another kind's method (a
// box__new keeping its item), while objects of that kind were released
// and none leaked: the references were the holders', and the holders'
// release is where they should have been dropped. Its destructor leads,
// found where it dropped what else it held; the get, what every holder
// does, follows. A put deleted from a destructor leaves no trace on the
// leaked objects themselves.
void name_holder_releases(std::vector<LeakGroup> &groups)
{
    std::set<std::string> leaked_kinds;
    for (const LeakGroup &g : groups)
        leaked_kinds.insert(g.kind);
    KindReleases by_kind;
    if (!groups.empty())
        by_kind = releases_by_kind();
    for (LeakGroup &g : groups) {
        if (g.cascade_of >= 0 || g.suspects.empty() || g.suspects[0].reason != Reason::unmatched)
            continue;
        const std::string holder = kind_of_function(g.suspects[0].function);
        if (holder.empty() || holder == g.kind || leaked_kinds.count(holder))
            continue;
        Suspect release = holder_release(holder, by_kind);
        if (!release.site)
            continue;
        release.reason = Reason::holder_release;
        release.net = static_cast<int64_t>(g.references);
        release.unmatched = g.suspects[0].unmatched;
        release.explains = g.suspects[0].explains;
        g.suspects.insert(g.suspects.begin(), release);
    }
}

void mark_cascades(std::vector<LeakGroup> &groups)
{
    // Group g is a cascade of group h when g's objects are normally released
    // inside the function that releases h's objects (h's final put calls,
    // through its destructor, g's). Then reorder: each root (most references
    // first) followed by its cascades, depth first.
    const size_t n = groups.size();
    std::vector<std::set<std::string>> performers(n), callers(n);
    for (size_t i = 0; i < n; ++i)
        release_functions(groups[i].birth, &performers[i], &callers[i]);
    // A birth site none of whose objects was released yet: learn from the
    // other birth sites of its kind.
    KindReleases by_kind;
    if (n)
        by_kind = releases_by_kind();
    for (size_t i = 0; i < n; ++i) {
        if (performers[i].empty() && groups[i].kind != "-") {
            performers[i] = by_kind[groups[i].kind].first;
            callers[i] = by_kind[groups[i].kind].second;
        }
        // None of the kind was released: where the leaked objects' own
        // references were dropped says it (a dso's inside map__put(), as
        // each map that held it was released).
        if (performers[i].empty())
            for (const ObjectSnapshot &o : groups[i].objects)
                for (const SiteCount &c : o.sites) {
                    if (!is_decrement(depot_op(c.site)))
                        continue;
                    const std::vector<Frame> &r = stack_of(c.site);
                    for (size_t f = 0; f < r.size(); ++f)
                        (f == 0 ? performers[i] : callers[i]).insert(r[f].sym->function);
                }
    }
    std::vector<int> parent(n, -1);
    for (size_t g = 0; g < n; ++g) {
        for (size_t h = 0; h < n && parent[g] < 0; ++h) {
            if (h == g || groups[h].kind == groups[g].kind)
                continue;
            for (const std::string &f : performers[h])
                if (callers[g].count(f) && !performers[g].count(f))
                    parent[g] = static_cast<int>(h);
        }
    }
    // No release seen that says so (often: every object of the kinds
    // leaked): an object created by another leaked kind's method (a
    // thread's maps born in thread__init_maps), or whose unmatched
    // references such a method took in every object (maps__insert_sorted
    // keeping a map), is that kind's to release.
    const auto adopt = [&](size_t g, const std::string &function) {
        const std::string holder = kind_of_function(function);
        for (size_t h = 0; h < n && parent[g] < 0 && !holder.empty() && holder != groups[g].kind; ++h)
            if (h != g && groups[h].kind == holder)
                parent[g] = static_cast<int>(h);
    };
    for (size_t g = 0; g < n; ++g) {
        const std::vector<Frame> &b = stack_of(groups[g].birth);
        for (size_t f = 1; parent[g] < 0 && f < b.size(); ++f)
            adopt(g, b[f].sym->function);
    }
    for (size_t g = 0; g < n; ++g) {
        const std::vector<Suspect> &s = groups[g].suspects;
        if (parent[g] < 0 && !s.empty() && s[0].reason == Reason::unmatched &&
            s[0].unmatched == groups[g].objects.size() && depot_op(s[0].site) != Op::set)
            adopt(g, s[0].function);
    }
    // One kind holding itself (a child node's reference to its parent): a
    // root whose objects each kept references taken inside the constructor
    // call that made another group's objects (node__new() getting the
    // parent for the child it makes) is held by them. Release paths cannot
    // say so: the kind's release calls its own.
    const auto made_with = [&](SiteId get, SiteId birth) {
        const std::vector<Frame> &s = stack_of(get), &b = stack_of(birth);
        for (size_t i = 1; i < s.size() && !b.empty(); ++i) {
            if (s[i].sym->function != b[0].sym->function)
                continue;
            size_t k = 1;
            while (i + k < s.size() && k < b.size() && s[i + k].pc == b[k].pc)
                ++k;
            return k == b.size() || i + k == s.size();
        }
        return false;
    };
    const auto held_by = [&](const LeakGroup &g, const LeakGroup &h) {
        for (const ObjectSnapshot &o : g.objects) {
            bool kept = false;
            for (const SiteCount &c : o.sites)
                kept = kept || (c.net > 0 && depot_op(c.site) != Op::set && made_with(c.site, h.birth));
            if (!kept)
                return false;
        }
        return true;
    };
    for (size_t g = 0; g < n; ++g)
        for (size_t h = 0; h < n && parent[g] < 0; ++h)
            if (h != g && groups[h].kind == groups[g].kind && held_by(groups[g], groups[h]))
                parent[g] = static_cast<int>(h);
    for (size_t g = 0; g < n; ++g) { // break cycles: a group cannot descend from itself
        int h = parent[g];
        for (size_t steps = 0; h >= 0 && steps <= n; ++steps)
            h = static_cast<size_t>(h) == g ? (parent[g] = -1, -1) : parent[h];
    }
    std::vector<LeakGroup> ordered;
    std::vector<int> new_index(n, -1);
    std::function<void(size_t)> place = [&](size_t g) {
        new_index[g] = static_cast<int>(ordered.size());
        ordered.push_back(std::move(groups[g]));
        for (size_t c = 0; c < n; ++c)
            if (parent[c] == static_cast<int>(g) && new_index[c] < 0)
                place(c);
    };
    for (size_t g = 0; g < n; ++g)
        if (parent[g] < 0)
            place(g);
    for (size_t g = 0; g < n; ++g)
        if (new_index[g] < 0)
            place(g);
    for (size_t g = 0; g < n; ++g)
        ordered[new_index[g]].cascade_of = parent[g] < 0 ? -1 : new_index[parent[g]];
    groups = std::move(ordered);
}

// In a cascade, the reference its leaked holder keeps is what every
// object still holds: where that is the birth (a clone inserted into a
// leaked table), unmatched in each object and fitting what each holds,
// a get ranked before it by the ranking's tiers that is unmatched in
// fewer and fits fewer (a reference a few objects took beyond what they
// still hold) says less. The birth leads then. The reclaimed objects
// also held their births until their holders let go; being normal there
// is what a cascade's reference is.
void lead_cascades_with_births(std::vector<LeakGroup> &groups)
{
    for (LeakGroup &g : groups) {
        if (g.cascade_of < 0 || g.suspects.size() < 2 || g.suspects.front().reason != Reason::unmatched)
            continue;
        const auto birth = std::find_if(g.suspects.begin(), g.suspects.end(), [&](const Suspect &s) {
            return s.reason == Reason::unmatched && depot_op(s.site) == Op::set;
        });
        const size_t n = g.objects.size();
        if (birth == g.suspects.end() || birth == g.suspects.begin() || birth->unmatched < n || birth->fits < n)
            continue;
        bool weaker = true; // every suspect before it is unmatched in fewer objects and fits fewer
        for (auto s = g.suspects.begin(); s != birth; ++s)
            weaker = weaker && s->unmatched < n && s->fits < n;
        if (weaker)
            std::rotate(g.suspects.begin(), birth, birth + 1);
    }
}

} // namespace refdebug
