// SPDX-License-Identifier: MIT
// The site table: TSV for grep and awk, one row per (stack, operation),
// rows still holding references first.
#include "depot.h"
#include "output.h"
#include "report.h"
#include "stack.h"
#include "symbolizer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace refdebug {
namespace {

// TSV cells must not contain tabs or newlines.
std::string cell(std::string s)
{
    std::replace_if(s.begin(), s.end(), [](char c) { return c == '\t' || c == '\n'; }, ' ');
    return s;
}

} // namespace

bool write_site_table(const std::string &path, const Analysis &a, const std::string &program, int pid)
{
    Writer out(path); // on failure: one warning, and the table goes to stderr

    std::vector<uint32_t> ids;
    for (const auto &r : a.rows)
        ids.push_back(r.first);
    std::stable_sort(ids.begin(), ids.end(), [&](uint32_t x, uint32_t y) {
        const SiteRow &rx = a.rows.at(x), &ry = a.rows.at(y);
        if ((rx.outstanding != 0) != (ry.outstanding != 0))
            return rx.outstanding != 0;
        return std::llabs(rx.outstanding) > std::llabs(ry.outstanding);
    });

    out << "# refdebug site table v1: program " << cell(program) << " pid " << std::to_string(pid)
        << "; columns: site op kind events objects leaked_objects outstanding function location stack\n";
    out << "#site\top\tkind\tevents\tobjects\tleaked_objects\toutstanding\tfunction\tlocation\tstack\n";
    std::vector<SiteId> all;
    for (uint32_t id : ids)
        all.push_back(SiteId{id});
    const Wrappers wrappers(all);
    for (uint32_t id : ids) {
        const SiteRow &r = a.rows.at(id);
        const Site *s = depot_get(SiteId{id});
        const std::string kind = r.kind != "-" ? r.kind : infer_kind(SiteId{id});
        const std::vector<Frame> &frames = stack_of(SiteId{id});
        const Symbol &d = *frames[distinguishing_frame(SiteId{id}, wrappers)].sym;
        std::string stack;
        for (size_t i = 0; i < frames.size(); ++i)
            stack += (i ? " <- " : "") + frames[i].sym->function + " (" + frames[i].sym->location() + ")";
        out << std::to_string(id) << "\t" << op_name(s->op) << "\t" << cell(kind) << "\t"
            << std::to_string(r.events) << "\t" << std::to_string(r.objects) << "\t"
            << std::to_string(r.leaked_objects) << "\t" << std::to_string(r.outstanding) << "\t"
            << cell(d.function) << "\t" << cell(d.location()) << "\t" << cell(stack) << "\n";
    }
    out.flush();
    return !out.on_stderr();
}

} // namespace refdebug
