// SPDX-License-Identifier: MIT
// Report time: everything expensive (symbols, grouping, ranking) happens
// here, once, over snapshots of the registry.
#pragma once

#include "ids.h"
#include "kinds.h"
#include "output.h"
#include "registry.h"
#include "symbolizer.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace refdebug {

// Where an object's memory lives decides what counts as a leak.
enum class Storage : uint8_t { heap, stack, global };

// References an object still holds that nobody will drop: for a heap object
// born at refcount_set() its count; for an adopted one, or one in static
// storage, only what its count exceeds the count it started with; for one a
// forked child inherited, what its count exceeds the count at fork; 0 for
// objects on a stack, saturated ones, other processes' ones, ended lives,
// and lives whose count changed unrecorded (it may be stale).
uint64_t leaked_references(const ObjectSnapshot &o, Storage storage, int pid);

// Why a function is suspected.
enum class Reason : uint8_t {
    unmatched,     // its references stay unmatched: a get with no put
    short_release, // its refcount_sub_and_test() left the object alive: a put of too few
    holder_release, // it released the holders that took these references, without them
    companion_release, // it dropped the references taken with these, not these
    freed_holder,  // it freed blocks still pointing at these, without dropping their references
    slot_refill,   // it put other objects in these objects' holders, without dropping these
    container_removal, // it took these out of their container, without dropping the container's reference
    thread_handoff, // its thread was handed these references by another thread, and dropped fewer than it was handed
    error_path,     // on a path only leaked objects took, it dropped some of what was taken beneath it, and kept these
    absent_release, // it drops as many in (nearly) every reclaimed life, and made no operation on these
};

// A function suspected of holding a leak group's missing put: the
// distinguishing function of sites whose net, per leaked object, stays
// positive, or of a batch put (sub) that left a leaked object alive.
struct Suspect {
    std::string function;    // the distinguishing function
    Reason reason = Reason::unmatched;
    SiteId site;             // its site that added most references (for a short release: its sub)
    size_t frame = 0;        // the distinguishing frame's index in that site's stack
    int64_t net = 0;         // references it added (short release: left behind), over the group's leaked objects
    size_t unmatched = 0;    // leaked objects in which it is net positive (short release: in which it put)
    uint64_t reclaimed = 0;  // ended lives that went through its site's call path, out to its frame
    size_t fits = 0;         // leaked objects whose leaked references could hold all of its net
    size_t owns = 0;         // leaked objects in which it is an unmatched reference's call-path owner
    size_t explains = 0;     // leaked objects it explains: it fits there, or owns a reference there
    int64_t owned_net = 0;   // references it kept as a call-path owner, over the group
};

struct LeakGroup {
    SiteId birth;
    std::string kind;                    // inferred object kind, "-" when unknown
    std::vector<ObjectSnapshot> objects; // leaked ones
    uint64_t references = 0;
    std::vector<Suspect> suspects;       // ranked
    int cascade_of = -1;                 // index (in groups) of the group whose release releases these
};

// One row of the site table.
struct SiteRow {
    uint64_t events = 0;
    uint64_t objects = 0;
    uint64_t leaked_objects = 0;
    int64_t outstanding = 0;
    std::string kind = "-";
};

struct Analysis {
    std::vector<LeakGroup> groups; // most references first
    std::map<uint32_t, SiteRow> rows; // by site id
    uint64_t leaked_objects = 0;
    uint64_t leaked_references = 0;
    uint64_t suppressed_objects = 0;    // leaked, but silenced by a leak: suppression
    uint64_t suppressed_references = 0;
    uint64_t unrecorded_operations = 0; // applied without a record (out of memory, re-entry)
    uint64_t uncertain_objects = 0;     // alive, count changed unrecorded: left out of the leaks
    uint64_t objects = 0; // lives seen (current ones and ended ones)
    uint64_t events = 0;
};

// Gathers every object whose life started at or after epoch (0: all).
Analysis analyze(uint64_t since_epoch);

// Ranks g's suspects (suspects.cpp); lefts[i]: the references g.objects[i]
// still holds (leaked_references()).
void rank_suspects(LeakGroup &g, const std::vector<uint64_t> &lefts);

// For an error on an over-released object (use after release, underflow):
// the function that dropped more references than it took on this life,
// each operation credited to its distinguishing function, the failing one
// (at) and the birth left out, and drops paired with the takers beside
// them as for leaks; no site when none did (suspects.cpp).
Suspect over_release_suspect(const ObjectSnapshot &o, SiteId at);

// For an object freed while referenced: the function that took the most
// references it did not drop (per function, the birth left out: its owner
// is the one freeing the block), or no site.
Suspect kept_references_suspect(const ObjectSnapshot &o);

