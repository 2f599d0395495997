// SPDX-License-Identifier: MIT
// The ranking of a leak group's suspects: per object, which function's
// references stay unmatched (per-function balances, a holder's methods as
// one account, drops paired with the gets they meet, balance by caller)
// and who kept them along the call path (owners.cpp); then across the
// group, ordered by what explains the leaked objects. The README's
// "Reading the report" says each rule in words.
#include "report.h"

#include "depot.h"
#include "owners.h"
#include "stack.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace refdebug {
namespace {

// One object's net references per function, with the site that names each.
using Tally = std::map<std::string, std::pair<int64_t, const SiteCount *>>;
// Each site's count, with the function it counts for.
using Credits = std::vector<std::pair<const SiteCount *, std::string>>;

// One object's net references per function: a holder's methods, as perf
// names them ("hist_entry__init" takes, "hist_entry__delete" drops;
// "callchain_cursor_append" and "callchain_cursor_reset"), are one account.
// Summed, they drop out when they balance, or leave their sum with the
// method that took most. The objects' own kind is its API, not a holder.
std::set<std::string> pair_holder_methods(Tally &in_object,
                                          const std::string &kind)
{
    std::set<std::string> holders; // the methods left holding an account's sum
    std::map<std::string, std::vector<std::pair<int64_t, const SiteCount *> *>> by_holder;
    for (auto &f : in_object) {
        // A birth stays out: its reference is the creator's, whoever made
        // the object for it ("__dsos__addnew_id" is not the dso list's).
        const std::string holder = depot_op(f.second.second->site) == Op::set ? "" : holder_of(f.first);
        if (!holder.empty() && holder != kind && f.second.first != 0)
            by_holder[holder].push_back(&f.second);
    }
    for (auto &h : by_holder) {
        int64_t sum = 0;
        bool takes = false, drops = false;
        std::pair<int64_t, const SiteCount *> *top = nullptr;
        for (auto *m : h.second) {
            sum += m->first;
            takes = takes || m->first > 0;
            drops = drops || m->first < 0;
            if (!top || m->first > top->first)
                top = m;
        }
        if (!takes || !drops)
            continue;
        // What the account's methods dropped is charged to what they took,
        // the biggest takers first; a method that took beside them keeps
        // its own (machine__resolve's hundreds of gets do not absorb one
        // from machine__update_kernel_mmap).
        int64_t dropped = 0;
        std::vector<std::pair<int64_t, const SiteCount *> *> takers;
        for (auto *m : h.second) {
            if (m->first < 0) {
                dropped -= m->first;
                m->first = 0;
            } else {
                takers.push_back(m);
            }
        }
        std::stable_sort(takers.begin(), takers.end(), [](auto *x, auto *y) { return x->first > y->first; });
        for (auto *m : takers) {
            const int64_t charged = std::min(m->first, dropped);
            m->first -= charged;
            dropped -= charged;
        }
        top->first -= dropped; // dropped more than taken: the rest stays with the biggest taker
        for (auto &f : in_object)
            if (&f.second == top)
                holders.insert(f.first);
    }
    return holders;
}

// A function that only dropped (it took nothing) dropped what a taker
// beneath a function they share handed out, within two frames out from
// the dropping one (load_build_ids() puts what dsos__addnew() handed it;
// machine__resolve() fills its caller's addr_location with a thread that
// process_sample_event()'s addr_location__exit() puts). Each of its drops
// is charged to one taker beneath the innermost such function, the first
// in the owner walk's order (owners.h, pair_order): a drop that spilled
// over to further takers would eat what they kept.
void pair_drops_with_takers(Tally &in_object, const Credits &credited,
                            const std::string &kind)
{
    std::set<std::string> took; // functions credited with a reference taken
    for (const auto &c : credited)
        if (c.first->net > 0)
            took.insert(c.second);
    // A function that only dropped exactly as many as one other function
    // took, and no other taker took as many, is that one's release (a
    // subscription's unsubscribe()), wherever it was called from: paired
    // first, before its drops meet the gets of the functions that called it.
    for (auto &dropper : in_object) {
        if (dropper.second.first >= 0 || took.count(dropper.first))
            continue;
        std::pair<int64_t, const SiteCount *> *match = nullptr;
        size_t matches = 0;
        for (auto &t : in_object)
            if (t.second.first == -dropper.second.first && took.count(t.first)) {
                match = &t.second;
                ++matches;
            }
        if (matches == 1) {
            match->first = 0;
            dropper.second.first = 0;
        }
    }
    for (const auto &c : credited) {
        auto &dropper = in_object[c.second];
        if (c.first->net >= 0 || dropper.first >= 0 || took.count(c.second))
            continue;
        int64_t unpaired = std::min(-c.first->net, -dropper.first);
        const std::vector<Frame> &s = stack_of(c.first->site);
        const size_t k = frame_of(c.first->site, c.second);
        for (size_t i = 1; i < s.size() && i <= k + 2 && unpaired > 0; ++i) {
            std::vector<std::pair<PairOrder, std::pair<int64_t, const SiteCount *> *>> takers;
            for (auto &f : in_object) {
                if (f.second.first <= 0)
                    continue;
                const SiteId taken = f.second.second->site;
                const size_t at = depth_of(taken, s[i].sym->function);
                if (at != SIZE_MAX && at >= depth_of(taken, f.first))
                    takers.emplace_back(pair_order(-dropper.first, f.second.first, taken, at, kind), &f.second);
            }
            if (takers.empty())
                continue;
            auto *m = std::min_element(takers.begin(), takers.end(), [](const auto &x, const auto &y) {
                          return x.first < y.first;
                      })->second;
            const int64_t charged = std::min(m->first, unpaired);
            m->first -= charged;
            dropper.first += charged;
            break;
        }
    }
}

// The container's reference (owners.cpp) leaves the counts too, unless the
// purging holder took a reference of its own, which the purge then
// matches as one account (__dsos__add() and dsos__purge(): the birth is
// the creator's, dropped by its caller).
std::set<uint32_t> counted_container(const std::set<uint32_t> &container, const Credits &credited)
{
    std::string purger;
    for (const auto &c : credited)
        if (container.count(c.first->site.value) && c.first->net < 0)
            purger = holder_of(c.second);
    for (const auto &c : credited)
        if (!purger.empty() && c.first->net > 0 && depot_op(c.first->site) != Op::set && holder_of(c.second) == purger)
            return {};
    return container;
}

// Balance by caller, for one life: caller is the innermost function common
// to the stacks of every site that changed the count, at the level where the
// sites it reached through callees (balanced) net to zero together while its
// own calls to the kind's API and the birth (direct) hold what is left. The
// balanced sites drop out of the ranking; the direct ones count as caller's.
// Empty when no level balances that way.
struct CallerBalance {
    std::string caller;
    std::set<uint32_t> balanced, direct; // site ids
};

CallerBalance balance_by_caller(const ObjectSnapshot &o, const Wrappers &wrappers)
{
    // F is the innermost function on the stack of every site that changed
    // this life's count. Each site either went through F's own calls to the
    // kind's API (a direct site; the birth counts as one: F asked for the
    // object) or through a callee that decides for itself (a container's
    // add, its exit). When the callees' sites together net to zero,
    // whatever they took they also dropped, between them; the leak is then
    // F's own doing, and the callees' sites, which per function look
    // unmatched when one takes a reference another drops, must not outrank
    // it. When instead F's direct sites net to zero (it created the object
    // and put it), the imbalance is further in: the same question is asked
    // of the callees' sites.
    if (o.unrecorded) // site counts incomplete: nothing to balance
        return {};
    std::vector<const SiteCount *> changed;
    for (const SiteCount &c : o.sites)
        if (c.net != 0)
            changed.push_back(&c);
    const auto everywhere = [&](const std::string &function) {
        for (const SiteCount *c : changed)
            if (!frame_of(c->site, function))
                return false;
        return true;
    };
    // Direct: F reached the operation through the kind's API alone (a
    // helper F shares with another caller is still a callee here).
    const auto direct = [&](SiteId id, size_t at) {
        if (depot_op(id) == Op::set)
            return true;
        const std::vector<Frame> &s = stack_of(id);
        for (size_t i = 0; i < at && i < s.size(); ++i)
            if (!wrappers.is_api(*s[i].sym, i))
                return false;
        return true;
    };
    std::string outer; // the previous level's F
    while (changed.size() >= 2) {
        const std::vector<Frame> &first = stack_of(changed[0]->site);
        std::string f;
        for (size_t i = 1; i < first.size() && f.empty(); ++i) {
            const std::string &name = first[i].sym->function;
            if (name != "??" && !name.empty() && everywhere(name))
                f = name;
        }
        if (f.empty() || f == outer)
            return {};
        CallerBalance b;
        b.caller = f;
        int64_t callees_net = 0, direct_net = 0;
        bool direct_get = false;
        std::vector<const SiteCount *> callees;
        for (const SiteCount *c : changed) {
            if (!direct(c->site, frame_of(c->site, f))) {
                callees.push_back(c);
                b.balanced.insert(c->site.value);
                callees_net += c->net;
            } else {
                b.direct.insert(c->site.value);
                direct_net += c->net;
                direct_get = direct_get || (c->net > 0 && depot_op(c->site) != Op::set);
            }
        }
        if (callees.empty())
            return {};
        if (callees_net == 0)
            return direct_get ? b : CallerBalance{};
        if (direct_net != 0)
            return {};
        changed = std::move(callees);
        outer = f;
    }
    return {};
}

// Which function each site's references count for: the caller that
// balances them (balance_by_caller), or the site's deciding frame. Sites
// that balanced out (by caller, or along the owners' call paths) count
// for none.
Credits credit_sites(const ObjectSnapshot &o, const CallerBalance &balance, const Owners &owners,
                     const Wrappers &wrappers)
{
    Credits credited;
    for (const SiteCount &c : o.sites) {
        const std::vector<Frame> &site = stack_of(c.site);
        if (site.empty() || balance.balanced.count(c.site.value) || owners.balanced_sites.count(c.site.value))
            continue;
        credited.emplace_back(&c, balance.direct.count(c.site.value)
                                      ? balance.caller
                                      : site[deciding_frame(c.site, wrappers)].sym->function);
    }
    return credited;
}

// One object's net references per function, the container's sites left
// out, with the site that names each function's imbalance.
Tally tally_by_function(const Credits &credited, const std::set<uint32_t> &container)
{
    Tally in_object;
    for (const auto &[cp, function] : credited) {
        const SiteCount &c = *cp;
        if (container.count(c.site.value))
            continue;
        auto &tally = in_object[function];
        tally.first += c.net;
        // Between a birth and a get that left as much, name the get:
        // the function's own put matched one of them, and an explicit
        // extra get is the likelier slip than a birth never dropped.
        if (!tally.second || c.net > tally.second->net ||
            (c.net == tally.second->net && depot_op(tally.second->site) == Op::set))
            tally.second = &c;
    }
    return in_object;
}

// A batch put that left a leaked object alive may have put too few:
// refcount_sub_and_test(2, r) where 3 were held.
void count_short_releases(const ObjectSnapshot &o, const Wrappers &wrappers, uint64_t left,
                          std::map<std::string, Suspect> &short_release)
{
    std::set<std::string> short_here;
    for (const SiteCount &c : o.sites) {
        if (depot_op(c.site) != Op::sub)
            continue;
        const size_t frame = distinguishing_frame(c.site, wrappers);
        const std::string function = stack_of(c.site)[frame].sym->function;
        if (!short_here.insert(function).second)
            continue;
        Suspect &s = short_release[function];
        if (!s.site) {
            s.function = function;
            s.reason = Reason::short_release;
            s.site = c.site;
            s.frame = frame;
        }
        s.net += static_cast<int64_t>(left);
        s.unmatched += 1;
    }
}

// The owners found along call paths (owners.cpp) as suspects. Balances
// alone cannot tell a container's reference from a forgotten one (both are
// a get whose put is elsewhere): only owners checked against reclaimed
// objects explain the object.
void count_owners(const Owners &owners, std::map<std::string, Suspect> &by_function, std::set<std::string> &explained)
{
    for (const auto &w : owners.by_function) {
        Suspect &s = by_function[w.first];
        // An owned get replaces a birth another object credited it
        // with: births rank last.
        if (!s.site || (depot_op(s.site) == Op::set && depot_op(w.second.site) != Op::set)) {
            s.function = w.first;
            s.site = w.second.site;
            s.frame = w.second.frame;
            // Found from a put: it dropped fewer than it does elsewhere.
            if (is_decrement(depot_op(s.site)))
                s.reason = Reason::short_release;
        }
        s.owns += 1;
        s.owned_net += w.second.net;
        if (owners.compared)
            explained.insert(w.first);
    }
}

// The functions left holding references in one object's tally, as
// suspects; those whose imbalance the object's references can hold, and
// that are not normal behaviour, explain it.
void count_unmatched(const Tally &in_object, const Owners &owners, const std::set<std::string> &holders,
                     uint64_t left, const Wrappers &wrappers, std::map<std::string, Suspect> &by_function,
                     std::set<std::string> &explained)
{
    // A function credited past an owner on the owner's own call path (the
    // kind's methods around a get are read as its API) explains nothing
    // the owner does not: the owner kept it. Only an owner checked against
    // reclaimed objects says so (count_owners()).
    std::set<std::string> passed_over;
    for (const auto &w : owners.by_function) {
        const size_t credited = deciding_frame(w.second.site, wrappers);
        if (w.second.frame < credited && !owners.by_function.count(stack_of(w.second.site)[credited].sym->function))
            passed_over.insert(stack_of(w.second.site)[credited].sym->function);
    }
    // A holder's account (cursor append and reset) that stays up holds
    // references whatever its methods usually do, unless one of its
    // methods dropped fewer than it usually does: then that one explains
    // the leak.
    const auto short_method = [&](const std::string &taker) {
        for (const auto &w : owners.by_function)
            if (is_decrement(depot_op(w.second.site)) && holder_of(w.first) == holder_of(taker))
                return true;
        return false;
    };
    for (const auto &f : in_object) {
        if (f.second.first <= 0)
            continue;
        Suspect &s = by_function[f.first];
        if (static_cast<uint64_t>(f.second.first) <= left && !passed_over.count(f.first) &&
            !owners.handed_on.count(f.first) &&
            (!owners.normal.count(f.first) || (holders.count(f.first) && !short_method(f.first))))
            explained.insert(f.first);
        // A birth credited to a function that owns an unmatched get (the
        // birth came through a lookup it called) leaves the get as its
        // site: births rank last.
        const bool birth_over_get = depot_op(f.second.second->site) == Op::set && s.site && depot_op(s.site) != Op::set;
        if (!s.site || (f.second.second->net > 0 && !birth_over_get)) {
            s.function = f.first;
            s.reason = Reason::unmatched;
            s.site = f.second.second->site;
            s.frame = deciding_frame(s.site, wrappers);
            if (stack_of(s.site)[s.frame].sym->function != f.first)
                s.frame = frame_of(s.site, f.first); // credited to the common caller
        }
        s.net += f.second.first;
        s.unmatched += 1;
        s.fits += static_cast<uint64_t>(f.second.first) <= left;
    }
}

// A get that is never matched comes first: it explains the leak with
// every put intact. Then a batch put that stopped short, which explains
// it with the birth's references intact; the birth itself last. Within
// each: unmatched in most objects, then one never seen in a reclaimed life
// before one that is, then one whose imbalance the objects' leaked
// references can hold, the largest imbalance, the one least seen in
// reclaimed lives.
bool ranks_before(const Suspect &x, const Suspect &y)
{
    const auto tier = [](const Suspect &s) {
        return s.reason == Reason::short_release && !s.owns ? 1 : depot_op(s.site) == Op::set ? 2 : 0;
    };
    if (tier(x) != tier(y))
        return tier(x) < tier(y);
    // What the objects still hold, explained: a function whose imbalance
    // fits, or that kept an unmatched reference on its call path, before
    // one whose imbalance others dropped.
    if (x.explains != y.explains)
        return x.explains > y.explains;
    if (x.unmatched != y.unmatched)
        return x.unmatched > y.unmatched;
    if ((x.reclaimed == 0) != (y.reclaimed == 0)) // differential: never seen in a reclaimed life
        return x.reclaimed == 0;
    if (x.fits != y.fits) // more than the object holds: the excess was put elsewhere
        return x.fits > y.fits;
    if (x.net != y.net)
        return x.net > y.net;
    if (x.reclaimed != y.reclaimed)
        return x.reclaimed < y.reclaimed;
    return x.site.value < y.site.value;
}

} // namespace

