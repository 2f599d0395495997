// SPDX-License-Identifier: MIT
// Error paths: a function has references taken beneath it (its own, a
// table's it registered the object in), fails, drops some of them and
// returns, keeping the rest: conn_open() adds a connection to a table,
// its handshake fails, and it puts its own reference but not the
// table's. What stays unmatched is a normal get (every reclaimed
// connection went through the table's), whose own function is no culprit.
// What only the leaked objects did is the error path's put: a drop no
// reclaimed life made, by a function on that get's call path that still
// holds what was taken beneath it. That function unwound part of what it
// had done and forgot the rest.
#include "report.h"

#include "depot.h"
#include "kinds.h"
#include "owners.h"
#include "stack.h"

#include <map>
#include <set>
#include <string>

namespace refdebug {
namespace {

// Fewer reclaimed lives than this cannot say a path is the leaked objects' alone.
constexpr uint64_t kMinReclaimed = 4;

// A thread's entry (main(), a start routine): it has not returned, and
// every reference is taken beneath it; its cleanup at exit is no error path.
bool thread_entry(const std::vector<Frame> &s, size_t at)
{
    const std::string &f = s[at].sym->function;
    if (f == "main")
        return true;
    for (size_t k = at + 1; k < s.size(); ++k) {
        const std::string &outer = s[k].sym->function;
        if (thread_start(outer))
            return k == at + 1;
    }
    return false;
}

// References taken beneath function, net, in one life: what it still holds.
int64_t held_beneath(const ObjectSnapshot &o, const std::string &function)
{
    int64_t held = 0;
    for (const SiteCount &c : o.sites)
        if (functions_on(c.site).count(function))
            held += c.net;
    return held;
}

} // namespace

void name_error_paths(std::vector<LeakGroup> &groups)
{
    for (LeakGroup &g : groups) {
        // Another rule's answer stands; the get must be one reclaimed
        // lives make too (a get only leaked objects made is its own answer).
        if (g.suspects.empty() || g.kind == "-")
            continue;
        const Suspect &get = g.suspects.front();
        if (get.reason != Reason::unmatched || !takes_reference(depot_op(get.site)) || !get.reclaimed)
            continue;
        const Reclaimed reclaimed = reclaimed_of(g);
        if (reclaimed.lives < kMinReclaimed)
            continue;
        std::set<uint32_t> normal; // sites some reclaimed life went through
        for (const Reclaimed::Row &r : reclaimed.sites)
            normal.insert(r.site.value);
        const size_t on_path = stack_of(get.site).size();
        std::map<std::string, Suspect> by_function;
        for (const ObjectSnapshot &o : g.objects) {
            std::set<std::string> here;
            for (const SiteCount &c : o.sites) {
                if (c.net >= 0 || !is_decrement(depot_op(c.site)) || normal.count(c.site.value))
                    continue;
                // The function that called the put (conn_open() for
                // conn_put(), though its name says it is the kind's API).
                const std::vector<Frame> &s = stack_of(c.site);
                const size_t d = first_frame_past_api(c.site, "-");
                if (d >= s.size() || thread_entry(s, d))
                    continue;
                const std::string &function = s[d].sym->function;
                // On the get's call path, outward of the function it counts
                // for, and still holding what was taken beneath it.
                const size_t k = depth_of(get.site, function);
                if (k >= on_path || k <= get.frame || held_beneath(o, function) <= 0 || !here.insert(function).second)
                    continue;
                Suspect &e = by_function[function];
                if (!e.site) {
                    e.function = function;
                    e.site = c.site;
                    e.frame = d;
                }
                e.unmatched += 1;
                e.net += held_beneath(o, function);
            }
        }
        const Suspect *best = nullptr;
        for (const auto &f : by_function)
            if (f.second.unmatched * 2 > g.objects.size() && (!best || f.second.unmatched > best->unmatched))
                best = &f.second;
        if (!best)
            continue;
        Suspect s = *best;
        s.reason = Reason::error_path;
        s.reclaimed = reclaimed.lives;
        s.explains = s.fits = s.unmatched;
        g.suspects.insert(g.suspects.begin(), s);
    }
}

} // namespace refdebug
