// SPDX-License-Identifier: MIT
// Freed holders: a reference lives in a struct member or an array slot, and
// the block holding it is freed by its owner's destructor. When the
// destructor lost its put, the block went to free() still pointing at the
// object, and no put beneath the destructor matched it. The runtime notes
// such blocks (Op::holder_freed, by freeing stack); here each freeing
// function's blocks are weighed against the puts made beneath it, in the
// leaked objects and, to tell a lost put from a borrowed pointer, in the
// reclaimed ones. The destructor whose own put is gone appears on no other
// stack of the leaked objects: this is the only trace it leaves.
#include "report.h"

#include "depot.h"
#include "kinds.h"
#include "owners.h"
#include "stack.h"

#include <map>
#include <set>

namespace refdebug {
namespace {

// A put's name: "dso__put", "map__zput", "obj_release".
bool named_like_a_put(const std::string &function)
{
    const std::string name = bare_name(function);
    const size_t cut = name.rfind('_');
    if (cut == std::string::npos)
        return false;
    const std::string verb = name.substr(cut + 1);
    return verb == "put" || verb == "zput" || verb == "release" || verb == "unref" || verb == "drop";
}

// The function that freed the block, outward from free()'s caller, up to
// a C++ class's own destructor (a deleting destructor frees its object:
// the holder's release itself):
// - past helpers that free blocks for two or more functions (a hash map's
//   delete), the standard library, generic helpers named for no kind
//   that drop nothing (perf's __zfree()), and functions declared to hand
//   a value back through a parameter (hashmap_delete()'s old_value: what
//   the freed entry pointed at went back to the caller, who decides);
// - past a holder's own helper that calls free() itself and does nothing
//   else (hist_entry__free() called by hist_entry__delete()): its caller,
//   a method of the same holder and not its put, decided. A function that
//   drops references elsewhere in the run is a destructor, kept; so is one
//   that takes them (a table's resize, copying its entries into a new
//   array with references of its own, frees the old one) and one that
//   frees through a helper (dsos__purge() through zfree()).
class FreeingFrames {
  public:
    FreeingFrames()
    {
        for (uint32_t id = 1; id <= depot_count(); ++id) {
            const Site *s = depot_get(SiteId{id});
            if (!s)
                continue;
            const std::vector<Frame> &frames = stack_of(SiteId{id});
            if (is_memory_event(s->op)) {
                // A function calling itself (a tree's recursive destroy) is
                // not a second caller.
                for (size_t f = 0; f + 1 < frames.size(); ++f)
                    if (frames[f + 1].sym->function != frames[f].sym->function)
                        callers_[frames[f].sym->function].insert(frames[f + 1].sym->function);
            } else if (is_decrement(s->op)) {
                for (const Frame &f : frames)
                    droppers_.insert(f.sym->function);
            } else if (takes_reference(s->op)) {
                for (const Frame &f : frames)
                    takers_.insert(f.sym->function);
            }
        }
    }

    size_t of(SiteId site) const
    {
        const std::vector<Frame> &frames = stack_of(site);
        size_t f = 0;
        while (f + 1 < frames.size() && !is_destructor(*frames[f].sym) &&
               (helper(frames[f].sym->function) || is_plumbing(*frames[f].sym) || generic(*frames[f].sym) ||
                frames[f].sym->hands_back))
            ++f;
        if (f == 0 && frames.size() > 1) {
            const std::string &inner = frames[f].sym->function, &outer = frames[f + 1].sym->function;
            const std::string holder = holder_of(inner);
            if (!droppers_.count(inner) && !takers_.count(inner) && !holder.empty() && holder_of(outer) == holder &&
                !named_like_a_put(outer))
                ++f;
        }
        return f;
    }

  private:
    // A function that frees for no kind of object in particular (perf's
    // __zfree()) and drops no reference anywhere. One declared to take a
    // pointer to a struct frees its own object's block, whatever its name
    // (a driver's usb_remove(struct device *), called through a pointer);
    // one declared to take no pointer at all frees what it found itself (a
    // work queue's run_work(void) freeing the items it pops).
    bool generic(const Symbol &sym) const
    {
        return kind_of_function(sym.function).empty() && !droppers_.count(sym.function) && !sym.takes_struct &&
               (sym.takes_pointer || !sym.declared);
    }

