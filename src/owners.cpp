// SPDX-License-Identifier: MIT
#include "owners.h"

#include "depot.h"
#include "stack.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <tuple>
#include <mutex>
#include <unordered_map>

namespace refdebug {
namespace {

// Fewer reclaimed lives than this say too little about what is normal.
constexpr uint64_t kMinReclaimed = 5;

// The function a site's operation is credited to (its distinguishing
// frame's); null for an unknown site.
const std::string *deciding_function(SiteId id, const Wrappers &wrappers)
{
    const std::vector<Frame> &s = stack_of(id);
    return s.empty() ? nullptr : &s[distinguishing_frame(id, wrappers)].sym->function;
}

// A container's reference: the birth pairs with the object's one drop by a
// function that only ever drops it, away from the birth's creator (a
// table's purge at exit). Neither is the business of the functions the
// birth ran under: counted, they would seem to hold one reference more
// than the object has left, and so to have handed it on. The two site ids,
// or none.
std::set<uint32_t> container_reference(const ObjectSnapshot &o, const Wrappers &wrappers,
                                       const std::function<bool(SiteId)> &helper_balanced)
{
    const SiteCount *birth = nullptr;
    std::set<std::string> takers; // every function beneath which a reference was taken
    for (const SiteCount &c : o.sites) {
        if (depot_op(c.site) == Op::set && c.net == 1)
            birth = &c;
        if (takes_reference(depot_op(c.site)))
            takers.insert(functions_on(c.site).begin(), functions_on(c.site).end());
    }
    // A birth its creator dropped itself is no container's.
    const std::string *creator = birth && !helper_balanced(birth->site) ? deciding_function(birth->site, wrappers) : nullptr;
    if (!creator)
        return {};
    const SiteCount *drop = nullptr;
    size_t drops = 0;
    for (const SiteCount &c : o.sites) {
        const std::string *f = deciding_function(c.site, wrappers);
        if (f && c.net == -1 && !takers.count(*f) && !functions_on(c.site).count(*creator) &&
            !helper_balanced(c.site)) {
            drop = &c;
            ++drops;
        }
    }
    if (drops != 1)
        return {};
    return {birth->site.value, drop->site.value};
}

// The functions at a stack's frames below `at` and not again from `at` out.
std::set<std::string> beneath(SiteId id, size_t at)
{
    const std::vector<Frame> &s = stack_of(id);
    std::set<std::string> inner, outer;
    for (size_t i = 0; i < s.size(); ++i)
        (i < at ? inner : outer).insert(s[i].sym->function);
    for (const std::string &f : outer)
        inner.erase(f);
    return inner;
}

} // namespace

LifeBalances::LifeBalances(const ObjectSnapshot &o)
{
    for (const SiteCount &c : o.sites)
        for (const std::string &f : functions_on(c.site))
            net_[f] += c.net;
}

bool LifeBalances::through_balanced_helper(SiteId id, size_t below) const
{
    const std::vector<Frame> &s = stack_of(id);
    for (size_t i = 0; i < s.size() && i < below; ++i) {
        const auto it = net_.find(s[i].sym->function);
        if (it != net_.end() && it->second == 0 && s[i].sym->function != "??")
            return true;
    }
    return false;
}

PairOrder pair_order(int64_t dropped, int64_t taken, SiteId get, size_t depth, const std::string &kind)
{
    return {std::abs(taken - dropped), depth, returned_to(get, kind)};
}

// A drop meets the gets it pairs with at a function within two frames out
// from the one that dropped (load_build_ids() puts what dsos__addnew()
// handed it; thread__find_map() fills its caller's addr_location, and
// addr_location__exit() puts it two calls out). The functions between the
// get and the meeting point handed the reference out, those between it and
// the drop dropped what they were handed: each side's inclusive balances
// move by what paired, in pair_order's order.
void pair_drops(const ObjectSnapshot &o, const Wrappers &wrappers, const std::string &kind,
                const std::function<bool(SiteId)> &balanced, std::map<std::string, int64_t> &inclusive)
{
    std::map<uint32_t, int64_t> unpaired; // get site -> references not yet paired
    for (const SiteCount &c : o.sites)
        if (c.net > 0 && !balanced(c.site))
            unpaired[c.site.value] = c.net;
    for (const SiteCount &d : o.sites) {
        if (d.net >= 0 || balanced(d.site))
            continue;
        int64_t left = -d.net;
        const std::vector<Frame> &s = stack_of(d.site);
        const size_t k = std::max<size_t>(1, distinguishing_frame(d.site, wrappers));
        for (size_t i = 1; i < s.size() && i <= k + 2 && left > 0; ++i) {
            std::vector<std::tuple<PairOrder, size_t, uint32_t>> gets; // order, depth, site
            for (const auto &u : unpaired)
                if (u.second > 0)
                    if (const size_t at = depth_of(SiteId{u.first}, s[i].sym->function); at != SIZE_MAX)
                        gets.emplace_back(pair_order(left, u.second, SiteId{u.first}, at, kind), at, u.first);
            if (gets.empty())
                continue;
            std::stable_sort(gets.begin(), gets.end());
            for (const auto &[order, at, get] : gets) {
                (void)order;
                const int64_t paired = std::min(left, unpaired[get]);
                unpaired[get] -= paired;
                left -= paired;
                for (const std::string &f : beneath(SiteId{get}, at))
                    inclusive[f] -= paired;
                for (const std::string &f : beneath(d.site, i))
                    inclusive[f] += paired;
                if (!left)
                    break;
            }
            break;
        }
    }
}

// What reclaimed lives of one kind did, for comparison: per function, the
// references the sites beneath it added in ended lives, and how many lives
// of the kind ended. A function's inclusive balance in a leaked object less
// its average in reclaimed ones is what it did differently there.
namespace {

// The function performing a site's operation and the kind's API around it.
void note_api(SiteId site, const Wrappers &wrappers, std::set<std::string> &api)
{
    const std::vector<Frame> &s = stack_of(site);
    for (size_t i = 0; i < s.size() && (i == 0 || wrappers.is_api(*s[i].sym, i)); ++i)
        api.insert(s[i].sym->function);
}

} // namespace

Reclaimed reclaimed_of(const std::string &kind, const std::set<uint32_t> &group_sites)
{
    Reclaimed r;
    // The functions that performed the group's operations (obj__get,
    // batch_put): another stack ending in one of them operated on the same
    // kind, even where only reclaimed objects took it. Not a wrapper GCC
    // may have folded another kind's into. One whose name and declaration
    // say no kind (put_task(), dput()) counts when it never gave a birth
    // (main() setting up static objects of two kinds does), and only for
    // sites no other kind's name claims.
    std::set<std::string> performers, nameless, births;
    for (uint32_t id : group_sites) {
        const std::vector<Frame> &s = stack_of(SiteId{id});
        if (s.empty() || may_be_folded(*s.front().sym))
            continue;
        const Symbol &sym = *s.front().sym;
        if (!kind_of_function(sym.function).empty() || !sym.returns.empty())
            performers.insert(sym.function);
        else
            nameless.insert(sym.function);
        if (depot_op(SiteId{id}) == Op::set)
            births.insert(sym.function);
    }
    for (const std::string &f : births)
        nameless.erase(f);
    const auto performed = [&](SiteId id) {
        const std::vector<Frame> &s = stack_of(id);
        if (s.empty())
            return false;
        const std::string &f = s.front().sym->function;
        return performers.count(f) || (nameless.count(f) && infer_kind(id) == "-");
    };
    for (uint32_t id = 1; kind != "-" && id <= depot_count(); ++id) {
        const Site *s = depot_get(SiteId{id});
        if (!s || is_memory_event(s->op) || !s->ended_objects.load(std::memory_order_relaxed))
            continue;
        // The kind's sites: those its leaked objects went through, those
        // whose names say the kind, and those its performers performed.
        if (!group_sites.count(id) && infer_kind(SiteId{id}) != kind && !performed(SiteId{id}))
            continue;
        if (s->op == Op::set)
            r.lives += s->ended_objects.load(std::memory_order_relaxed);
        r.sites.push_back({SiteId{id}, s->ended_net.load(std::memory_order_relaxed),
                           takes_reference(s->op) ? s->ended_events.load(std::memory_order_relaxed) : 0,
                           s->ended_objects.load(std::memory_order_relaxed),
                           s->ended_events.load(std::memory_order_relaxed)});
    }
    const Wrappers api({}, kind);
    for (const auto &row : r.sites)
        note_api(row.site, api, r.api);
    return r;
}

Reclaimed reclaimed_of(const LeakGroup &g)
{
    std::set<uint32_t> group_sites;
    for (const ObjectSnapshot &o : g.objects)
        for (const SiteCount &c : o.sites)
            group_sites.insert(c.site.value);
    return reclaimed_of(g.kind, group_sites);
}

uint64_t reclaimed_on_path(SiteId site, size_t frame, const Reclaimed &reclaimed)
{
    const Site *own = depot_get(site);
    uint64_t most = own ? own->ended_objects.load(std::memory_order_relaxed) : 0;
    const std::vector<Frame> &path = stack_of(site);
    if (frame >= path.size())
        return most;
    for (const auto &r : reclaimed.sites) {
        const std::vector<Frame> &s = stack_of(r.site);
        if (r.lives <= most || s.size() <= frame || depot_op(r.site) != depot_op(site))
            continue;
        size_t i = 0;
        while (i <= frame && s[i].sym->function == path[i].sym->function)
            ++i;
        if (i > frame)
            most = r.lives;
    }
    return most;
}

// Call-path owners, for one life that still holds `left` references: who
// kept them. A function's inclusive balance is the net of every site whose
// stack passes through it. Walking out from an unmatched reference's get,
// functions further in handed it on (a lookup, a cache, findnew: their
// balance here is far above what the object holds, because callers
// elsewhere drop what they hand out); the first function whose balance is
// positive but no more than the object holds is the one that kept it. An
// owner's share is its balance less what owners nested inside it kept.
Owners call_path_owners(const ObjectSnapshot &o, const std::string &kind, uint64_t left, const Wrappers &wrappers,
                        const Reclaimed &reclaimed)
{
    Owners result;
    std::map<std::string, Owner> &owners = result.by_function;
    if (o.unrecorded || !left)
        return result;
    // A function whose own operations net to zero in this life (a cache that
    // swaps its entry: takes one here, drops one there) balances itself; its
    // sites say nothing about the callers it ran under.
    const auto decider = [&](SiteId id) { return deciding_function(id, wrappers); };
    std::map<std::string, int64_t> own;
    for (const SiteCount &c : o.sites)
        if (const std::string *f = decider(c.site))
            own[*f] += c.net;
    // Likewise a helper between the operation and the function it serves
    // whose every operation beneath it nets to zero (LifeBalances).
    const LifeBalances whole(o);
    std::set<uint32_t> here;
    for (const SiteCount &c : o.sites)
        here.insert(c.site.value);
    const auto helper_balanced = [&](SiteId id) {
        // Only operations this life went through balance here: a reclaimed
        // site's function that never touched it (a handler for other
        // messages) is not balanced, just absent, and a function that
        // balanced a loop's get and put here may still have skipped its own
        // put of a lookup's reference (a walk's get and put credited to
        // the caller of maps__for_each_map()).
        const std::string *f = decider(id);
        const auto it = f ? own.find(*f) : own.end();
        return (it != own.end() && it->second == 0 && here.count(id.value)) ||
               whole.through_balanced_helper(id, distinguishing_frame(id, wrappers));
    };
    const std::set<uint32_t> &container = result.container_sites = container_reference(o, wrappers, helper_balanced);
    const auto self_balanced = [&](SiteId id) { return container.count(id.value) || helper_balanced(id); };
    std::map<std::string, int64_t> inclusive;
    for (const SiteCount &c : o.sites) {
        if (helper_balanced(c.site))
            result.balanced_sites.insert(c.site.value);
        if (self_balanced(c.site))
            continue;
        for (const std::string &f : functions_on(c.site))
            inclusive[f] += c.net;
    }
    // Where no reclaimed life says what a function normally does, what
    // paired beside it says where its references went.
    std::map<std::string, int64_t> paired = inclusive;
    pair_drops(o, wrappers, kind, self_balanced, paired);
    // Per function, what reclaimed lives did for each reference taken
    // beneath it (+1: it hands each on, as a lookup does; 0: it drops what
    // it takes; -1 for a function that also drops a container's), and what
    // that predicts here, for as many references taken beneath it. Per
    // reference, not per life: a lookup called more often in one object
    // than in others is still a lookup.
    std::map<std::string, int64_t> taken_here;
    for (const SiteCount &c : o.sites) {
        if (self_balanced(c.site) || !takes_reference(depot_op(c.site)))
            continue;
        for (const std::string &f : functions_on(c.site))
            taken_here[f] += c.events;
    }
    std::map<std::string, std::pair<int64_t, uint64_t>> before; // function -> (net, references taken)
    const bool compare = reclaimed.lives >= kMinReclaimed;
    result.compared = compare;
    // A function that took references here is compared per reference
    // taken beneath it, over its own operations and those of the functions
    // this life went through: a
    // reclaimed object that a function this one never reached dropped
    // young (a map removed when another overlaps it) says nothing about
    // how long a kept reference lives. One that only drops is compared per
    // life, over everything dropped beneath it, whichever of its callees
    // did it (a consumer thread's handler for messages this object never
    // got), except the drops made inside another release of the kind (a
    // parent's references dropped by its children's destructors): those
    // are the released object's, not what the function does.
    std::map<std::string, int64_t> dropped_before; // function -> net in reclaimed lives, all callees
    // The functions performing the operations, and the kind's API around
    // them, pair with everything: no partner of their own.
    std::set<std::string> api = reclaimed.api;
    for (const SiteCount &c : o.sites)
        note_api(c.site, wrappers, api);
    const auto is_api = [&](const std::string &f) { return api.count(f) != 0; };
    // What was taken and dropped beneath each function in reclaimed lives:
    // a function that only drops pairs with one that only takes as many
    // (a work queue's runner with the queueing, a consumer with the
    // producer's push).
    std::map<std::string, int64_t> taken_before, any_dropped_before;
    for (const auto &r : reclaimed.sites) {
        if (!compare || self_balanced(r.site))
            continue;
        const std::string *f = decider(r.site);
        const bool went_through = f && own.count(*f);
        const std::vector<Frame> &s = stack_of(r.site);
        const bool nested = std::any_of(s.begin() + (s.empty() ? 0 : 1), s.end(),
                                        [&](const Frame &fr) { return fr.sym->function == s.front().sym->function; });
        for (const std::string &g : functions_on(r.site)) {
            if (!nested)
                dropped_before[g] += r.net;
            (takes_reference(depot_op(r.site)) ? taken_before[g] : any_dropped_before[g]) += r.net;
            // A function's own operations count whether or not this life
            // saw them: its missing put is the leak (a cleanup loop that
            // stops one short).
            if (went_through || *f == g) {
                before[g].first += r.net;
                before[g].second += r.gets;
            }
        }
    }
    std::map<std::string, double> normal; // what a function would hold here, behaving as before
    // How far the prediction can miss for as many references: a function
    // that hands on some of what it takes and drops the rest (an event
    // loop: 70 % of references outlive it) predicts 2.1 of 3, and one more
    // or less is its usual spread, not a kept reference.
    std::map<std::string, double> spread;
    for (const auto &b : before)
        if (b.second.second && taken_here[b.first]) {
            const double per_reference = double(b.second.first) / double(b.second.second);
            const double fraction = per_reference - std::floor(per_reference);
            normal[b.first] = per_reference * double(taken_here[b.first]);
            spread[b.first] = std::min(fraction, 1 - fraction) * double(taken_here[b.first]);
        }
    // One that only drops is compared per life, unless a partner says it
    // did as usual: a function that only takes, about as many as it drops
    // in reclaimed lives (a work queue's runner and the queueing, a
    // consumer and the producer's push), and took here what it dropped
    // here. How many a runner drops depends on how much was queued for
    // the life, not on the life; a consumer that forgot one message's put
    // dropped fewer than its producer pushed. Partners only clear: which
    // of two such functions slipped, counts cannot say.
    for (const auto &d : dropped_before) {
        if (taken_here[d.first])
            continue;
        normal[d.first] = double(d.second) / double(reclaimed.lives);
        if (d.second >= 0 || is_api(d.first))
            continue;
        for (const auto &t : taken_before) {
            if (t.second <= 0 || !taken_here[t.first] || any_dropped_before[t.first] || is_api(t.first) ||
                std::abs(t.second + d.second) > -d.second / 10)
                continue;
            const double as_partner = double(d.second) / double(t.second) * double(taken_here[t.first]);
            if (std::abs(double(inclusive[d.first]) - as_partner) < 0.5) {
                normal[d.first] = as_partner;
                break;
            }
        }
    }
    // An owner keeps what the object holds. Where reclaimed lives say what
    // is normal for it, it holds more here than that predicts (a lookup that
    // hands every reference on is not the leak; a function that drops one
    // fewer than usual is, even at a balance of 0); elsewhere its balance
    // is positive and within what is left.
    const auto kept = [&](const Symbol &sym) -> int64_t {
        const std::string &f = sym.function;
        const int64_t balance = inclusive[f];
        const auto n = normal.find(f);
        // A function declared to return a pointer to the kind
        // (machine__findnew_dso(), machine__idle_thread() returning the
        // thread it found, a list iterator's next()) hands the reference to
        // its caller, whatever reclaimed objects say: a next() that puts
        // the entry it was given back seems, in every reclaimed object, to
        // drop what it takes.
        if (sym.returns == kind)
            return 0;
        if (n == normal.end())
            return paired[f] > 0 && paired[f] <= static_cast<int64_t>(left) ? paired[f] : 0;
        const double excess = double(balance) - n->second;
        const auto sp = spread.find(f);
        if (excess < 0.5 + (sp == spread.end() ? 0.0 : sp->second) || excess > double(left) + 0.5)
            return 0;
        return static_cast<int64_t>(excess + 0.5);
    };
    // Beneath it more was taken than usual, and more than the object still
    // holds: the excess went out to its callers (a visitor callback keeping
    // the best entry in its caller's struct).
    for (const auto &n : normal)
        if (double(inclusive[n.first]) - n.second > double(left) + 0.5)
            result.handed_on.insert(n.first);
    // Normal within the prediction's usual spread, as for kept(): a cache
    // that keeps the last of many references it takes holds one in some
    // lives and none in others, a fraction per reference that predicts
    // 0.4 here, and its 1 is its spread, not evidence.
    for (const auto &n : normal) {
        const auto sp = spread.find(n.first);
        if (std::abs(double(inclusive[n.first]) - n.second) < 0.5 + (sp == spread.end() ? 0.0 : sp->second))
            result.normal.insert(n.first);
    }
    std::map<std::string, int64_t> shares_kept; // owner -> what it kept, before nesting
    std::map<std::string, std::pair<size_t, size_t>> depth; // owner -> (sum of frame indexes, count)
    for (const SiteCount &c : o.sites) {
        // From a get, outward to who kept it; from a put, outward to who
        // dropped fewer than it does in reclaimed objects.
        if (c.net == 0 || depot_op(c.site) == Op::set || self_balanced(c.site) || (c.net < 0 && !compare))
            continue;
        const std::vector<Frame> &s = stack_of(c.site);
        // Only the get itself wraps: the kind's other methods decide like
        // any function (thread__init_maps looking up its leader,
        // dso__load_sym_internal keeping the dso it got), and an inner one
        // that hands its reference on says so by its balance.
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i].sym->function == "??" || (i == 0 && wrappers.is_api(*s[i].sym, i)) || is_plumbing(*s[i].sym))
                continue;
            const int64_t keeps = kept(*s[i].sym);
            if (keeps > 0) {
                shares_kept[s[i].sym->function] = keeps;
                Owner &w = owners[s[i].sym->function];
                if (!w.site || (c.net > 0 && (w.net <= 0 || c.net > w.net))) {
                    w.site = c.site;
                    w.frame = i;
                    w.net = c.net;
                }
                depth[s[i].sym->function].first += i;
                depth[s[i].sym->function].second += 1;
                break;
            }
            // Everything taken beneath it was dropped beneath it (or, from
            // a put, everything dropped was taken): the operation was
            // matched here, and callers further out have no part in it.
            const int64_t beneath = inclusive[s[i].sym->function];
            if (i > 0 && (c.net > 0 ? beneath <= 0 : beneath >= 0))
                break;
        }
    }
    const auto nested_in = [&](const std::string &inner, const std::string &outer) {
        bool any = false;
        for (const SiteCount &c : o.sites) {
            if (self_balanced(c.site))
                continue;
            const std::set<std::string> &on_stack = functions_on(c.site);
            const bool has_inner = on_stack.count(inner) != 0;
            if (has_inner && !on_stack.count(outer))
                return false;
            any = any || has_inner;
        }
        return any;
    };
    // Innermost owners first: one nested in more of the others whose
    // excess over what reclaimed lives predict includes everything beneath
    // them, then the nearer to the operations (a caller's own get can be
    // nearer to its operation than a callee's is to its own: main()
    // pushing into its vector beside report() snapshotting it, which kept
    // one). Each outer one keeps only what is not nested owners' share.
    std::vector<std::string> order;
    std::map<std::string, size_t> nests; // owner -> such owners it is nested in
    for (const auto &w : owners) {
        order.push_back(w.first);
        for (const auto &outer : owners)
            if (outer.first != w.first && normal.count(outer.first) && nested_in(w.first, outer.first))
                nests[w.first] += 1;
    }
    std::sort(order.begin(), order.end(), [&](const std::string &x, const std::string &y) {
        if (nests[x] != nests[y])
            return nests[x] > nests[y];
        return depth[x].first * depth[y].second < depth[y].first * depth[x].second;
    });
    std::map<std::string, int64_t> share;
    for (const std::string &f : order) {
        int64_t mine = shares_kept[f];
        for (const auto &inner : share)
            if (nested_in(inner.first, f))
                mine -= inner.second;
        share[f] = mine;
    }
    for (auto it = owners.begin(); it != owners.end();) {
        if (share[it->first] <= 0) {
            it = owners.erase(it);
        } else {
            it->second.net = share[it->first];
            ++it;
        }
    }
    return result;
}

} // namespace refdebug
