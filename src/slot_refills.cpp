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
#include <unordered_map>
#include <vector>

namespace refdebug {
namespace {

// A frame as the code says it: function and call line.
std::string at(const Frame &f) { return f.sym->function + " (" + f.sym->location() + ")"; }

// What one site says, for one kind, computed once: which frame decides it,
// as a taker's key, and for a drop, its release (the frame that decides it,
// and the function that called that one: one helper, such as
// map_symbol__exit, serves several holders' releases).
struct SiteFacts {
    std::vector<std::string> frames; // every frame, at()
    size_t deciding = 0;             // deciding_frame(); frames.size() when none
    std::string release;             // for a drop; "" when none
    std::string releaser;            // the function deciding that drop
    std::string release_caller;      // the function that called it, or ""
};

class Facts {
  public:
    explicit Facts(std::string kind) : kind_(std::move(kind)), api_({}, kind_) {}

    const SiteFacts &of(SiteId site)
    {
        auto it = memo_.find(site.value);
        if (it != memo_.end())
            return it->second;
        SiteFacts f;
        const std::vector<Frame> &s = stack_of(site);
        for (const Frame &fr : s)
            f.frames.push_back(at(fr));
        f.deciding = s.empty() ? 0 : deciding_frame(site, api_);
        if (f.deciding > s.size())
            f.deciding = s.size();
        if (is_decrement(depot_op(site))) {
            const size_t d = first_frame_past_api(site, kind_, true);
            if (d < s.size()) {
                f.release = f.frames[d] + (d + 1 < s.size() ? " <- " + s[d + 1].sym->function : std::string());
                f.releaser = s[d].sym->function;
                if (d + 1 < s.size())
                    f.release_caller = s[d + 1].sym->function;
            }
        }
        return memo_.emplace(site.value, std::move(f)).first->second;
    }

    bool through_any(SiteId site, const std::set<std::string> &frames)
    {
        for (const std::string &frame : of(site).frames)
            if (frames.count(frame))
                return true;
        return false;
    }

