// SPDX-License-Identifier: MIT
// The report as JSON (schema: docs/report.schema.json, "version": 1), for CI
// gates and tools: groups, leaked objects with their histories, suspects with
// their evidence, and every stack they name, symbolized.
#include "depot.h"
#include "output.h"
#include "report.h"
#include "stack.h"
#include "symbolizer.h"

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace refdebug {
namespace {

using nlohmann::json;

const char *state_name(State s)
{
    switch (s) {
    case State::live:
        return "live";
    case State::adopted:
        return "adopted";
    case State::released:
        return "released";
    case State::freed:
        return "freed";
    case State::ignored:
        return "ignored";
    case State::none:
        break;
    }
    return "none";
}

json stack_json(SiteId id)
{
    json frames = json::array();
    const Site *s = depot_get(id);
    for (const Frame &f : stack_of(id)) {
        frames.push_back({{"pc", hex(f.pc)},
                          {"function", f.sym->function},
                          {"file", f.sym->file},
                          {"line", f.sym->line},
                          {"module", f.sym->module},
                          {"inlined", f.sym->inlined},
                          {"tail_call", f.tail_called}});
    }
    return {{"op", s ? op_name(s->op) : "?"}, {"frames", std::move(frames)}};
}

} // namespace

bool write_json(const std::string &path, const JsonHeader &h, const Analysis &a)
{
    const int fd = open_output_file(path);
    if (fd < 0) {
        warn("cannot write JSON report to '" + path + "' (" + std::strerror(errno) + ")");
        return false;
    }
    std::set<uint32_t> named; // every site the report refers to
    json groups = json::array();
    for (size_t gi = 0; gi < a.groups.size(); ++gi) {
        const LeakGroup &g = a.groups[gi];
        json suspects = json::array(), objects = json::array();
        for (size_t r = 0; r < g.suspects.size(); ++r) {
            const Suspect &s = g.suspects[r];
            const Symbol &sym = *stack_of(s.site)[s.frame].sym;
            suspects.push_back({{"rank", r + 1},
                                {"function", s.function},
                                {"reason", reason_name(s.reason)},
                                {"location", sym.location()},
                                {"site", s.site.value},
                                {"frame", s.frame},
                                {"net", s.net},
                                {"unmatched_objects", s.unmatched},
                                {"reclaimed_objects", s.reclaimed},
                                {"fitting_objects", s.fits},
                                {"owned_objects", s.owns},
                                {"explained_objects", s.explains}});
            named.insert(s.site.value);
        }
        for (const ObjectSnapshot &o : g.objects) {
            json history = json::array();
            for (const Event &e : o.history) {
                history.push_back({{"seq", e.seq},
                                   {"site", e.site.value},
                                   {"old", e.old_count},
                                   {"new", e.new_count},
                                   {"thread", e.tid}});
                named.insert(e.site.value);
            }
            objects.push_back({{"address", hex(o.address)},
                               {"state", state_name(o.state)},
                               {"count", o.count},
                               {"baseline", o.baseline},
                               {"life", o.life},
                               {"events", o.events},
                               {"history", std::move(history)}});
        }
        named.insert(g.birth.value);
        groups.push_back({{"id", gi + 1},
                          {"kind", g.kind},
                          {"objects", g.objects.size()},
                          {"references", g.references},
                          {"birth", g.birth.value},
                          {"cascade_of", g.cascade_of >= 0 ? json(g.cascade_of + 1) : json(nullptr)},
                          {"suspects", std::move(suspects)},
                          {"leaked", std::move(objects)}});
    }
    json errors = json::array();
    for (const ErrorSite &e : h.error_sites) {
        json entry = {{"kind", error_name(e.kind)}, {"site", e.site.value}, {"count", e.count}};
        if (e.suspect_site) {
            entry["suspect"] = {{"function", e.suspect}, {"site", e.suspect_site.value}};
            named.insert(e.suspect_site.value);
        }
        errors.push_back(std::move(entry));
        named.insert(e.site.value);
    }
    json sites = json::object();
    for (uint32_t id : named)
        if (depot_get(SiteId{id}))
            sites[std::to_string(id)] = stack_json(SiteId{id});
    const json report = {
        {"schema", "refdebug-report"},
        {"version", 1},
        {"program", h.program},
        {"pid", h.pid},
        {"report", h.what},
        {"summary",
         {{"leaked_objects", a.leaked_objects},
          {"leaked_references", a.leaked_references},
          {"errors", h.errors},
          {"suppressed_objects", a.suppressed_objects},
          {"suppressed_references", a.suppressed_references},
          {"suppressed_errors", h.suppressed_errors},
          {"unrecorded_operations", a.unrecorded_operations},
          {"uncertain_objects", a.uncertain_objects}}},
        {"stats", {{"objects", a.objects}, {"events", a.events}, {"unique_stacks", depot_count()}}},
        {"groups", std::move(groups)},
        {"errors", std::move(errors)},
        {"sites", std::move(sites)},
    };
    Writer out(fd, path);
    out << report.dump(1) << "\n";
    out.flush();
    return true;
}

} // namespace refdebug
