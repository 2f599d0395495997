// SPDX-License-Identifier: MIT
// References handed to another thread: a get made on one thread (main()
// passing req_get(r) to pthread_create()) whose references, in the lives
// the run ended, were all dropped on another thread, by the routine that
// thread started with. The taking thread cannot drop what it handed over;
// where that routine dropped fewer than were handed to it in the leaked
// objects (a worker returning early), it is the one to name, though it
// made no operation on them. Counts alone cannot tell a get with no put
// from a put with no get (an error path that took one too many, or the
// cleanup that never ran); a thread boundary says which side owned it.
#include "report.h"

#include "depot.h"
#include "kinds.h"
#include "owners.h"
#include "stack.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace refdebug {
namespace {

// Fewer ended lives than this say nothing about where references go.
constexpr uint64_t kMinEnded = 2;

// The leading suspects asked for a get handed to another thread: the
// first, or the one after a birth ranked first.
constexpr size_t kAsked = 2;

// The function a stack's thread started in: main() for the main thread, a
// thread's start routine for the others (past libc's start_thread() and
// clone(), and a sanitizer's own thread start, such as TSan's
// __tsan_thread_start_func()); "" where the stack was cut short before its
// thread's entry.
std::string thread_entry(SiteId site)
{
    const std::vector<Frame> &s = stack_of(site);
    size_t i = s.size();
    while (i > 0 && thread_start(s[i - 1].sym->function))
        --i;
    if (i == 0)
        return "";
    const std::string &f = s[i - 1].sym->function;
    if (f == "__libc_start_call_main" || f == "__libc_start_main" || f == "main")
        return "main";
    return i < s.size() ? f : "";
}

// What one thread's routine dropped in ended lives: its put with the most
// drops, and all of them.
struct Drops {
    SiteId site;
    int64_t most = 0;
    int64_t all = 0;
    uint64_t lives = 0;
};

} // namespace

void name_thread_handoffs(std::vector<LeakGroup> &groups)
{
    for (LeakGroup &g : groups) {
        if (g.suspects.empty() || g.kind == "-")
            continue;
        // Another rule's answer stands. The get asked is the first of the
        // leading suspects: counted net, a birth the creator dropped and
        // the get it handed over are alike (a container's lost birth, as
        // container_losses.cpp reads it), and the thread boundary says
        // which it was.
        if (g.suspects.front().reason != Reason::unmatched)
            continue;
        const auto get = std::find_if(g.suspects.begin(), g.suspects.begin() + std::min<size_t>(g.suspects.size(), kAsked),
                                      [](const Suspect &x) {
                                          return x.reason == Reason::unmatched && takes_reference(depot_op(x.site)) &&
                                                 depot_op(x.site) != Op::set;
                                      });
        if (get == g.suspects.begin() + std::min<size_t>(g.suspects.size(), kAsked))
            continue;
        const Suspect top = *get;
        const std::string taker = thread_entry(top.site);
        if (taker.empty())
            continue;
        const Reclaimed reclaimed = reclaimed_of(g);
        uint64_t handed = 0, lives = 0; // the get's references in ended lives, and those lives
        std::map<std::string, Drops> dropped; // other threads' entries -> what they dropped
        for (const auto &r : reclaimed.sites) {
            if (r.site == top.site) {
                handed = r.gets;
                lives = r.lives;
            }
            if (!is_decrement(depot_op(r.site)))
                continue;
            const std::string entry = thread_entry(r.site);
            if (entry.empty() || entry == taker)
                continue;
            Drops &d = dropped[entry];
            d.all += -r.net;
            d.lives = std::max(d.lives, r.lives);
            if (-r.net > d.most) {
                d.most = -r.net;
                d.site = r.site;
            }
        }
        if (lives < kMinEnded)
            continue;
        // The receiving thread: one whose routine dropped as many as the
        // get handed out, within a tenth.
        const auto receiver = std::find_if(dropped.begin(), dropped.end(), [&](const auto &d) {
            return std::llabs(d.second.all - static_cast<int64_t>(handed)) * 10 <= static_cast<int64_t>(handed);
        });
        if (receiver == dropped.end())
            continue;
        Suspect s;
        for (const ObjectSnapshot &o : g.objects) {
            int64_t got = 0, put = 0;
            for (const SiteCount &c : o.sites) {
                if (c.site == top.site)
                    got += c.net;
                else if (is_decrement(depot_op(c.site)) && thread_entry(c.site) == receiver->first)
                    put += -c.net;
            }
            if (put < got) {
                s.unmatched += 1;
                s.net += got - put;
            }
        }
        if (!s.unmatched)
            continue;
        const Wrappers api({}, g.kind);
        s.site = receiver->second.site;
        s.frame = deciding_frame(s.site, api);
        s.function = stack_of(s.site)[s.frame].sym->function;
        s.reason = Reason::thread_handoff;
        s.reclaimed = receiver->second.lives;
        s.explains = s.fits = s.unmatched;
        g.suspects.insert(g.suspects.begin(), s);
    }
}

} // namespace refdebug
