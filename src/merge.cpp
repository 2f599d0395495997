// SPDX-License-Identifier: MIT
// refdebug merge: one site table from many (perf test writes one per child,
// CI one per run). Rows are matched by operation and symbolized stack; their
// counts are summed and each row says how many files it came from.
#include "runs.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <type_traits>
#include <vector>

namespace refdebug {
namespace {

constexpr size_t kColumns = 10; // site op kind events objects leaked_objects outstanding function location stack

struct Row {
    std::string op, kind, function, location, stack;
    uint64_t events = 0, objects = 0, leaked_objects = 0;
    int64_t outstanding = 0;
    size_t files = 0;
    size_t last_file = SIZE_MAX; // the file that last added to it
};

std::vector<std::string> split_tabs(const std::string &line)
{
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, '\t');)
        cells.push_back(cell);
    return cells;
}

template <class T> bool number(const std::string &s, T *out)
{
    if (s.empty())
        return false;
    char *end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (*end || (v < 0 && std::is_unsigned<T>::value))
        return false;
    *out = static_cast<T>(v);
    return true;
}

} // namespace

int merge_command(int argc, char **argv)
{
    std::string out_path;
    std::vector<std::string> paths;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "-o" && i + 1 < argc)
            out_path = argv[++i];
        else
            paths.push_back(arg);
    }
    if (paths.empty()) {
        std::fprintf(stderr, "usage: refdebug merge [-o OUT] FILE...\n"
                             "Sums site tables (sites_path) into one: the same columns, plus the number of\n"
                             "files each row came from. Writes to standard output unless -o is given.\n");
        return 2;
    }
    std::map<std::string, Row> rows; // by op and stack
    for (size_t f = 0; f < paths.size(); ++f) {
        std::ifstream in(paths[f]);
        if (!in) {
            std::fprintf(stderr, "refdebug merge: cannot read '%s'; nothing written\n", paths[f].c_str());
            return 2;
        }
        size_t line_no = 0, skipped = 0, first_skipped = 0;
        for (std::string line; std::getline(in, line);) {
            ++line_no;
            if (line.empty() || line[0] == '#')
                continue;
            const std::vector<std::string> c = split_tabs(line);
            Row parsed;
            if (c.size() != kColumns || !number(c[3], &parsed.events) || !number(c[4], &parsed.objects) ||
                !number(c[5], &parsed.leaked_objects) || !number(c[6], &parsed.outstanding)) {
                if (!skipped++)
                    first_skipped = line_no;
                continue;
            }
            Row &r = rows[c[1] + "\t" + c[9]];
            if (r.op.empty()) {
                r.op = c[1];
                r.function = c[7];
                r.location = c[8];
                r.stack = c[9];
            }
            if (r.kind.empty() || r.kind == "-")
                r.kind = c[2];
            r.events += parsed.events;
            r.objects += parsed.objects;
            r.leaked_objects += parsed.leaked_objects;
            r.outstanding += parsed.outstanding;
            if (r.last_file != f) {
                r.last_file = f;
                r.files += 1;
            }
        }
        if (skipped)
            std::fprintf(stderr, "refdebug merge: '%s': %zu line(s) that are not site table rows skipped (first: line %zu)\n",
                         paths[f].c_str(), skipped, first_skipped);
    }
    std::vector<const Row *> ordered;
    for (const auto &r : rows)
        ordered.push_back(&r.second);
    // As in every site table: rows still holding references first, most first.
    std::stable_sort(ordered.begin(), ordered.end(), [](const Row *x, const Row *y) {
        if ((x->outstanding != 0) != (y->outstanding != 0))
            return x->outstanding != 0;
        return std::llabs(x->outstanding) > std::llabs(y->outstanding);
    });
    std::ostringstream text;
    text << "# refdebug site table v1: merged from " << paths.size()
         << " file(s); columns: site op kind events objects leaked_objects outstanding function location stack "
            "files\n"
         << "#site\top\tkind\tevents\tobjects\tleaked_objects\toutstanding\tfunction\tlocation\tstack\tfiles\n";
    size_t site = 0;
    for (const Row *r : ordered)
        text << ++site << "\t" << r->op << "\t" << r->kind << "\t" << r->events << "\t" << r->objects << "\t"
             << r->leaked_objects << "\t" << r->outstanding << "\t" << r->function << "\t" << r->location << "\t"
             << r->stack << "\t" << r->files << "\n";
    if (out_path.empty()) {
        std::fputs(text.str().c_str(), stdout);
        return 0;
    }
    std::ofstream out(out_path);
    out << text.str();
    out.close();
    if (!out) {
        std::fprintf(stderr, "refdebug merge: cannot write '%s'\n", out_path.c_str());
        return 2;
    }
    return 0;
}

} // namespace refdebug
