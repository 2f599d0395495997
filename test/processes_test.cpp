// SPDX-License-Identifier: MIT
// Processes: each is blamed for what it did, and each writes files of its own.
#include "run_program.h"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <dirent.h>
#include <regex>
#include <set>
#include <sstream>
#include <sys/stat.h>

using namespace refdebug_test;

namespace {

// Runs the processes program in a fresh directory of its own (default-named
// outputs land there); returns the run and the directory.
Run run_in_dir(const std::string &how, const std::string &options, std::string *dir)
{
    static int n = 0;
    *dir = temp_dir() + "/processes-" + how + "-" + std::to_string(++n);
    mkdir(dir->c_str(), 0700);
    return run_program({"/bin/sh", "-c", "cd '" + *dir + "' && exec '" + program_path("processes") + "' " + how},
                       {"REFDEBUG_OPTIONS=" + options}, true);
}

std::vector<std::string> files_in(const std::string &dir)
{
    std::vector<std::string> names;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d))
            if (e->d_name[0] != '.')
                names.push_back(e->d_name);
        closedir(d);
    }
    return names;
}

// Every SUMMARY line of a stream several processes wrote to.
std::vector<Summary> summaries(const std::string &err)
{
    std::vector<Summary> all;
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("SUMMARY: refdebug:", 0) == 0)
            all.push_back(parse_summary(line));
    return all;
}

// The pid each report's title names.
std::set<std::string> report_pids(const std::string &err)
{
    std::set<std::string> pids;
    static const std::regex title(R"(==== refdebug report for \S+ \(pid (\d+)\) ====)");
    for (std::sregex_iterator it(err.begin(), err.end(), title), end; it != end; ++it)
        pids.insert((*it)[1]);
    return pids;
}