    bool helper(const std::string &function) const
    {
        auto it = callers_.find(function);
        return it != callers_.end() && it->second.size() >= 2;
    }

    std::map<std::string, std::set<std::string>> callers_; // among free stacks
    std::set<std::string> droppers_; // functions on a put's stack
    std::set<std::string> takers_;   // functions on a get's stack
};

// Over the reclaimed lives of every object: the holders function freed
// still pointing at them, less the references dropped beneath it (0 when
// it dropped as many). A function that frees more than it drops keeps
// borrowed pointers in its blocks: normal, not a lost put.
uint64_t frees_undropped_in_reclaimed_lives(const std::string &function, const FreeingFrames &freeing,
                                            uint64_t *freed)
{
    uint64_t held = 0, dropped = 0;
    for (uint32_t id = 1; id <= depot_count(); ++id) {
        const Site *s = depot_get(SiteId{id});
        if (!s)
            continue;
        if (s->op == Op::holder_freed) {
            const std::vector<Frame> &frames = stack_of(SiteId{id});
            if (!frames.empty() && frames[freeing.of(SiteId{id})].sym->function == function)
                held += s->ended_events.load(std::memory_order_relaxed);
        } else if (is_decrement(s->op) && functions_on(SiteId{id}).count(function)) {
            dropped += static_cast<uint64_t>(-s->ended_net.load(std::memory_order_relaxed));
        }
    }
    *freed = held;
    return held > dropped ? held - dropped : 0;
}

struct Freeing {
    Suspect suspect;
    uint64_t most = 0; // events at suspect.site
};

// A destructor that frees its block after one method of the same holder
// released the members (evsel__delete() calling evsel__exit(), by perf's
// naming): the puts made beneath it in the run come from that method, and
// it makes none itself. That method is where a member's put belonged. No
// site when the destructor puts anything itself, or when several methods
// (or none) do it for it.
Suspect teardown_method(const std::string &destructor)
{
    const std::string holder = holder_of(destructor);
    std::map<std::string, Suspect> methods;
    for (uint32_t id = 1; !holder.empty() && id <= depot_count(); ++id) {
        const Site *s = depot_get(SiteId{id});
        if (!s || !is_decrement(s->op))
            continue;
        const std::vector<Frame> &frames = stack_of(SiteId{id});
        size_t performer = 0; // the function that called the put
        while (performer + 1 < frames.size() && (named_like_a_put(frames[performer].sym->function) ||
                                                 is_plumbing(*frames[performer].sym)))
            ++performer;
        for (size_t k = performer; k < frames.size(); ++k) {
            if (frames[k].sym->function != destructor)
                continue;
            if (k == performer)
                return Suspect{}; // it puts itself
            const std::string &method = frames[k - 1].sym->function;
            if (holder_of(method) == holder && method != destructor && !methods.count(method)) {
                Suspect &m = methods[method];
                m.function = method;
                m.site = SiteId{id};
                m.frame = k - 1;
            }
            break;
        }
    }
    return methods.size() == 1 ? methods.begin()->second : Suspect{};
}

} // namespace

// For each group: a function that freed blocks still pointing at leaked
// objects, more of them than it dropped references beneath it, in at least
// half of the group's objects, and that drops what it frees in reclaimed
// lives, leads.
void name_freed_holders(std::vector<LeakGroup> &groups)
{
    bool any = false;
    for (const LeakGroup &g : groups)
        for (const ObjectSnapshot &o : g.objects)
            any = any || !o.holders_freed.empty();
    if (!any)
        return;
    const FreeingFrames freeing;
    for (LeakGroup &g : groups) {
        // The freeing function is the program's: past the standard
        // library, a static container freed by libc's exit handlers (a
        // vector's buffer still holding the pointers its clear() already
        // put) names no code to fix.
        const std::vector<Frame> &birth = stack_of(g.birth);
        const std::string home = birth.empty() ? std::string() : birth.front().sym->module;
        std::map<std::string, Freeing> by_function;
        for (const ObjectSnapshot &o : g.objects) {
            std::map<std::string, int64_t> unmatched; // holders freed, less references dropped beneath
            for (const SiteCount &h : o.holders_freed) {
                const std::vector<Frame> &frames = stack_of(h.site);
                if (frames.empty())
                    continue;
                const size_t frame = freeing.of(h.site);
                if (frames[frame].sym->module != home)
                    continue;
                const std::string &function = frames[frame].sym->function;
                unmatched[function] += h.events;
                Freeing &f = by_function[function];
                if (h.events > f.most) {
                    f.most = h.events;
                    f.suspect.function = function;
                    f.suspect.site = h.site;
                    f.suspect.frame = frame;
                }
            }
            // A put made through a helper that took what it dropped (the
            // last-match cache cleared by the remove that freed the entry)
            // was the helper's, not one of the freed pointers'.
            const LifeBalances life(o);
            for (auto &u : unmatched) {
                for (const SiteCount &c : o.sites)
                    if (is_decrement(depot_op(c.site)) && functions_on(c.site).count(u.first) &&
                        !life.through_balanced_helper(c.site, frame_of(c.site, u.first)))
                        u.second += c.net; // net of a put is negative
                // More pointers than the object has references: copies left
                // behind (a table's remove shifts its array and leaves the
                // last slot as it was), not references.
                if (u.second > static_cast<int64_t>(o.count))
                    u.second = 0;
                if (u.second > 0) {
                    Suspect &s = by_function[u.first].suspect;
                    s.net += u.second;
                    s.unmatched += 1;
                }
            }
        }
        const Suspect *best = nullptr;
        for (auto &f : by_function) {
            Suspect &s = f.second.suspect;
            if (s.unmatched * 2 < g.objects.size() || !s.unmatched)
                continue;
            // Normal when reclaimed lives show it at least as often as the
            // leaked objects do (a view freeing the object it borrowed);
            // a few among many leaked objects are copies, not the rule.
            if (frees_undropped_in_reclaimed_lives(s.function, freeing, &s.reclaimed) >= s.unmatched)
                continue;
            if (!best || s.unmatched > best->unmatched || (s.unmatched == best->unmatched && s.net > best->net))
                best = &s;
        }
        if (!best)
            continue;
        Suspect lead = *best;
        if (const Suspect method = teardown_method(lead.function); method.site) {
            lead.function = method.function;
            lead.site = method.site;
            lead.frame = method.frame;
        }
        lead.reason = Reason::freed_holder;
        lead.explains = lead.unmatched;
        // A companion or holder release names the function beneath the
        // freeing one that drops the holder's other references, from the
        // puts' stacks: it stays first. A free()'s stack can be short of
        // it (two tail calls in a row: box__put -> box__delete -> free).
        // Blocks that account for fewer than half of the references the
        // group holds do not lead either: the references went elsewhere
        // too, and the pointer a freed block kept may have been handed back
        // to its caller first (a hash map's delete returning the value it
        // held, which the caller then puts).
        // And a function called beneath the freeing one that dropped
        // fewer than it does in reclaimed objects (a call-path owner
        // found from its put, not the kind's put itself) stays first as well: the put missing
        // beneath the freeing function was that one's (an event loop
        // frees each request after its completion callback, and one
        // callback forgot its put on an error path).
        const bool release = !g.suspects.empty() && (g.suspects[0].reason == Reason::companion_release ||
                                                     g.suspects[0].reason == Reason::holder_release);
        const bool minor = lead.net * 2 < static_cast<int64_t>(g.references);
        const bool callee_short = !g.suspects.empty() && g.suspects[0].reason == Reason::short_release &&
                                  g.suspects[0].owns >= lead.unmatched &&
                                  g.suspects[0].frame >= first_frame_past_api(g.suspects[0].site, g.kind) &&
                                  frame_of(g.suspects[0].site, lead.function) > g.suspects[0].frame;
        g.suspects.insert(g.suspects.begin() + (g.suspects.empty() || !(release || minor || callee_short) ? 0 : 1),
                          lead);
    }
}

} // namespace refdebug