void rank_suspects(LeakGroup &g, const std::vector<uint64_t> &lefts)
{
    // Balance by distinguishing function, per object: a function that
    // takes a reference and drops it nets to zero and drops out; so do
    // the birth and the final put when both are made by the same caller.
    std::vector<SiteId> group_sites;
    for (const ObjectSnapshot &o : g.objects)
        for (const SiteCount &c : o.sites)
            group_sites.push_back(c.site);
    const Wrappers wrappers(group_sites, g.kind);
    const Reclaimed reclaimed = reclaimed_of(g);
    std::map<std::string, Suspect> by_function, short_release;
    std::map<std::vector<std::pair<uint32_t, int64_t>>, CallerBalance> balances;
    for (size_t i = 0; i < g.objects.size(); ++i) {
        const ObjectSnapshot &o = g.objects[i];
        const uint64_t left = lefts[i];
        const Owners owners = call_path_owners(o, g.kind, left, wrappers, reclaimed);
        // Objects of one group mostly share their sites and counts:
        // balance each distinct set once. Where reclaimed objects say what
        // each function normally does, callees that net to zero together
        // are no evidence: a purge's drop of the birth and a forgotten get
        // elsewhere net to zero too.
        std::vector<std::pair<uint32_t, int64_t>> key;
        for (const SiteCount &c : o.sites)
            key.emplace_back(c.site.value, c.net);
        key.emplace_back(0, o.unrecorded);
        auto known = balances.find(key);
        if (known == balances.end())
            known = balances.emplace(std::move(key), owners.compared ? CallerBalance{} : balance_by_caller(o, wrappers))
                        .first;
        Credits credited = credit_sites(o, known->second, owners, wrappers);
        const std::set<uint32_t> container = counted_container(owners.container_sites, credited);
        Tally in_object = tally_by_function(credited, container);
        const std::set<std::string> holders = pair_holder_methods(in_object, g.kind);
        credited.erase(std::remove_if(credited.begin(), credited.end(),
                                      [&](const auto &c) { return container.count(c.first->site.value) != 0; }),
                       credited.end());
        pair_drops_with_takers(in_object, credited, g.kind);
        count_short_releases(o, wrappers, left, short_release);
        std::set<std::string> explained; // functions that explain this object
        count_owners(owners, by_function, explained);
        count_unmatched(in_object, owners, holders, left, wrappers, by_function, explained);
        for (const std::string &f : explained)
            by_function[f].explains += 1;
    }
    for (auto &f : by_function) {
        // Owner only (no per-function imbalance of its own): its evidence is what it kept.
        if (!f.second.unmatched) {
            f.second.net = f.second.owned_net;
            f.second.unmatched = f.second.owns;
        }
    }
    for (auto *suspects : {&by_function, &short_release})
        for (auto &f : *suspects) {
            f.second.reclaimed = reclaimed_on_path(f.second.site, f.second.frame, reclaimed);
            g.suspects.push_back(f.second);
        }
    std::sort(g.suspects.begin(), g.suspects.end(), ranks_before);
}

