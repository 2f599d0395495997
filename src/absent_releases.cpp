// SPDX-License-Identifier: MIT
// Absent releases: a function drops references in (nearly) every life the
// run reclaimed, as many each time as the leaked objects still hold, and
// made no operation at all on the leaked ones. A detach that drops the
// child's reference to its group unless the group is frozen: the group's
// attach took the reference in every life, which is normal and explains
// nothing, and the detach that skipped its put left no trace on the
// leaked group. What reclaimed lives say it always does, and did not do
// here, names it.
#include "report.h"

#include "depot.h"
#include "kinds.h"
#include "owners.h"
#include "stack.h"

#include <cmath>
#include <map>
#include <set>
#include <string>

namespace refdebug {
namespace {

// Fewer reclaimed lives than this cannot say what every life does.
constexpr uint64_t kMinReclaimed = 4;

struct Dropper {
    int64_t net = 0;   // dropped in reclaimed lives
    uint64_t most = 0; // reclaimed lives through its busiest site
    SiteId site;       // that site
    size_t frame = 0;
    bool takes = false; // took references too, or ran under the taker: no release of its own
};

} // namespace

void name_absent_releases(std::vector<LeakGroup> &groups)
{
    for (LeakGroup &g : groups) {
        // Only where the counts explain nothing and no other rule spoke:
        // the leading get is normal (reclaimed lives make it too) and fits
        // no object.
        if (g.cascade_of >= 0 || g.kind == "-" || g.suspects.empty() || g.suspects[0].explains ||
            g.suspects[0].reason != Reason::unmatched || !g.suspects[0].reclaimed || g.objects.empty())
            continue;
        // A release the leading get's own function makes (its put helper,
        // finish(c)) is that function's to call: it is named already.
        const std::string &taker = g.suspects[0].function;
        const Reclaimed reclaimed = reclaimed_of(g);
        if (reclaimed.lives < kMinReclaimed)
            continue;
        std::vector<SiteId> group_sites;
        std::set<std::string> present; // every function on a leaked object's stacks
        for (const ObjectSnapshot &o : g.objects)
            for (const SiteCount &c : o.sites) {
                group_sites.push_back(c.site);
                const std::set<std::string> &on = functions_on(c.site);
                present.insert(on.begin(), on.end());
            }
        const Wrappers wrappers(group_sites, g.kind);
        std::map<std::string, Dropper> droppers;
        for (const Reclaimed::Row &r : reclaimed.sites) {
            const std::vector<Frame> &s = stack_of(r.site);
            const size_t at = distinguishing_frame(r.site, wrappers);
            if (at >= s.size())
                continue;
            Dropper &d = droppers[s[at].sym->function];
            if (takes_reference(depot_op(r.site)) || functions_on(r.site).count(taker)) {
                d.takes = true;
                continue;
            }
            d.net += r.net;
            if (r.lives > d.most) {
                d.most = r.lives;
                d.site = r.site;
                d.frame = at;
            }
        }
        const double left = double(g.references) / double(g.objects.size());
        const std::pair<const std::string, Dropper> *found = nullptr;
        bool ambiguous = false;
        for (const auto &d : droppers) {
            if (d.second.takes || d.second.net >= 0 || present.count(d.first) || d.first == "??" ||
                d.second.most * 10 < reclaimed.lives * 9)
                continue;
            if (std::abs(-double(d.second.net) / double(reclaimed.lives) - left) >= 0.5)
                continue;
            ambiguous = ambiguous || found;
            found = &d;
        }
        if (!found || ambiguous)
            continue;
        Suspect s;
        s.function = found->first;
        s.reason = Reason::absent_release;
        s.site = found->second.site;
        s.frame = found->second.frame;
        s.net = static_cast<int64_t>(g.references);
        s.unmatched = s.explains = s.fits = g.objects.size();
        s.reclaimed = found->second.most;
        g.suspects.insert(g.suspects.begin(), s);
    }
}

} // namespace refdebug
