// SPDX-License-Identifier: MIT
// refdebug diff: did a fix fix something? Leak groups of two JSON reports are
// matched by what survives a rebuild: the objects' kind, the functions of the
// birth stack, and suspect #1's function and file name (never lines,
// addresses or directories, which move when code changes or is built in
// another checkout).
#include "runs.h"

#include "names.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

namespace refdebug {
namespace {

using nlohmann::json;

struct Group {
    std::string kind, birth, suspect, file; // the match key's parts (file: as the report names it)
    uint64_t objects = 0, references = 0;
    std::map<std::string, uint64_t> suspects; // every suspect's suspect_key(): unmatched objects
};

struct Report {
    std::map<std::string, Group> groups; // by key
    std::map<std::string, std::pair<std::string, uint64_t>> errors; // by key: (what, count)
};

// "dir/file.c:12" -> "dir/file.c"; "prog+0x1c" -> "prog".
std::string file_of(std::string location)
{
    const size_t plus = location.rfind("+0x");
    if (plus != std::string::npos)
        return location.erase(plus);
    const size_t colon = location.rfind(':');
    if (colon != std::string::npos && colon + 1 < location.size() &&
        location.find_first_not_of("0123456789", colon + 1) == std::string::npos)
        location.erase(colon);
    return location;
}

// "/src/a/tools/perf/util/map.c" -> "map.c": two checkouts of the same code
// name their files from different directories.
std::string file_name(const std::string &file) { return file.substr(file.rfind('/') + 1); }

// A suspect as matched: its function and its file's name.
std::string suspect_key(const std::string &function, const std::string &file)
{
    return function + "\n" + file_name(file);
}

std::string key_of(const Group &g) { return g.kind + "\n" + g.birth + "\n" + suspect_key(g.suspect, g.file); }

// Whether the other report has this leak too, named further down in a group
// of the same kind and birth whose suspect #1 is another function (a leak
// fixed or added beside it).
bool hidden_in(const Report &other, const Group &g)
{
    for (const auto &b : other.groups)
        if (b.second.kind == g.kind && b.second.birth == g.birth && b.second.suspects.count(suspect_key(g.suspect, g.file)))
            return true;
    return false;
}

// The functions of a site's stack, innermost first, joined by " <- ".
std::string stack_functions(const json &report, const json &site)
{
    std::string out;
    const std::string id = std::to_string(site.get<uint64_t>());
    if (!report["sites"].contains(id))
        return "?";
    for (const json &frame : report["sites"][id]["frames"])
        out += (out.empty() ? "" : " <- ") + without_clone_suffix(frame["function"].get<std::string>());
    return out;
}

// Reads a report; on failure says why in *error.
bool load(const std::string &path, Report &r, std::string *error)
{
    std::ifstream in(path);
    if (!in) {
        *error = "cannot read '" + path + "'";
        return false;
    }
    json report = json::parse(in, nullptr, false);
    if (report.is_discarded() || !report.is_object() || report.value("schema", "") != "refdebug-report") {
        *error = "'" + path + "' is not a refdebug JSON report (json_path=FILE writes one)";
        return false;
    }
    if (report.value("version", 0) != 1) {
        *error = "'" + path + "' is a report of version " + report["version"].dump() + ", this refdebug reads 1";
        return false;
    }
    try {
        for (const json &g : report.at("groups")) {
            Group group;
            group.kind = g.at("kind").get<std::string>();
            group.objects = g.at("objects").get<uint64_t>();
            group.references = g.at("references").get<uint64_t>();
            group.birth = stack_functions(report, g.at("birth"));
            for (const json &s : g.at("suspects")) {
                const std::string function = without_clone_suffix(s.at("function").get<std::string>());
                const std::string file = file_of(s.at("location").get<std::string>());
                if (group.suspect.empty()) {
                    group.suspect = function;
                    group.file = file;
                }
                group.suspects[suspect_key(function, file)] += s.at("unmatched_objects").get<uint64_t>();
            }
            const auto known = r.groups.find(key_of(group));
            if (known == r.groups.end()) {
                r.groups.emplace(key_of(group), group);
            } else {
                for (const auto &s : group.suspects)
                    known->second.suspects[s.first] += s.second;
                known->second.objects += group.objects;
                known->second.references += group.references;
            }
        }
        for (const json &e : report.value("errors", json::array())) {
            const std::string what = e.at("kind").get<std::string>() + " at " + stack_functions(report, e.at("site"));
            auto &known = r.errors[what];
            known.first = what;
            known.second += e.at("count").get<uint64_t>();
        }
    } catch (const json::exception &e) {
        *error = "'" + path + "' is not a complete refdebug report (" + e.what() + ")";
        return false;
    }
    return true;
}

std::string describe(const Group &g)
{
    std::string birth = g.birth;
    size_t cut = 0;
    for (int frames = 0; frames < 3 && cut != std::string::npos; ++frames)
        cut = birth.find(" <- ", cut ? cut + 4 : 0);
    if (cut != std::string::npos)
        birth = birth.substr(0, cut) + " <- ...";
    return g.kind + " objects born at " + birth + ", suspect #1 " +
           (g.suspect.empty() ? "none" : g.suspect + " (" + g.file + ")");
}

json group_json(const Group &g, const Group *before, const Group *after)
{
    json j = {{"kind", g.kind}, {"birth", g.birth}, {"suspect", {{"function", g.suspect}, {"file", g.file}}}};
    if (before)
        j["before"] = {{"objects", before->objects}, {"references", before->references}};
    if (after)
        j["after"] = {{"objects", after->objects}, {"references", after->references}};
    return j;
}

std::string counts(const Group &g)
{
    return std::to_string(g.objects) + " object(s) holding " + std::to_string(g.references) + " reference(s)";
}

} // namespace

int diff_command(int argc, char **argv)
{
    bool as_json = false;
    std::vector<std::string> paths;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json")
            as_json = true;
        else
            paths.push_back(arg);
    }
    if (paths.size() != 2) {
        std::fprintf(stderr, "usage: refdebug diff [--json] BEFORE.json AFTER.json\n"
                             "Compares two runs' JSON reports (json_path=FILE): what was fixed, what remains,\n"
                             "what is new. Exit status 1 when a leak or an error is new.\n");
        return 2;
    }
    Report before, after;
    std::string error;
    if (!load(paths[0], before, &error) || !load(paths[1], after, &error)) {
        std::fprintf(stderr, "refdebug diff: %s\n", error.c_str());
        return 2;
    }
    json out = {{"fixed", json::array()}, {"remaining", json::array()}, {"new", json::array()},
                {"new_errors", json::array()}};
    std::string text;
    for (const auto &b : before.groups) {
        const auto a = after.groups.find(b.first);
        if (a == after.groups.end() && hidden_in(after, b.second)) {
            out["remaining"].push_back(group_json(b.second, &b.second, nullptr));
            text += "refdebug diff: remains: " + describe(b.second) + ": " + counts(b.second) +
                    " (now: a lesser suspect of a group with another suspect #1)\n";
            continue;
        }
        if (a == after.groups.end()) {
            out["fixed"].push_back(group_json(b.second, &b.second, nullptr));
            text += "refdebug diff: fixed: " + describe(b.second) + ": was " + counts(b.second) + "\n";
            continue;
        }
        out["remaining"].push_back(group_json(b.second, &b.second, &a->second));
        text += "refdebug diff: remains: " + describe(b.second) + ": " + counts(b.second) + ", now " +
                counts(a->second) + "\n";
        // The same group may hide a new leak: a function whose references
        // stay unmatched now and did not before.
        for (const auto &s : a->second.suspects) {
            if (b.second.suspects.count(s.first))
                continue;
            Group added = a->second;
            added.suspect = s.first.substr(0, s.first.find('\n'));
            added.file = s.first.substr(s.first.find('\n') + 1);
            out["new"].push_back(group_json(added, nullptr, &a->second));
            text += "refdebug diff: new: " + describe(added) + ": unmatched in " + std::to_string(s.second) +
                    " of " + std::to_string(a->second.objects) + " leaked object(s) of a group that remains\n";
        }
    }
    for (const auto &a : after.groups) {
        if (before.groups.count(a.first))
            continue;
        if (hidden_in(before, a.second)) {
            out["remaining"].push_back(group_json(a.second, nullptr, &a.second));
            text += "refdebug diff: remains: " + describe(a.second) + ": " + counts(a.second) +
                    " (before: a lesser suspect of a group whose suspect #1 is gone)\n";
        } else {
            out["new"].push_back(group_json(a.second, nullptr, &a.second));
            text += "refdebug diff: new: " + describe(a.second) + ": " + counts(a.second) + "\n";
        }
    }
    for (const auto &e : after.errors) {
        if (!before.errors.count(e.first)) {
            out["new_errors"].push_back({{"error", e.second.first}, {"count", e.second.second}});
            text += "refdebug diff: new error: " + e.second.first + " (" + std::to_string(e.second.second) +
                    " time(s))\n";
        }
    }
    const bool something_new = !out["new"].empty() || !out["new_errors"].empty();
    if (as_json) {
        std::printf("%s\n", out.dump(1).c_str());
    } else {
        text += "refdebug diff: " + std::to_string(out["fixed"].size()) + " fixed, " +
                std::to_string(out["remaining"].size()) + " remaining, " + std::to_string(out["new"].size()) +
                " new, " + std::to_string(out["new_errors"].size()) + " new error(s)\n";
        std::fputs(text.c_str(), stdout);
    }
    return something_new ? 1 : 0;
}

} // namespace refdebug