namespace {

// For an error's suspect: one object's counted sites per function, as for
// leaks, each function with the site that names it (its biggest take for
// sign 1, its biggest drop for sign -1); a function that only dropped
// dropped what a taker beside it handed out (addr_location__exit() and
// machine__resolve()), if any did.
Tally tally_for_error(const std::vector<const SiteCount *> &counted, const Wrappers &wrappers,
                      const std::string &kind, int sign)
{
    Tally in_object;
    Credits credited;
    for (const SiteCount *c : counted) {
        const std::string &function = stack_of(c->site)[deciding_frame(c->site, wrappers)].sym->function;
        credited.emplace_back(c, function);
        auto &tally = in_object[function];
        tally.first += c->net;
        if (!tally.second || c->net * sign > tally.second->net * sign)
            tally.second = c;
    }
    pair_drops_with_takers(in_object, credited, kind);
    return in_object;
}

// The function whose net leans furthest toward sign (most taken, most
// dropped), named at a site leaning that way too, other than skip; no site
// when none leans so.
Suspect leaning_most(const Tally &in_object, const Wrappers &wrappers, int sign, Reason reason,
                     const std::string &skip)
{
    Suspect best;
    for (const auto &f : in_object) {
        if (f.second.first * sign <= 0 || f.second.second->net * sign <= 0 || f.first == skip ||
            (best.site && f.second.first * sign <= best.net * sign))
            continue;
        best.function = f.first;
        best.reason = reason;
        best.site = f.second.second->site;
        best.frame = deciding_frame(best.site, wrappers);
        best.net = f.second.first;
    }
    return best;
}

std::vector<SiteId> site_ids(const ObjectSnapshot &o)
{
    std::vector<SiteId> ids;
    for (const SiteCount &c : o.sites)
        ids.push_back(c.site);
    return ids;
}

} // namespace

