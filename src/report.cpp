// SPDX-License-Identifier: MIT
// Leak analysis: which objects leaked and their groups; the ranking of
// each group's suspects is suspects.cpp's (with owners.cpp; kinds and
// wrappers in kinds.cpp, cascades and holders in cascades.cpp);
// text_report.cpp, json_report.cpp and site_table.cpp render it.
#include "report.h"

#include "depot.h"
#include "stack.h"
#include "symbolizer.h"
#include "suppressions.h"

#include <algorithm>
#include <climits>
#include <link.h>

namespace refdebug {

const char *op_name(Op op)
{
    switch (op) {
    case Op::set:
        return "set";
    case Op::inc:
        return "inc";
    case Op::inc_not_zero:
        return "inc_not_zero";
    case Op::dec:
        return "dec";
    case Op::sub:
        return "sub";
    case Op::dec_not_one:
        return "dec_not_one";
    case Op::dec_if_one:
        return "dec_if_one";
    case Op::free:
        return "free";
    case Op::holder_freed:
        return "holder_freed";
    case Op::none:
        break;
    }
    return "?";
}

namespace {

// Writable segments of every loaded object: static storage.
std::vector<std::pair<uintptr_t, uintptr_t>> static_ranges()
{
    std::vector<std::pair<uintptr_t, uintptr_t>> ranges;
    dl_iterate_phdr(
        [](dl_phdr_info *info, size_t, void *ctx) {
            auto *r = static_cast<std::vector<std::pair<uintptr_t, uintptr_t>> *>(ctx);
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr) &ph = info->dlpi_phdr[i];
                if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W))
                    r->emplace_back(info->dlpi_addr + ph.p_vaddr, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
            }
            return 0;
        },
        &ranges);
    return ranges;
}

Storage storage_of(const ObjectSnapshot &o, const std::vector<std::pair<uintptr_t, uintptr_t>> &statics)
{
    if (o.on_stack)
        return Storage::stack;
    for (const auto &r : statics)
        if (o.address >= r.first && o.address < r.second)
            return Storage::global;
    return Storage::heap;
}

} // namespace

uint64_t leaked_references(const ObjectSnapshot &o, Storage storage, int pid)
{
    if (o.pid != pid || o.count == UINT_MAX || storage == Storage::stack || o.count_unknown)
        return 0;
    if (o.inherited) // a forked child's share: what it added on net
        return o.count > o.fork_count ? o.count - o.fork_count : 0;
    if (o.state == State::live && storage == Storage::heap)
        return o.count;
    if (o.state == State::live || o.state == State::adopted)
        return o.count > o.baseline ? o.count - o.baseline : 0;
    return 0;
}

const char *reason_name(Reason r)
{
    switch (r) {
    case Reason::short_release:
        return "short_release";
    case Reason::holder_release:
        return "holder_release";
    case Reason::companion_release:
        return "companion_release";
    case Reason::freed_holder:
        return "freed_holder";
    case Reason::slot_refill:
        return "slot_refill";
    case Reason::container_removal:
        return "container_removal";
    case Reason::thread_handoff:
        return "thread_handoff";
    case Reason::error_path:
        return "error_path";
    case Reason::absent_release:
        return "absent_release";
    case Reason::unmatched:
        break;
    }
    return "unmatched";
}

Analysis analyze(uint64_t since_epoch)
{
    Analysis a;
    a.unrecorded_operations = registry_unrecorded_ops();
    const int pid = registry_pid();
    const auto statics = static_ranges();
    std::map<uint32_t, LeakGroup> by_birth;

    // Every stack read first, so that functions of one name declared in
    // different files are told apart before any rule compares names.
    for (uint32_t id = 1; id <= depot_count(); ++id)
        stack_of(SiteId{id});
    if (qualify_shared_names())
        forget_function_sets();

    for (uint32_t id = 1; id <= depot_count(); ++id) {
        const Site *s = depot_get(SiteId{id});
        if (!s || is_memory_event(s->op))
            continue;
        SiteRow &row = a.rows[id];
        row.events = s->ended_events.load(std::memory_order_relaxed);
        row.objects = s->ended_objects.load(std::memory_order_relaxed);
    }
    registry_for_each([&](const ObjectSnapshot &o) {
        // Each process is blamed for what it did: another's lives (inherited
        // at fork and left alone) are not this one's to count.
        if (o.state == State::none || o.state == State::ignored || o.pid != pid)
            return;
        a.events += o.all_events; // earlier lives at a reused address too
        a.objects += o.life;
        if (o.state != State::live && o.state != State::adopted)
            return;
        for (const SiteCount &c : o.sites) {
            auto it = a.rows.find(c.site.value);
            if (it != a.rows.end()) {
                it->second.events += c.events;
                it->second.objects += 1;
            }
        }
        if (o.epoch < since_epoch)
            return;
        if (o.count_unknown) { // never a leak we cannot vouch for
            a.uncertain_objects += 1;
            return;
        }
        const uint64_t refs = leaked_references(o, storage_of(o, statics), pid);
        if (!refs)
            return;
        LeakGroup &g = by_birth[o.birth.value];
        g.birth = o.birth;
        g.objects.push_back(o);
        g.references += refs;
        a.leaked_objects += 1;
        a.leaked_references += refs;
        for (const SiteCount &c : o.sites) {
            auto it = a.rows.find(c.site.value);
            if (it != a.rows.end()) {
                it->second.leaked_objects += 1;
                it->second.outstanding += c.net;
            }
        }
    });

    for (auto &entry : by_birth) {
        LeakGroup &g = entry.second;
        std::vector<const ObjectSnapshot *> lives;
        for (const ObjectSnapshot &o : g.objects)
            lives.push_back(&o);
        g.kind = kind_of_lives(g.birth, lives);
        std::vector<uint64_t> left;
        for (const ObjectSnapshot &o : g.objects)
            left.push_back(leaked_references(o, storage_of(o, statics), pid));
        rank_suspects(g, left);
        for (const ObjectSnapshot &o : g.objects)
            for (const SiteCount &c : o.sites)
                if (a.rows.count(c.site.value) && a.rows[c.site.value].kind == "-")
                    a.rows[c.site.value].kind = g.kind;
        a.groups.push_back(std::move(g));
    }
    std::stable_sort(a.groups.begin(), a.groups.end(),
                     [](const LeakGroup &x, const LeakGroup &y) { return x.references > y.references; });
    mark_cascades(a.groups);
    lead_cascades_with_births(a.groups);
    // Companions first: their evidence is local to the get's call path
    // and counted, a holder's is the kind's at large.
    name_companion_releases(a.groups, a.rows);
    name_holder_releases(a.groups);
    name_container_losses(a.groups);
    name_slot_refills(a.groups, a.rows);
    name_error_paths(a.groups);
    // Last, so that it leads: a freed block's pointer is the reference itself.
    name_freed_holders(a.groups);
    name_thread_handoffs(a.groups);
    name_absent_releases(a.groups);
    return a;
}

void suppress_leaks(Analysis &a, const std::vector<std::string> &globs)
{
    if (globs.empty())
        return;
    std::vector<LeakGroup> kept;
    for (LeakGroup &g : a.groups) {
        if (!stack_matches(globs, g.birth)) {
            kept.push_back(std::move(g));
            continue;
        }
        a.suppressed_objects += g.objects.size();
        a.suppressed_references += g.references;
        a.leaked_objects -= g.objects.size();
        a.leaked_references -= g.references;
    }
    a.groups = std::move(kept);
}

} // namespace refdebug
