// SPDX-License-Identifier: MIT
// refdebug diff and refdebug merge, on the reports of real runs.
#include "run_program.h"

#include <boost/test/unit_test.hpp>
#include <dirent.h>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>

using namespace refdebug_test;

namespace {

// Runs one version of the versions program (its bugs listed in `bugs`) and
// returns the path of its JSON report.
std::string report_of(const std::string &bugs)
{
    const std::string path = temp_dir() + "/versions-" + (bugs.empty() ? "none" : bugs) + ".json";
    run_program({program_path("versions"), bugs}, {"REFDEBUG_OPTIONS=sites_path=none:json_path=" + path}, true);
    return path;
}

Run diff(const std::string &before, const std::string &after, bool json = false)
{
    std::vector<std::string> argv{launcher_path(), "diff"};
    if (json)
        argv.push_back("--json");
    argv.push_back(report_of(before));
    argv.push_back(report_of(after));
    return run_program(argv, {}, false);
}

// The lines of text that start with prefix.
std::vector<std::string> lines_starting(const std::string &text, const std::string &prefix)
{
    std::vector<std::string> found;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0)
            found.push_back(line);
    return found;
}

// A site table's rows by operation and stack (columns 1 and 9).
std::map<std::string, std::vector<std::string>> table_rows(const std::string &text)
{
    std::map<std::string, std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#')
            continue;
        std::vector<std::string> cells;
        std::istringstream l(line);
        for (std::string c; std::getline(l, c, '\t');)
            cells.push_back(c);
        BOOST_TEST_REQUIRE(cells.size() >= 10u, line);
        rows[cells[1] + "\t" + cells[9]] = cells;
    }
    return rows;
}

} // namespace

BOOST_AUTO_TEST_SUITE(runs)

BOOST_AUTO_TEST_CASE(diff_after_a_fix_names_what_was_fixed_and_what_remains)
{
    // ab -> b: lookup()'s missing put fixed; cache()'s extra get remains (in
    // the first run it was a lesser suspect of lookup's group).
    const Run r = diff("ab", "b");
    BOOST_TEST(r.status == 0, r.out + r.err);
    const auto fixed = lines_starting(r.out, "refdebug diff: fixed: ");
    BOOST_TEST_REQUIRE(fixed.size() == 1u, r.out);
    BOOST_TEST(fixed[0].find("suspect #1 lookup (") != std::string::npos, fixed[0]);
    BOOST_TEST(fixed[0].find("was 3 object(s) holding 3 reference(s)") != std::string::npos, fixed[0]);
    const auto remains = lines_starting(r.out, "refdebug diff: remains: ");
    BOOST_TEST_REQUIRE(remains.size() == 1u, r.out);
    BOOST_TEST(remains[0].find("suspect #1 cache (") != std::string::npos, remains[0]);
    BOOST_TEST(r.out.find("refdebug diff: 1 fixed, 1 remaining, 0 new, 0 new error(s)\n") != std::string::npos,
               r.out);
    // The same run twice: nothing fixed, nothing new.
    const Run same = diff("b", "b");
    BOOST_TEST(same.status == 0);
    BOOST_TEST(same.out.find("0 fixed, 1 remaining, 0 new, 0 new error(s)") != std::string::npos, same.out);
}