Suspect kept_references_suspect(const ObjectSnapshot &o)
{
    // The birth left out: its owner is the one freeing the block.
    const std::string kind = infer_kind(o.birth);
    const Wrappers wrappers(site_ids(o), kind);
    std::vector<const SiteCount *> counted;
    for (const SiteCount &c : o.sites)
        if (c.net != 0 && depot_op(c.site) != Op::set && !is_memory_event(depot_op(c.site)) &&
            !stack_of(c.site).empty())
            counted.push_back(&c);
    return leaning_most(tally_for_error(counted, wrappers, kind, 1), wrappers, 1, Reason::unmatched, "");
}

Suspect over_release_suspect(const ObjectSnapshot &o, SiteId at)
{
    // The operations after the release (the failing one, and earlier ones
    // on the released object) are the victims': leave their events out,
    // as far as the history tail shows them (at least the failing one, its
    // last event). So is the birth: its owner's put is still to come (or is
    // the failing one), and a put that used the birth's reference up is the
    // one to find.
    std::map<uint32_t, int64_t> after_release; // site -> net of its events after the release
    for (size_t i = o.history.size(); i-- > 0;) {
        const Event &e = o.history[i];
        if (is_decrement(depot_op(e.site)) && e.new_count == 0 && e.old_count != 0)
            break; // the release
        if (i + 1 == o.history.size() && e.site != at)
            break; // not the failing operation: nothing to leave out
        after_release[e.site.value] += int64_t(e.new_count) - int64_t(e.old_count);
    }
    const std::string kind = infer_kind(o.birth);
    const Wrappers wrappers(site_ids(o), kind);
    std::vector<SiteCount> kept;
    for (const SiteCount &c : o.sites) {
        SiteCount k = c;
        if (const auto it = after_release.find(c.site.value); it != after_release.end())
            k.net -= it->second;
        if (k.net != 0 && depot_op(c.site) != Op::set && !stack_of(c.site).empty())
            kept.push_back(k);
    }
    std::vector<const SiteCount *> counted;
    for (const SiteCount &c : kept)
        counted.push_back(&c);
    // The creator dropping the birth's reference dropped its own.
    const std::string creator =
        stack_of(o.birth).empty() ? "" : stack_of(o.birth)[deciding_frame(o.birth, wrappers)].sym->function;
    Suspect best =
        leaning_most(tally_for_error(counted, wrappers, kind, -1), wrappers, -1, Reason::short_release, creator);
    // Every function dropped what it took (a put without its get paired
    // with a get of the same function's elsewhere): the put that released
    // the object is the nearest evidence of the put that came too early.
    if (!best.site && o.end && is_decrement(depot_op(o.end)) && !stack_of(o.end).empty()) {
        best.site = o.end;
        best.frame = deciding_frame(o.end, wrappers);
        best.function = stack_of(o.end)[best.frame].sym->function;
        best.reason = Reason::short_release;
        best.net = 0;
    }
    return best;
}

} // namespace refdebug
