// SPDX-License-Identifier: MIT
// A container's lost reference: an object put in a container (a cache, a
// table) holds the container's reference from its birth until the
// container drops it, when it removes the object or when it is purged. A
// removal that unlinks the object without its put leaves that reference
// and nothing else. Where the function that unlinked it took references
// on every such object and on none of those the purge dropped (an exit
// handler that looks the object up, puts its own reference and clears the
// table's slot), it is named; where it did no operation on the object (an
// eviction), the report can only name the reference itself, taken where
// the container made the object. Which reference it is, the lives born at
// the same site and ended say: there the birth was dropped by the
// container's purge, a function that took nothing and ran away from where
// the object was made. Without this, a birth inside a lookup that returns
// the object (and hands its caller a second reference) is credited to
// that caller, whose own get and put balance.
#include "report.h"

#include "depot.h"
#include "stack.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace refdebug {
namespace {

// Fewer ended lives than this say nothing about "normally".
constexpr uint64_t kMinEnded = 2;
// Lives read per birth: "most of them" is as well told from a thousand.
constexpr uint64_t kMaxRead = 1024;

struct Ended {
    uint64_t read = 0;  // lives read, ended or not
    uint64_t lives = 0;
    std::map<std::string, uint64_t> purges; // function -> lives whose birth it dropped
    std::set<std::string> operators;        // functions that took a reference in any ended life
};

// The functions that took a reference in a life (they had the object in
// hand: a lookup's caller), each with one of its sites. Drops do not
// count: a lookup that evicts another object from a cache drops that
// one's reference without ever handling it.
std::map<std::string, SiteId> operators_of(const ObjectSnapshot &o, const Wrappers &api)
{
    std::map<std::string, SiteId> ops;
    for (const SiteCount &c : o.sites)
        if (!stack_of(c.site).empty() && c.site != o.birth && takes_reference(depot_op(c.site)))
            ops.emplace(stack_of(c.site)[deciding_frame(c.site, api)].sym->function, c.site);
    return ops;
}

// The function that dropped a life's birth as a container's purge: one
// drop of one reference by a function beneath which nothing was taken
// (the birth included: a caller the object was returned to drops its
// own), on a stack that does not pass through where the object was made;
// "" when there is none, or more than one.
std::string purge_of(const ObjectSnapshot &o, const std::string &maker, const Wrappers &api)
{
    const auto took_beneath = [&](const std::string &f) {
        for (const SiteCount &c : o.sites)
            if (takes_reference(depot_op(c.site)) && functions_on(c.site).count(f))
                return true;
        return false;
    };
    const std::string *purge = nullptr;
    for (const SiteCount &c : o.sites) {
        if (c.net != -1 || stack_of(c.site).empty() || functions_on(c.site).count(maker))
            continue;
        const std::string &f = stack_of(c.site)[distinguishing_frame(c.site, api)].sym->function;
        if (took_beneath(f))
            continue;
        if (purge)
            return "";
        purge = &f;
    }
    return purge ? *purge : "";
}

// Whether a leaked life holds the birth's reference and nothing else (its
// other operations balance), and never went through the purge.
bool holds_only_its_birth(const ObjectSnapshot &o, const std::string &purge)
{
    int64_t birth = 0, rest = 0;
    for (const SiteCount &c : o.sites) {
        if (functions_on(c.site).count(purge))
            return false;
        (c.site == o.birth ? birth : rest) += c.net;
    }
    return birth == 1 && rest == 0;
}

} // namespace