BOOST_AUTO_TEST_CASE(diff_matches_files_built_in_another_checkout)
{
    // The same run, as if built from another directory: every file is named
    // from elsewhere. Nothing is fixed and nothing is new.
    const std::string original = report_of("ab");
    std::ifstream in(original);
    std::stringstream text;
    text << in.rdbuf();
    std::string moved = text.str();
    const std::string from = REFDEBUG_SOURCE_DIR;
    size_t replaced = 0;
    for (size_t at = moved.find(from); at != std::string::npos; at = moved.find(from, at + 1), ++replaced)
        moved.replace(at, from.size(), "/elsewhere/checkout");
    BOOST_TEST_REQUIRE(replaced > 0u);
    const std::string elsewhere = temp_dir() + "/versions-ab-elsewhere.json";
    std::ofstream(elsewhere) << moved;
    const Run r = run_program({launcher_path(), "diff", original, elsewhere}, {}, false);
    BOOST_TEST(r.status == 0, r.out + r.err);
    BOOST_TEST(r.out.find("refdebug diff: 0 fixed, 1 remaining, 0 new, 0 new error(s)\n") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(diff_fails_on_a_new_leak_or_a_new_error)
{
    // A new leak in a group that remains (scan()'s objects share cache()'s birth).
    const Run leak = diff("b", "bc");
    BOOST_TEST(leak.status == 1, leak.out + leak.err);
    const auto added = lines_starting(leak.out, "refdebug diff: new: ");
    BOOST_TEST_REQUIRE(added.size() == 1u, leak.out);
    BOOST_TEST(added[0].find("suspect #1 scan (") != std::string::npos, added[0]);
    // Reintroduced: lookup() forgets its put again; cache() stays a remaining leak.
    const Run back = diff("b", "ab");
    BOOST_TEST(back.status == 1);
    BOOST_TEST(lines_starting(back.out, "refdebug diff: fixed: ").empty(), back.out);
    // A new error, with the leaks unchanged.
    const Run error = diff("b", "be");
    BOOST_TEST(error.status == 1, error.out + error.err);
    const auto errors = lines_starting(error.out, "refdebug diff: new error: ");
    BOOST_TEST_REQUIRE(errors.size() == 1u, error.out);
    BOOST_TEST(errors[0].find("use-after-release at obj__drop <- release_twice <- main") != std::string::npos,
               errors[0]);
    // The error was there before too: not new.
    BOOST_TEST(diff("be", "be").status == 0);
    // For tools.
    const Run json = diff("b", "be", true);
    BOOST_TEST(json.status == 1);
    BOOST_TEST(json.out.find("\"new_errors\": [") != std::string::npos, json.out);
    BOOST_TEST(json.out.find("release_twice") != std::string::npos, json.out);
}

BOOST_AUTO_TEST_CASE(diff_and_merge_refuse_bad_input_with_one_message)
{
    const std::string missing = temp_dir() + "/no-such-report.json";
    const Run gone = run_program({launcher_path(), "diff", missing, report_of("b")}, {}, false);
    BOOST_TEST(gone.status == 2);
    BOOST_TEST(gone.err == "refdebug diff: cannot read '" + missing + "'\n");
    const std::string table = temp_dir() + "/not-json.sites";
    run_program({program_path("versions"), "a"}, {"REFDEBUG_OPTIONS=sites_path=" + table}, true);
    const Run wrong = run_program({launcher_path(), "diff", table, report_of("b")}, {}, false);
    BOOST_TEST(wrong.status == 2);
    BOOST_TEST(wrong.err.find("is not a refdebug JSON report") != std::string::npos, wrong.err);
    BOOST_TEST(run_program({launcher_path(), "diff", report_of("b")}, {}, false).status == 2); // usage
    const Run merge = run_program({launcher_path(), "merge", table, missing}, {}, false);
    BOOST_TEST(merge.status == 2);
    BOOST_TEST(merge.out.empty()); // nothing half-merged
    BOOST_TEST(merge.err == "refdebug merge: cannot read '" + missing + "'; nothing written\n");
}

BOOST_AUTO_TEST_CASE(merge_sums_the_tables_of_a_forking_program)
{
    // Three processes, a table each (processes.c, grandchild: each leaks one).
    const std::string dir = temp_dir() + "/merge";
    mkdir(dir.c_str(), 0700);
    run_program({"/bin/sh", "-c", "cd '" + dir + "' && exec '" + program_path("processes") + "' grandchild"}, {},
                true);
    std::vector<std::string> tables;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d))
            if (e->d_name[0] != '.')
                tables.push_back(dir + "/" + e->d_name);
        closedir(d);
    }
    BOOST_TEST_REQUIRE(tables.size() == 3u);
    std::vector<std::string> argv{launcher_path(), "merge", "-o", dir + ".merged"};
    argv.insert(argv.end(), tables.begin(), tables.end());
    BOOST_TEST_REQUIRE(run_program(argv, {}, false).status == 0);
    const std::string merged_text = read_file(dir + ".merged");
    BOOST_TEST(merged_text.rfind("# refdebug site table v1: merged from 3 file(s);", 0) == 0u, merged_text);
    const auto merged = table_rows(merged_text);
    // Expected: each row's counts summed over the tables it is in.
    std::map<std::string, std::vector<long long>> sums; // events objects leaked outstanding files
    for (const std::string &t : tables) {
        for (const auto &row : table_rows(read_file(t))) {
            auto &s = sums[row.first];
            s.resize(5);
            for (int c = 0; c < 4; ++c)
                s[c] += std::stoll(row.second[3 + c]);
            s[4] += 1;
        }
    }
    BOOST_TEST(merged.size() == sums.size());
    bool shared_row = false;
    for (const auto &s : sums) {
        const auto m = merged.find(s.first);
        BOOST_TEST_REQUIRE((m != merged.end()), s.first);
        BOOST_TEST_REQUIRE(m->second.size() == 11u);
        for (int c = 0; c < 4; ++c)
            BOOST_TEST(std::stoll(m->second[3 + c]) == s.second[c], s.first);
        BOOST_TEST(std::stoll(m->second[10]) == s.second[4], s.first);
        shared_row = shared_row || s.second[4] > 1;
    }
    BOOST_TEST(shared_row); // a child's table lists its parent's sites too (with its own counts)
    // Rows holding references come first, as in every site table.
    bool seen_zero = false;
    for (const auto &line : lines_starting(merged_text, "")) {
        if (line.empty() || line[0] == '#')
            continue;
        const auto rows = table_rows(line + "\n");
        const bool zero = rows.begin()->second[6] == "0";
        BOOST_TEST(!(seen_zero && !zero), line);
        seen_zero = seen_zero || zero;
    }
}

BOOST_AUTO_TEST_SUITE_END()