// Marks each group whose objects are normally released inside the release of
// another group's objects as its cascade, and orders roots first, each
// followed by its cascades.
void mark_cascades(std::vector<LeakGroup> &groups);

// Cascade groups whose birth, held by the leaked holder, explains every
// object: the birth leads the gets ranked before it that explain fewer.
void lead_cascades_with_births(std::vector<LeakGroup> &groups);

// Roots whose references another kind's methods took, while objects of
// that kind were released and none leaked: the holder's destructor becomes
// suspect #1 (Reason::holder_release).
void name_holder_releases(std::vector<LeakGroup> &groups);

// Groups whose unmatched references were taken along with references of
// other kinds (through one call, into one plain struct) that a function
// called beside it drops: that function becomes suspect #1
// (Reason::companion_release). rows: every site's events.
void name_companion_releases(std::vector<LeakGroup> &groups, const std::map<uint32_t, SiteRow> &rows);

// Root groups whose objects hold only their birth's reference, never
// dropped by the function that drops it in most lives born there and
// ended (a container's purge): the container lost it (an eviction that
// unlinks without a put). The birth, where the container made the
// object, becomes suspect #1, not a caller it was returned to.
void name_container_losses(std::vector<LeakGroup> &groups);

// Groups whose leading unmatched get made its holder's reference, where
// the holder's release dropped as many as that get took, and in other
// lives dropped what another function took beside it: that function
// refilled the slot without dropping the old reference, and becomes
// suspect #1 (Reason::slot_refill). rows: every site's events.
void name_slot_refills(std::vector<LeakGroup> &groups, const std::map<uint32_t, SiteRow> &rows);

// Groups whose objects were pointed at by blocks a function freed without
// dropping the references they held (more blocks than puts beneath it),
// while in reclaimed lives it drops what it frees: that function becomes
// suspect #1 (Reason::freed_holder).
void name_freed_holders(std::vector<LeakGroup> &groups);

// Error paths (error_paths.cpp): where the unmatched get is one reclaimed
// lives make too, and a function on its call path made a put no reclaimed
// life made while still holding what was taken beneath it, in most leaked
// objects, that function leads (Reason::error_path).
void name_error_paths(std::vector<LeakGroup> &groups);

// Absent releases (absent_releases.cpp): where the leading get is normal
// and explains no leaked object, a function that drops in nearly every
// reclaimed life as many as the leaked objects hold, and made no
// operation on them, leads (Reason::absent_release).
void name_absent_releases(std::vector<LeakGroup> &groups);

// References handed to another thread (thread_handoffs.cpp): where a get's
// references were dropped on another thread in every ended life, by the
// routine that thread started with, and that routine dropped fewer in the
// leaked objects, it leads.
void name_thread_handoffs(std::vector<LeakGroup> &groups);

// Drops the leak groups whose birth stack matches a leak: glob, counting them as suppressed.
void suppress_leaks(Analysis &a, const std::vector<std::string> &globs);

const char *reason_name(Reason r);

// Texts.
void print_stack(Writer &out, SiteId site, const char *indent, size_t max_frames);
void print_history(Writer &out, const ObjectSnapshot &o, size_t max_frames);
// suspect: over_release_suspect()'s answer, printed when it names a site.
void print_error(Writer &out, ErrorKind e, const ObjectSnapshot &o, SiteId at, uint32_t tid,
                 const Suspect &suspect = Suspect{});
// The leak report; returns nothing, prints the SUMMARY line with errors included.
// suppressed_errors: errors silenced by error: suppressions, shown beside the
// suppressed leaks on the line before SUMMARY.
void print_report(Writer &out, const Analysis &a, uint64_t errors, uint64_t suppressed_errors, bool stats,
                  const std::string &title, const std::string &sites_path);

// Outstanding references as folded stacks ("outer;...;inner N"): each
// suspect's stack with the references it leaves unmatched; false when path
// cannot be written.
bool write_folded(const std::string &path, const Analysis &a);

// Errors reported so far, by kind and stack (for JSON, and refdebug diff).
struct ErrorSite {
    ErrorKind kind = ErrorKind::none;
    SiteId site;
    uint64_t count = 0;
    // Which put had no get, at the first such error (over_release_suspect()).
    std::string suspect;
    SiteId suspect_site;
};

// What the JSON report says about itself.
struct JsonHeader {
    std::string program;
    int pid = 0;
    std::string what; // "exit", "live" or "since-checkpoint"
    uint64_t errors = 0, suppressed_errors = 0;
    std::vector<ErrorSite> error_sites;
};

// The report as JSON (docs/report.schema.json); false when path cannot be written.
bool write_json(const std::string &path, const JsonHeader &header, const Analysis &a);

// The site table (TSV); false when it went to stderr instead (path unwritable).
bool write_site_table(const std::string &path, const Analysis &a, const std::string &program, int pid);

} // namespace refdebug