  private:
    std::string kind_;
    Wrappers api_;
    std::unordered_map<uint32_t, SiteFacts> memo_;
};

struct Taker {
    uint64_t lives = 0; // lives in which it took exactly what the release dropped beyond the maker's
    SiteId site;        // one of its sites
    size_t frame = 0;
};

struct Release {
    uint64_t with_maker = 0;    // ended lives in which it dropped all the maker took
    uint64_t surplus_lives = 0; // lives in which it dropped more than the maker took
    std::map<std::string, Taker> takers; // by deciding frame
};

// For one leaked group, its unmatched get (the maker) and the releases
// worth asking: who took what each dropped beyond the maker's references,
// per life a taker whose references there are exactly that surplus; and
// in how many lives each taker took at all.
struct Slots {
    uint64_t maker_ended = 0; // ended lives in which the maker took references
    std::map<std::string, Release> releases;
    std::map<std::string, uint64_t> took_lives;
};

Slots releases_of(const LeakGroup &g, const std::set<std::string> &makers, const std::set<std::string> &made_by,
                  const std::set<std::string> &asked, Facts &facts)
{
    const int pid = registry_pid();
    std::set<uintptr_t> leaked;
    for (const ObjectSnapshot &o : g.objects)
        leaked.insert(o.address);
    Slots slots;
    // Lives born where the kind is made, or where no kind is named (the
    // birth inlined away, an adopted life): kind_of_lives() decides those.
    std::unordered_map<uint32_t, bool> births;
    const auto wanted = [&](SiteId birth) {
        auto it = births.find(birth.value);
        if (it == births.end()) {
            const std::string kind = infer_kind(birth);
            it = births.emplace(birth.value, kind == g.kind || kind == "-").first;
        }
        return it->second;
    };
    registry_for_each_born(wanted, [&](const ObjectSnapshot &o) {
        if (o.state == State::none || o.state == State::ignored || o.pid != pid || o.sites.empty())
            return;
        const bool ended = o.state == State::released || o.state == State::freed;
        if ((!ended && leaked.count(o.address)) || kind_of_lives(o.birth, {&o}) != g.kind)
            return;
        int64_t by_maker = 0;
        std::map<std::string, int64_t> dropped;                 // release -> references
        std::map<std::string, std::pair<int64_t, Taker>> taken; // deciding frame -> net
        std::map<std::string, int64_t> own;                     // function -> net of its own operations
        for (const SiteCount &c : o.sites) {
            const Op op = depot_op(c.site);
            const SiteFacts &f = facts.of(c.site);
            if (f.deciding >= f.frames.size())
                continue;
            const std::string &function = stack_of(c.site)[f.deciding].sym->function;
            own[function] += c.net;
            if (takes_reference(op) && facts.through_any(c.site, makers)) {
                by_maker += c.net;
            } else if (takes_reference(op)) {
                auto &t = taken[f.frames[f.deciding]];
                t.first += c.net;
                t.second.site = c.site;
                t.second.frame = f.deciding;
            } else if (is_decrement(op) && asked.count(f.release)) {
                dropped[f.release] -= c.net;
            }
        }
        if (ended && by_maker > 0)
            slots.maker_ended += 1;
        for (const auto &t : taken)
            if (t.second.first > 0)
                slots.took_lives[t.first] += 1;
        for (const auto &d : dropped) {
            Release &r = slots.releases[d.first];
            if (ended && by_maker > 0 && d.second >= by_maker)
                r.with_maker += 1;
            const int64_t surplus = d.second - by_maker;
            if (surplus <= 0)
                continue;
            r.surplus_lives += 1;
            for (const auto &t : taken) {
                const std::string &function = stack_of(t.second.second.site)[t.second.second.frame].sym->function;
                // One that dropped what it took here balanced itself.
                if (t.second.first != surplus || made_by.count(function) || own[function] <= 0)
                    continue;
                Taker &taker = r.takers[t.first];
                taker.lives += 1;
                taker.site = t.second.second.site;
                taker.frame = t.second.second.frame;
            }
        }
    });
    return slots;
}

// Whether the release dropped references of the group's leaked objects.
bool drops_in(const LeakGroup &g, const std::string &release, Facts &facts)
{
    for (const ObjectSnapshot &o : g.objects)
        for (const SiteCount &c : o.sites)
            if (is_decrement(depot_op(c.site)) && facts.of(c.site).release == release)
                return true;
    return false;
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
// drops the kind itself. The site totals say which releases dropped as
// many as the maker took, in a function other than the maker's that takes
// nothing of the kind; only those send the report through the lives.
Suspect refiller(const LeakGroup &g, const Suspect &maker, const std::map<std::string, std::string> &makers,
                 const std::map<uint32_t, SiteRow> &rows, Facts &facts)
{
    const std::string function = stack_of(maker.site)[maker.frame].sym->function;
    std::set<std::string> frames, made_by; // the makers' deciding frames, and their functions
    for (const auto &m : makers) {
        frames.insert(m.first);
        made_by.insert(m.second);
    }
    uint64_t made = 0;                          // references the makers took, every life
    std::map<std::string, uint64_t> drops;      // release -> references it dropped, every life
    std::map<std::string, std::string> releaser; // release -> its deciding function
    std::map<std::string, std::string> release_caller; // release -> the function calling that one
    std::set<std::string> takers;               // functions beneath which a reference of the kind was taken
    for (const auto &r : rows) {
        const SiteId site{r.first};
        const Op op = depot_op(site);
        if (takes_reference(op) && facts.through_any(site, frames))
            made += r.second.events;
        if (takes_reference(op) && infer_kind(site) == g.kind)
            takers.insert(functions_on(site).begin(), functions_on(site).end());
        else if (is_decrement(op) && infer_kind(site) == g.kind && !facts.of(site).release.empty()) {
            drops[facts.of(site).release] += r.second.events;
            releaser[facts.of(site).release] = facts.of(site).releaser;
            release_caller[facts.of(site).release] = facts.of(site).release_caller;
        }
    }
    // A holder's release is another function than its maker, and takes
    // nothing of the kind itself.
    std::set<std::string> asked;
    for (const auto &d : drops)
        if (d.second == made && !made_by.count(releaser[d.first]) && !takers.count(releaser[d.first]))
            asked.insert(d.first);
    if (asked.empty())
        return Suspect{};
    const Slots slots = releases_of(g, frames, made_by, asked, facts);
    for (const auto &r : slots.releases) {
        const Release &release = r.second;
        // Where lives the maker took references in ended, the release
        // must have dropped them in one; where none did, the totals speak.
        if ((slots.maker_ended && !release.with_maker) || !release.surplus_lives)
            continue;
        // Where the totals speak alone, they may meet by chance (two
        // drivers' open and release, as many of each): the release must
        // then have dropped references of the leaked objects themselves
        // (a handle's destructor, run for the holders not refilled), or be
        // the maker's holder's by name (widget__delete() for
        // widget__new()), or one called by it.
        const std::string holder = holder_of(function);
        if (!slots.maker_ended && !drops_in(g, r.first, facts) &&
            (holder.empty() ||
             (holder_of(releaser[r.first]) != holder && holder_of(release_caller[r.first]) != holder)))
            continue;
        const Taker *only = nullptr;
        size_t covering = 0;
        for (const auto &t : release.takers)
            if (t.second.lives == release.surplus_lives && t.second.lives * 2 > slots.took_lives.at(t.first)) {
                only = &t.second;
                ++covering;
            }
        if (covering != 1)
            continue;
        const std::string &taker = stack_of(only->site)[only->frame].sym->function;
        // One beneath the maker (or the maker beneath it) fills the same
        // slot on its behalf.
        if (drops_any(taker, g.kind, rows) || depth_of(maker.site, taker) < maker.frame ||
            depth_of(only->site, function) < only->frame || made_by.count(taker))
            continue;
        Suspect s;
        s.function = taker;
        s.site = only->site;
        s.frame = only->frame;
        return s;
    }
    return Suspect{};
}

// The maker's fellows: where a holder's slot is filled by more than one
// maker (a document's buffer made by doc_new() or shared by
// doc_clone()), the leaked objects show the others taking references
// they never dropped themselves, beside the maker's. By deciding frame,
// with its function.
std::map<std::string, std::string> fellow_makers(const LeakGroup &g, const std::string &maker_function, Facts &facts)
{
    std::map<std::string, int64_t> own;                // function -> net of its own operations
    std::map<std::string, std::set<std::string>> took; // function -> deciding frames of its takes
    for (const ObjectSnapshot &o : g.objects)
        for (const SiteCount &c : o.sites) {
            const SiteFacts &f = facts.of(c.site);
            if (f.deciding >= f.frames.size())
                continue;
            const std::string &function = stack_of(c.site)[f.deciding].sym->function;
            own[function] += c.net;
            if (takes_reference(depot_op(c.site)))
                took[function].insert(f.frames[f.deciding]);
        }
    std::map<std::string, std::string> fellows;
    for (const auto &t : took)
        if (t.first != maker_function && own[t.first] > 0)
            for (const std::string &frame : t.second)
                fellows.emplace(frame, t.first);
    return fellows;
}

} // namespace

// A group whose leading unmatched gets include one a refiller replaced:
// the refiller leads, the maker's evidence with it.
void name_slot_refills(std::vector<LeakGroup> &groups, const std::map<uint32_t, SiteRow> &rows)
{
    constexpr size_t kMakers = 3; // the leading suspects asked
    std::map<std::string, Facts> facts; // by kind
    for (LeakGroup &g : groups) {
        // Another rule's answer stands: theirs is evidence of a release.
        if (g.suspects.empty() || g.suspects[0].reason != Reason::unmatched || g.kind == "-")
            continue;
        Facts &kind_facts = facts.try_emplace(g.kind, g.kind).first->second;
        for (size_t k = 0; k < g.suspects.size() && k < kMakers; ++k) {
            const Suspect &maker = g.suspects[k];
            if (maker.reason != Reason::unmatched || !takes_reference(depot_op(maker.site)))
                continue;
            const Frame &made_at = stack_of(maker.site)[maker.frame];
            std::map<std::string, std::string> makers{{at(made_at), made_at.sym->function}};
            Suspect s = refiller(g, maker, makers, rows, kind_facts);
            // Failing the maker alone, with the makers beside it.
            const std::map<std::string, std::string> fellows = fellow_makers(g, made_at.sym->function, kind_facts);
            if (!s.site && !fellows.empty()) {
                makers.insert(fellows.begin(), fellows.end());
                s = refiller(g, maker, makers, rows, kind_facts);
            }
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