// Checks that dir holds one default-named site table per reporting process,
// each naming its own pid inside.
void one_table_per_process(const std::string &dir, const std::string &err, size_t processes)
{
    const std::set<std::string> pids = report_pids(err);
    BOOST_TEST(pids.size() == processes, err);
    const std::vector<std::string> files = files_in(dir);
    BOOST_TEST(files.size() == processes);
    for (const std::string &pid : pids) {
        const std::string table = read_file(dir + "/refdebug." + pid + ".sites");
        BOOST_TEST(table.find(" pid " + pid + ";") != std::string::npos, "table of pid " + pid);
        BOOST_TEST(err.find("site table: refdebug." + pid + ".sites") != std::string::npos);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(processes)

BOOST_AUTO_TEST_CASE(a_child_that_restores_what_it_changed_is_silent)
{
    std::string dir;
    const Run r = run_in_dir("restore", "", &dir);
    BOOST_TEST(r.status == 0);
    const std::vector<Summary> s = summaries(r.err);
    BOOST_TEST_REQUIRE(s.size() == 1u, r.err); // the parent's report only
    BOOST_TEST(s[0].leaked == 1u);
    BOOST_TEST(s[0].references == 1u);
    BOOST_TEST(first_suspect(r.err).rfind("restore ", 0) == 0u, r.err);
    // With the report always printed, each process writes a table of its own,
    // and the child's counts only its own (balanced) events.
    const Run v = run_in_dir("restore", "verbosity=1", &dir);
    one_table_per_process(dir, v.err, 2);
    const std::vector<Summary> both = summaries(v.err);
    BOOST_TEST_REQUIRE(both.size() == 2u);
    BOOST_TEST(both[0].leaked == 0u); // the child exits first
    BOOST_TEST(both[1].leaked == 1u);
    // With the table named: the child stays silent and still writes its own,
    // PATH.<pid>, beside the parent's PATH.
    const Run named = run_in_dir("restore", "sites_path=table", &dir);
    BOOST_TEST(summaries(named.err).size() == 1u, named.err);
    const std::vector<std::string> tables = files_in(dir);
    BOOST_TEST_REQUIRE(tables.size() == 2u);
    std::set<std::string> pids;
    for (const std::string &t : tables) {
        std::smatch m;
        const std::string text = read_file(dir + "/" + t);
        BOOST_TEST_REQUIRE(std::regex_search(text, m, std::regex(R"( pid (\d+);)")));
        pids.insert(m[1]);
        BOOST_TEST((t == "table" || t == "table." + m[1].str()), t);
    }
    BOOST_TEST(pids.size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_inherited_object_leaks_only_what_the_child_added)
{
    // fork.c: the parent leaks a and c; the child takes one more on c and
    // makes b. The child holds b's reference and its own on c.
    const std::string log = temp_dir() + "/fork.log";
    const Run r = run_program({program_path("fork")}, {"REFDEBUG_OPTIONS=sites_path=none:log_path=" + log}, true);
    BOOST_TEST(r.status == 0);
    std::vector<std::string> logs;
    for (const std::string &f : files_in(temp_dir()))
        if (f.rfind("fork.log.", 0) == 0)
            logs.push_back(read_file(temp_dir() + "/" + f));
    BOOST_TEST_REQUIRE(logs.size() == 2u);
    for (const std::string &text : logs) {
        const Summary s = parse_summary(text);
        BOOST_TEST(s.leaked == 2u, text);
        BOOST_TEST(s.references == 2u, text);
    }
}

BOOST_AUTO_TEST_CASE(every_process_writes_its_own_default_site_table)
{
    for (const auto &shape : {std::make_pair("fork", 2), std::make_pair("exec", 2),
                              std::make_pair("grandchild", 3), std::make_pair("spawn", 2)}) {
        BOOST_TEST_CONTEXT(shape.first)
        {
            std::string dir;
            const Run r = run_in_dir(shape.first, "", &dir);
            BOOST_TEST(r.status == 0);
            const std::vector<Summary> s = summaries(r.err);
            BOOST_TEST(s.size() == size_t(shape.second), r.err);
            for (const Summary &one : s)
                BOOST_TEST(one.leaked == 1u, r.err); // its own object, not an ancestor's
            one_table_per_process(dir, r.err, shape.second);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_child_opens_its_own_log_even_after_its_parent_wrote_one)
{
    // The parent's log (PATH.<pid>) is open before fork: its live report opened it.
    std::string dir;
    const Run r = run_in_dir("report_fork", "sites_path=none:log_path=log", &dir);
    BOOST_TEST(r.status == 0);
    const std::vector<std::string> files = files_in(dir);
    BOOST_TEST_REQUIRE(files.size() == 2u);
    size_t reports = 0;
    for (const std::string &f : files) {
        const std::string text = read_file(dir + "/" + f);
        BOOST_TEST(parse_summary(text).leaked == 1u, f);
        reports += summaries(text).size();
        // Each file is its writer's: the pid in its name is the one in its titles.
        for (const std::string &pid : report_pids(text))
            BOOST_TEST(f == "log." + pid);
    }
    BOOST_TEST(reports == 3u); // the parent's live and exit reports, the child's exit report
}

BOOST_AUTO_TEST_CASE(a_process_that_counted_nothing_leaves_named_outputs_alone)
{
    // A wrapper (time, a shell, perf record's workload) runs under the
    // preload too and exits after the program it started by fork and exec,
    // a process of its own, not a forked child: both name the same files.
    // The wrapper saw no refcount_t, so it writes nothing over the program's.
    const std::string dir = temp_dir() + "/wrapper";
    mkdir(dir.c_str(), 0700);
    const Run r = run_program({"/bin/sh", "-c",
                               "cd '" + dir + "' && exec '" + program_path("wrapper") + "' '" +
                                   program_path("missing_put") + "'"},
                              {"REFDEBUG_OPTIONS=sites_path=table:json_path=report.json:folded_path=folded"}, true);
    std::vector<std::string> names = files_in(dir);
    std::sort(names.begin(), names.end());
    BOOST_TEST(names == (std::vector<std::string>{"folded", "report.json", "table"}), r.err);
    BOOST_TEST(read_file(dir + "/table").find("program missing_put pid") != std::string::npos);
    const std::string json = read_file(dir + "/report.json");
    BOOST_TEST(json.find("\"program\": \"missing_put\"") != std::string::npos, json);
    BOOST_TEST(json.find("\"leaked_objects\": 3") != std::string::npos, json);
    BOOST_TEST(!read_file(dir + "/folded").empty());
}

BOOST_AUTO_TEST_SUITE_END()