void name_container_losses(std::vector<LeakGroup> &groups)
{
    // Roots whose suspect #1 is an unmatched get: other rules' answers stand.
    std::map<uint32_t, Ended> ended;
    for (const LeakGroup &g : groups)
        if (g.cascade_of < 0 && !g.suspects.empty() && g.suspects[0].reason == Reason::unmatched && g.kind != "-" &&
            depot_op(g.birth) == Op::set)
            ended[g.birth.value];
    if (ended.empty())
        return;
    const int pid = registry_pid();
    const auto wanted = [&](SiteId birth) {
        const auto it = ended.find(birth.value);
        return it != ended.end() && it->second.read++ < kMaxRead;
    };
    registry_for_each_born(wanted, [&](const ObjectSnapshot &o) {
        if ((o.state != State::released && o.state != State::freed) || o.pid != pid)
            return;
        const auto it = ended.find(o.birth.value);
        const Wrappers api({}, infer_kind(o.birth));
        const std::vector<Frame> &birth = stack_of(o.birth);
        // Where the birth ran: past the kind's API (entry__new <- cache__lookup).
        const size_t at = distinguishing_frame(o.birth, api);
        it->second.lives += 1;
        for (const auto &op : operators_of(o, api))
            it->second.operators.insert(op.first);
        if (at < birth.size())
            if (const std::string purge = purge_of(o, birth[at].sym->function, api); !purge.empty())
                it->second.purges[purge] += 1;
    });
    for (LeakGroup &g : groups) {
        const auto e = ended.find(g.birth.value);
        if (e == ended.end() || e->second.lives < kMinEnded || e->second.purges.empty())
            continue;
        const auto purge = std::max_element(e->second.purges.begin(), e->second.purges.end(),
                                            [](const auto &x, const auto &y) { return x.second < y.second; });
        // The births of most ended lives were the container's.
        if (purge->second * 2 <= e->second.lives)
            continue;
        size_t lost = 0;
        for (const ObjectSnapshot &o : g.objects)
            lost += holds_only_its_birth(o, purge->first);
        if (lost * 2 <= g.objects.size())
            continue;
        const Wrappers api({}, g.kind);
        Suspect s;
        s.site = g.birth;
        s.frame = distinguishing_frame(g.birth, api);
        if (s.frame >= stack_of(g.birth).size())
            continue;
        s.function = stack_of(g.birth)[s.frame].sym->function;
        // The one function that took a reference on every leaked object and
        // on no ended life removed them: it is named where it took one.
        std::map<std::string, SiteId> visitors = operators_of(g.objects.front(), api);
        for (const ObjectSnapshot &o : g.objects) {
            const std::map<std::string, SiteId> here = operators_of(o, api);
            for (auto v = visitors.begin(); v != visitors.end();)
                v = here.count(v->first) && !e->second.operators.count(v->first) && v->first != s.function
                        ? std::next(v)
                        : visitors.erase(v);
        }
        s.reason = Reason::unmatched;
        s.net = static_cast<int64_t>(lost);
        s.unmatched = s.explains = s.fits = lost;
        s.reclaimed = e->second.lives;
        for (const Suspect &x : g.suspects) // as the ranking counted it, where it did
            if (x.function == s.function && x.site == s.site)
                s.reclaimed = x.reclaimed;
        if (visitors.size() == 1) {
            s.site = visitors.begin()->second;
            s.function = visitors.begin()->first;
            s.frame = deciding_frame(s.site, api);
            s.reason = Reason::container_removal;
            s.reclaimed = e->second.lives;
        }
        // A call-path owner of most leaked objects, checked against
        // reclaimed lives, stands unless it is the remover: it kept more
        // than it does there. Counts alone cannot say which reference a
        // removal dropped (a lookup that evicts the table's old entry
        // drops the birth's; its caller kept the one it was handed, and
        // the birth's seems left).
        if (g.suspects[0].owns * 2 > g.objects.size() && g.suspects[0].function != s.function)
            continue;
        g.suspects.erase(std::remove_if(g.suspects.begin(), g.suspects.end(),
                                        [&](const Suspect &x) { return x.function == s.function; }),
                         g.suspects.end());
        g.suspects.insert(g.suspects.begin(), s);
    }
}

} // namespace refdebug
