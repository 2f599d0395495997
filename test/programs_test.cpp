// SPDX-License-Identifier: MIT
// End to end: planted-bug programs under the runtime, and the same programs
// without it, which must behave identically.
#include "run_program.h"

#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <cctype>
#include <cstring>
#include <unistd.h>

using namespace refdebug_test;

namespace {

struct Case {
    const char *program;
    unsigned long leaked, references, errors; // the expected SUMMARY
    std::map<std::string, int> kinds;         // the expected ERROR lines
    const char *suspect;                      // how suspect #1's line starts, or ""
};

const Case cases[] = {
    {"missing_put", 3, 3, 0, {}, "forgets_put "},
    {"never_put", 1, 1, 0, {}, "make_orphan "},
    {"leaky_example", 2, 2, 0, {}, "lookup_and_print "},
    {"refcount_init", 1, 1, 0, {}, "extra_get "},
    {"sub_and_test", 1, 2, 0, {}, "release_batch "},
    {"batch_and_get", 1, 1, 0, {}, "pin_for_later "},
    {"early_return", 2, 2, 0, {}, "find_payload "},
    {"split_pair", 2, 2, 0, {}, "peek "},
    {"handed_over", 1, 1, 0, {}, "reopen "},
    {"cursor_kept", 1, 3, 0, {}, "cursor_append "},
    {"cursor_split", 1, 3, 0, {}, "cursor_append "},
    {"holder_release", 3, 3, 0, {}, "box__delete "},
    {"companions", 8, 40, 0, {}, "where__exit "},
    {"cursor_residue", 2, 10, 0, {}, "cursor_append "},
    {"companions_self", 8, 40, 0, {}, "pair__exit "},
    {"companions_partial", 12, 48, 0, {}, "where__exit "},
    {"companions_extra", 12, 48, 0, {}, "resolve "},
    {"file_ops", 2, 200, 0, {}, "mem_open "},
    {"queue_handoff", 20, 20, 0, {}, "handle "},
    {"error_unwind", 7, 7, 0, {}, "conn_open "},
    {"cascade_birth", 5, 5, 0, {}, "main "},
    {"freed_holder", 5, 13, 0, {}, "node__delete "},
    {"stale_tail", 1, 1, 0, {}, "env_exit "},
    {"many_kinds", 3, 9, 0, {}, "bundle_delete "},
    {"scoped_cleanup", 6, 13, 0, {}, "unit_start "},
    {"async_completion", 3, 4, 0, {}, "on_read_done "},
    {"static_names", 1, 3, 0, {}, "static_names-smtp.c::handle "},
    {"resize_copies", 16, 30, 0, {}, "table_resize "},
    {"cache_and_pin", 2, 109, 0, {}, "handle_request "},
    {"for_each_find", 3, 7, 0, {}, "annotate_name "},
    {"evicting_lookup", 364, 574, 0, {}, "worker__process "},
    {"frozen_detach", 4, 12, 0, {}, "group_detach "},
    {"base_methods", 7, 16, 0, {}, "render_frame "},
    {"class_kind", 3, 8, 0, {}, "Session::annotate(int) "},
    {"borrowed_view", 1, 1, 0, {}, "keep_one "},
    {"freed_tail", 3, 9, 0, {}, "entry__delete "},
    {"purge_array", 6, 6, 0, {}, "table__purge "},
    {"free_helper", 3, 12, 0, {}, "entry__delete "},
    {"handed_back", 3, 12, 0, {}, "keep_samples "},
    {"lookup_cache", 1, 1, 0, {}, "handle_comm "},
    {"leader_lookup", 1, 23, 0, {}, "obj__init_leader "},
    {"method_keeps", 3, 3, 0, {}, "obj__load_sym_internal "},
    {"oneoff_lookup", 4, 5, 0, {}, "process_build_id "},
    {"swap_beside", 4, 8, 0, {}, "process_mmap "},
    {"returns_object", 1, 1, 0, {}, "session__register_idle "},
    {"freed_tail_chain", 3, 9, 0, {}, "entry__delete "},
    {"holder_account", 1, 1, 0, {}, "machine__update_kmap "},
    {"exit_then_free", 4, 12, 0, {}, "node__exit "},
    {"stale_slot", 1, 1, 0, {}, "keep_one "},
    {"out_param", 4, 36, 0, {}, "resolve "},
    {"last_match", 12, 36, 0, {}, "__table_set_last "},
    {"rare_copy", 7, 7, 0, {}, "table__delete "},
    {"handed_back_lost", 6, 6, 0, {}, "table__remove_all "},
    {"removed_cached", 6, 6, 0, {}, "table__remove "},
    {"iterator_break", 1, 1, 0, {}, "has_id "},
    {"best_of", 1, 1, 0, {}, "best_id "},
    {"aliased_api", 1, 1, 0, {}, "reopen "},
    {"dispatch_thread", 1, 1, 0, {}, "consumer "},
    {"lookup_pair", 1, 1, 0, {}, "same_parent "},
    {"handle_release", 1, 1, 0, {}, "steal_one"},
    {"cleanup_short", 1, 1, 0, {}, "count_big "},
    {"tree_destroy", 1, 10, 0, {}, "destroy "},
    {"child_keeps_parent", 2, 2, 0, {}, "same_parent "},
    {"slot_refill", 8, 8, 0, {}, "widget__set_label "},
    {"holder_lost", 16, 16, 0, {}, "widget__new "},
    {"evicted", 492, 492, 0, {}, "cache__lookup "},
    {"vector_snapshot", 8, 8, 0, {}, "report "},
    {"observer", 2, 4, 0, {}, "notify_all "},
    {"intrusive_ptr", 1, 8, 0, {}, "Ref<Cover>::operator=("},
    {"verb_first", 5, 18, 0, {}, "show_attr "},
    {"copy_on_write", 8, 8, 0, {}, "doc_write "},
    {"copy_on_write_lost", 5, 5, 0, {}, ""},
    {"event_machine", 96, 181, 0, {}, "process_mmap "},
    {"exit_removal", 156, 286, 0, {}, "process_exit "},
    {"work_queue", 25, 87, 0, {}, "run_work "},
    {"queue_runs", 8, 8, 0, {}, "report_one "},
    {"folded_puts", 1, 15, 0, {}, "open_session "},
    {"thread_handed", 4, 12, 0, {}, "worker "},
    {"collect_array", 4, 60, 0, {}, "signal_all "},
    {"cache_swaps", 6, 30, 0, {}, "resolve "},
    {"exit_early", 1, 1, 0, {}, "handle_exit "},
    {"short_batch", 2, 3, 0, {}, "batch_put "},
    {"listed_birth", 1, 1, 0, {}, "keep_kernel_map "},
    {"compat_apis", 1, 1, 0, {}, "peek_key "},
    {"many_objects", 500, 500, 0, {}, "keep_one "},
    {"cascade", 4, 4, 0, {}, "lose_box "},
    {"error_path", 2, 2, 0, {}, "parse_config "},
    {"get_in_loop", 1, 3, 0, {}, "scan "},
    {"wrong_branch", 2, 2, 0, {}, "update "},
    {"three_layers", 1, 1, 0, {}, "writer "},
    {"many_callers", 1, 1, 0, {}, "caller_leaks "},
    {"thread_one_of_four", 1, 1, 0, {}, "work_and_forget "},
    {"all_leak", 5, 5, 0, {}, "register_obj "},
    {"fork_child_leak", 1, 1, 0, {}, "child_work "},
    {"cxx_program", 1, 1, 0, {}, "(anonymous namespace)::leak_one "},
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // A sanitizer's operator delete frees without calling free(): the
    // freed Sprite is not seen, and main() is named.
    {"virtual_dtor", 2, 10, 0, {}, "Sprite::~Sprite() "},
#endif
    // -O2 only: what the optimizer does is their point.
    {"clones_O2", 1, 1, 0, {}, "batch_release "},
    {"inlined_O2", 1, 1, 0, {}, "peek "},
    {"use_after_release", 0, 0, 2, {{"use-after-release", 2}}, ""},
    {"underflow", 0, 0, 1, {{"underflow", 1}}, ""},
    {"increment_on_zero", 0, 0, 1, {{"increment-on-zero", 1}}, ""},
    {"reinit_live", 0, 0, 1, {{"reinit-while-live", 1}}, ""},
    {"freed_while_referenced", 0, 0, 1, {{"freed-while-referenced", 1}}, ""},
    {"freed_pinned", 0, 0, 1, {{"freed-while-referenced", 1}}, ""},
    {"saturated", 0, 0, 1, {{"saturated", 1}}, ""},
};

const char *const clean_programs[] = {"balanced",       "stack_object",  "threads_handoff", "atexit_cleanup",
                                      "realloc_move",   "signal_reentry", "stack_lookup",    "device_model"};

// Every leak group names at least one suspect: the references a life holds
// are the sum of what its sites added, so some function is net positive.
size_t groups_without_suspect(const std::string &err)
{
    size_t missing = 0;
    for (size_t at = err.find("refdebug: group "); at != std::string::npos;) {
        const size_t next = err.find("refdebug: group ", at + 1);
        if (err.substr(at, next - at).find("suspect #1: ") == std::string::npos)
            ++missing;
        at = next;
    }
    return missing;
}

} // namespace

BOOST_AUTO_TEST_SUITE(programs)

// A program's builds: as listed, and at -O2 (<program>_O2) where there is one.
std::vector<std::string> builds_of(const std::string &program)
{
    std::vector<std::string> builds{program};
    if (access(program_path(program + "_O2").c_str(), X_OK) == 0)
        builds.push_back(program + "_O2");
    return builds;
}

// Every build of a planted program run under the runtime (no site table),
// its report checked by check() in the build's own context.
template <class Check> void each_report(const std::string &program, Check check)
{
    for (const std::string &build : builds_of(program))
        BOOST_TEST_CONTEXT(build)
        {
            const Run r = run_program({program_path(build)}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            check(r.err);
        }
}

BOOST_AUTO_TEST_CASE(planted_bugs_give_exact_counts)
{
    for (const Case &c : cases)
    for (const std::string &program : builds_of(c.program)) {
        BOOST_TEST_CONTEXT(program)
        {
            const Run r = run_program({program_path(program)}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            const Summary s = parse_summary(r.err);
            BOOST_TEST_INFO(r.err);
            BOOST_TEST(s.found);
            BOOST_TEST(s.leaked == c.leaked);
            BOOST_TEST(s.references == c.references);
            BOOST_TEST(s.errors == c.errors);
            BOOST_TEST((error_kinds(r.err) == c.kinds));
            if (*c.suspect)
                BOOST_TEST(first_suspect(r.err).rfind(c.suspect, 0) == 0u, first_suspect(r.err));
            BOOST_TEST(groups_without_suspect(r.err) == 0u);
        }
    }
}

BOOST_AUTO_TEST_CASE(clean_programs_print_nothing)
{
    for (const char *program : clean_programs)
    for (const std::string &p : builds_of(program)) {
        BOOST_TEST_CONTEXT(p)
        {
            const Run r = run_program({program_path(p)}, {}, true);
            BOOST_TEST(r.status == 0);
            BOOST_TEST(r.err == "");
        }
    }
}

BOOST_AUTO_TEST_CASE(programs_behave_the_same_without_and_with_the_runtime)
{
    std::vector<std::string> all(std::begin(clean_programs), std::end(clean_programs));
    for (const Case &c : cases)
        all.push_back(c.program);
    std::vector<std::string> every_build;
    for (const std::string &p : all)
        for (const std::string &b : builds_of(p))
            every_build.push_back(b);
    for (const std::string &p : every_build) {
        BOOST_TEST_CONTEXT(p)
        {
            const Run plain = run_program({program_path(p)}, {}, false);
            const Run traced = run_program({program_path(p)}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            BOOST_TEST(plain.status == traced.status);
            BOOST_TEST(plain.out == traced.out);
            BOOST_TEST(plain.err == "");
        }
    }
}

BOOST_AUTO_TEST_CASE(threaded_handoff_has_no_false_reports_in_20_runs)
{
    for (int i = 0; i < 20; ++i) {
        BOOST_TEST_CONTEXT("run " << i)
        {
            const Run r = run_program({program_path("threads_handoff")}, {"REFDEBUG_OPTIONS=verbosity=1"}, true);
            const Summary s = parse_summary(r.err);
            BOOST_TEST(r.status == 0);
            BOOST_TEST(s.found); // verbosity=1 always prints the summary
            BOOST_TEST(s.leaked == 0u);
            BOOST_TEST(s.errors == 0u);
            BOOST_TEST(r.err.find("STATS: ") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(bug_on_follows_the_error_report_without_ndebug)
{
    const Run r = run_program({program_path("underflow_assert")}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    BOOST_TEST(r.status == 128 + 6); // SIGABRT from BUG_ON's assert
    BOOST_TEST(r.err.find("refdebug: ERROR: underflow") < r.err.find("Assertion"));
    const Run plain = run_program({program_path("underflow_assert")}, {}, false);
    BOOST_TEST(plain.status == 128 + 6);
}

BOOST_AUTO_TEST_CASE(dwarf_of_clang_and_of_split_dwarf_is_read)
{
    // clang's DWARF 5 has no .debug_aranges; -gsplit-dwarf keeps functions
    // in a .dwo file. Either way suspect #1 is named at its file:line, and
    // clang's inlined peek is a frame of its own.
    const std::pair<const char *, const char *> expected[] = {
        {"missing_put_clang", "forgets_put (" REFDEBUG_SOURCE_DIR "/test/programs/missing_put.c:"},
        {"inlined_clang", "peek (" REFDEBUG_SOURCE_DIR "/test/programs/inlined.c:"},
        {"holder_release_clang", "box__delete (" REFDEBUG_SOURCE_DIR "/test/programs/holder_release.c:"},
        {"scoped_cleanup_clang", "unit_start (" REFDEBUG_SOURCE_DIR "/test/programs/scoped_cleanup.c:"},
        {"missing_put_split", "forgets_put (" REFDEBUG_SOURCE_DIR "/test/programs/missing_put.c:"},
    };
    for (const auto &e : expected) {
        BOOST_TEST_CONTEXT(e.first)
        {
            struct stat st;
            if (stat(program_path(e.first).c_str(), &st) != 0) {
                BOOST_TEST_MESSAGE("skipped: no " << e.first << " (clang not installed)");
                continue;
            }
            const Run r = run_program({program_path(e.first)}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            const std::string suspect = first_suspect(r.err);
            BOOST_TEST(suspect.rfind(e.second, 0) == 0u, suspect);
        }
    }
}

BOOST_AUTO_TEST_CASE(code_unloaded_before_exit_is_not_read)
{
    // perf script --dlfilter: a plugin's code took the reference, and the
    // plugin was unloaded before the exit report. Its code is not read in
    // memory; its file is, where it was mapped.
    const std::vector<std::string> argv = {program_path("unloaded_plugin"), program_path("plugin.so")};
    const Run plain = run_program(argv, {}, false);
    BOOST_TEST(plain.status == 0, plain.err);
    const Run r = run_program(argv, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    BOOST_TEST(r.status == 0, r.err);
    const Summary s = parse_summary(r.err);
    BOOST_TEST(s.leaked == 1u);
    BOOST_TEST(s.references == 2u);
    BOOST_TEST(groups_without_suspect(r.err) == 0u);
    // The live report, while the plugin was loaded, named its function,
    // and so does the exit report, after the plugin was unloaded.
    const std::string keep = "suspect #1: plugin_keep (" REFDEBUG_SOURCE_DIR "/test/programs/plugin.c:";
    const size_t exit_report = r.err.find("refdebug report for unloaded_plugin");
    BOOST_TEST(r.err.find(keep) < exit_report, r.err);
    BOOST_TEST(r.err.find(keep, exit_report) != std::string::npos, r.err);
    // Without the live report, nothing was read of the plugin while it was
    // mapped: the exit report reads its file.
    const Run quiet = run_program({argv[0], argv[1], "quiet"}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    BOOST_TEST(quiet.status == 0, quiet.err);
    BOOST_TEST(quiet.err.find("live report") == std::string::npos, quiet.err);
    BOOST_TEST(first_suspect(quiet.err).rfind(keep.substr(std::string("suspect #1: ").size()), 0) == 0u, quiet.err);
}

BOOST_AUTO_TEST_CASE(without_debug_information_frames_are_symbol_and_module_offset)
{
    const Run r = run_program({program_path("missing_put_nodebug")}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    BOOST_TEST(parse_summary(r.err).leaked == 3u);
    const std::string suspect = first_suspect(r.err);
    BOOST_TEST(suspect.rfind("forgets_put (", 0) == 0u, suspect);
    BOOST_TEST(suspect.find("(missing_put_nodebug+0x") != std::string::npos, suspect);
    // One line says why, and what to do.
    BOOST_TEST(r.err.find("refdebug: note: missing_put_nodebug has no debug information") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("rebuild it with -g") != std::string::npos);
    // Built with -g: no such line.
    const Run with_g = run_program({program_path("missing_put")}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    BOOST_TEST(with_g.err.find("has no debug information") == std::string::npos, with_g.err);
    // libc's DWARF lives in a separate file (libc6-dbg) that is not read: its
    // frames are its symbols at module+offset, with or without that package,
    // and no note about them.
    BOOST_TEST(std::regex_search(with_g.err, std::regex(R"(<- __libc_start_call_main \(libc\.so\.6\+0x[0-9a-f]+\))")),
               with_g.err);
}

// The site table's stack column for each row, up to the outermost program
// frame (glibc's own frames have no frame pointers, so the walks differ there).
std::vector<std::string> stacks_to_main(const std::string &table)
{
    std::vector<std::string> stacks;
    std::istringstream lines(table);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#')
            continue;
        std::string stack = line.substr(line.rfind('\t') + 1);
        for (const char *outermost : {" <- __libc_start_call_main (", " <- start_thread ("}) {
            const size_t at = stack.find(outermost);
            if (at != std::string::npos)
                stack.erase(at);
        }
        stacks.push_back(stack);
    }
    std::sort(stacks.begin(), stacks.end());
    return stacks;
}

BOOST_AUTO_TEST_CASE(frame_pointer_and_dwarf_walks_agree)
{
    // Deterministic programs only: a threaded one takes different paths per run.
    for (const char *program : {"missing_put", "refcount_init", "cxx_program", "leaky_example"}) {
        BOOST_TEST_CONTEXT(program)
        {
            std::vector<std::vector<std::string>> stacks;
            for (const char *mode : {"fp", "dwarf", "auto"}) {
                const std::string path = temp_dir() + "/walk-" + program + "-" + mode + ".sites";
                const Run r = run_program({program_path(program)},
                                          {std::string("REFDEBUG_OPTIONS=unwind=") + mode + ":sites_path=" + path},
                                          true);
                BOOST_TEST(r.status == 0);
                stacks.push_back(stacks_to_main(read_file(path)));
            }
            BOOST_TEST(stacks[0].size() > 2u);
            BOOST_TEST(stacks[0] == stacks[1]);
            BOOST_TEST(stacks[0] == stacks[2]);
        }
    }
}

BOOST_AUTO_TEST_CASE(without_frame_pointers_auto_falls_back_to_dwarf)
{
    const Run with_auto = run_program({program_path("missing_put_nofp")}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    BOOST_TEST(parse_summary(with_auto.err).leaked == 3u);
    BOOST_TEST(first_suspect(with_auto.err).rfind("forgets_put ", 0) == 0u, first_suspect(with_auto.err));
    // Frame pointers alone see only the caller here; the counts stay exact.
    const Run fp_only =
        run_program({program_path("missing_put_nofp")}, {"REFDEBUG_OPTIONS=sites_path=none:unwind=fp"}, true);
    BOOST_TEST(parse_summary(fp_only.err).leaked == 3u);
    BOOST_TEST(first_suspect(fp_only.err).rfind("forgets_put ", 0) != 0u);
}

BOOST_AUTO_TEST_CASE(suppressions_silence_matching_leaks_and_errors_only)
{
    const std::string file = temp_dir() + "/suppressions.txt";
    std::ofstream(file) << "# known\nleak:make_orphan\nerror:main\n";
    const std::string opts = "REFDEBUG_OPTIONS=verbosity=1:sites_path=none:exitcode=5:suppressions=" + file;

    const Run leak = run_program({program_path("never_put")}, {opts}, true);
    BOOST_TEST(parse_summary(leak.err).leaked == 0u);
    BOOST_TEST(leak.err.find("refdebug: suppressed: 1 leaked object(s) holding 1 reference(s), 0 error(s)") !=
               std::string::npos);
    BOOST_TEST(leak.status == 0); // nothing left to fail on

    const Run other = run_program({program_path("missing_put")}, {opts}, true); // no rule matches it
    BOOST_TEST(parse_summary(other.err).leaked == 3u);
    BOOST_TEST(other.status == 5);

    const Run errors = run_program({program_path("use_after_release")}, {opts}, true);
    BOOST_TEST(parse_summary(errors.err).errors == 0u);
    BOOST_TEST(error_kinds(errors.err).empty());
    BOOST_TEST(errors.err.find("suppressed: 0 leaked object(s) holding 0 reference(s), 2 error(s)") !=
               std::string::npos);

    const Run missing = run_program({program_path("never_put")},
                                    {"REFDEBUG_OPTIONS=sites_path=none:suppressions=/nonexistent/file"}, true);
    BOOST_TEST(missing.err.find("refdebug: warning: cannot read suppressions file '/nonexistent/file'") !=
               std::string::npos);
    BOOST_TEST(parse_summary(missing.err).leaked == 1u);
}

BOOST_AUTO_TEST_CASE(report_signal_prints_a_live_report)
{
    const Run r = run_program({program_path("live_report")},
                              {"REFDEBUG_OPTIONS=sites_path=none:report_signal=USR2"}, true);
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.err.find("refdebug live report") != std::string::npos, r.err);
    const Summary s = parse_summary(r.err); // the live report's: the exit report is silent
    BOOST_TEST(s.leaked == 1u);
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') > 3);
    BOOST_TEST(r.err.find("SUMMARY") == r.err.rfind("SUMMARY")); // one report only
}

BOOST_AUTO_TEST_CASE(checkpoints_report_only_objects_born_since)
{
    const Run r = run_program({program_path("checkpoint")}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.out == "clean: 0\nleaks_two: 2\nclean_again: 0\n", r.out);
    // Clean cases print nothing; the leaking case one report, which names
    // its own function; the exit report then finds the same two objects.
    BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') > 3);
    const size_t since = r.err.find("born since checkpoint");
    BOOST_TEST_REQUIRE(since != std::string::npos, r.err);
    BOOST_TEST(r.err.find("born since checkpoint", since + 1) == std::string::npos);
    BOOST_TEST(r.err.find("case_leaks_two", since) != std::string::npos);
    BOOST_TEST(groups_without_suspect(r.err) == 0u); // one object reuses freed memory
    const Summary exit = parse_summary(r.err.substr(r.err.find("==== refdebug report for")));
    BOOST_TEST(exit.leaked == 2u);
    BOOST_TEST(exit.references == 2u);
}

BOOST_AUTO_TEST_CASE(folded_stacks_hold_the_unmatched_references)
{
    const std::string path = temp_dir() + "/missing_put.folded";
    const Run r = run_program({program_path("missing_put")},
                              {"REFDEBUG_OPTIONS=sites_path=none:folded_path=" + path}, true);
    BOOST_TEST(parse_summary(r.err).references == 3u);
    std::istringstream lines(read_file(path));
    unsigned long total = 0;
    size_t n = 0;
    for (std::string line; std::getline(lines, line); ++n) {
        const size_t space = line.rfind(' ');
        BOOST_TEST_REQUIRE(space != std::string::npos);
        total += std::stoul(line.substr(space + 1));
        BOOST_TEST(line.find(";main;forgets_put;obj__get ") != std::string::npos, line);
    }
    BOOST_TEST(n > 0u);
    BOOST_TEST(total == 3u); // the folded counts add up to the leaked references
}

BOOST_AUTO_TEST_CASE(filter_records_only_matching_births)
{
    struct Case {
        const char *program, *filter;
        unsigned long leaked, errors;
    };
    const Case cases[] = {
        {"never_put", "make_orphan", 1, 0},      // the orphan's birth stack has make_orphan
        {"never_put", "no_such_function*", 0, 0}, // nothing recorded, nothing reported
        {"missing_put", "obj__*", 3, 0},          // every birth matches: as without a filter
        {"use_after_release", "nothing", 0, 0},   // unrecorded objects report no error
        {"use_after_release", "main", 0, 2},
    };
    for (const Case &c : cases) {
        BOOST_TEST_CONTEXT(c.program << " filter=" << c.filter)
        {
            const Run r = run_program({program_path(c.program)},
                                      {std::string("REFDEBUG_OPTIONS=verbosity=1:sites_path=none:filter=") + c.filter},
                                      true);
            const Summary s = parse_summary(r.err);
            BOOST_TEST(s.found);
            BOOST_TEST(s.leaked == c.leaked);
            BOOST_TEST(s.errors == c.errors);
        }
    }
}

BOOST_AUTO_TEST_CASE(unwritable_outputs_fall_back_to_stderr)
{
    const Run full = run_program({program_path("never_put")}, {"REFDEBUG_OPTIONS=sites_path=/dev/full"}, true);
    BOOST_TEST(full.err.find("refdebug: warning: cannot write '/dev/full'") != std::string::npos, full.err);
    BOOST_TEST(full.err.find("# refdebug site table v1") != std::string::npos); // on stderr instead
    BOOST_TEST(parse_summary(full.err).leaked == 1u);
    const Run missing =
        run_program({program_path("never_put")}, {"REFDEBUG_OPTIONS=sites_path=none:log_path=/no/such/dir/log"}, true);
    BOOST_TEST(missing.err.find("refdebug: warning: cannot write '/no/such/dir/log.") != std::string::npos);
    BOOST_TEST(parse_summary(missing.err).leaked == 1u); // the report went to stderr
}

BOOST_AUTO_TEST_CASE(json_report_validates_and_agrees_with_the_text)
{
    std::vector<std::string> validate = {"/bin/sh", REFDEBUG_SOURCE_DIR "/test/validate_json.sh",
                                         REFDEBUG_SOURCE_DIR "/docs/report.schema.json"};
    for (const Case &c : cases) {
        if (std::string(c.program).find("fork") != std::string::npos)
            continue; // two processes, two files: checked below
        const std::string path = temp_dir() + "/" + c.program + ".json";
        const Run r = run_program({program_path(c.program)},
                                  {"REFDEBUG_OPTIONS=sites_path=none:json_path=" + path}, true);
        const Summary s = parse_summary(r.err);
        const std::string json = read_file(path);
        BOOST_TEST_CONTEXT(c.program)
        {
            for (const auto &field : {std::make_pair("leaked_objects", s.leaked),
                                      std::make_pair("leaked_references", s.references),
                                      std::make_pair("errors", s.errors)})
                BOOST_TEST(json.find("\"" + std::string(field.first) + "\": " + std::to_string(field.second) + ",") !=
                               std::string::npos,
                           field.first);
        }
        validate.push_back(path);
    }
    // A forked child writes PATH.<pid>; the parent keeps PATH.
    const std::string fork_path = temp_dir() + "/fork.json";
    run_program({program_path("fork_child_leak")}, {"REFDEBUG_OPTIONS=sites_path=none:json_path=" + fork_path}, true);
    const std::string listing = run_program({"/bin/sh", "-c", "ls " + fork_path + "*"}, {}, false).out;
    BOOST_TEST(std::count(listing.begin(), listing.end(), '\n') == 2, listing);
    BOOST_TEST(read_file(fork_path).find("\"leaked_objects\": 0,") != std::string::npos); // the parent
    const std::string child = listing.substr(listing.find(fork_path + "."), listing.find('\n', listing.find(fork_path + ".")) - listing.find(fork_path + "."));
    BOOST_TEST(read_file(child).find("\"leaked_objects\": 1,") != std::string::npos, child);
    validate.push_back(fork_path);
    validate.push_back(child);
    const Run v = run_program(validate, {}, false);
    BOOST_TEST(v.status == 0, v.out + v.err);
}

BOOST_AUTO_TEST_CASE(a_caller_holding_its_birth_and_an_extra_get_is_named_at_the_get)
{
    // handed_over creates: reopen() creates the object, takes one extra
    // reference and puts one; the get is the slip, not the birth.
    const Run r = run_program({program_path("handed_over"), "creates"}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    const std::string suspect = first_suspect(r.err);
    BOOST_TEST(suspect.rfind("reopen (", 0) == 0u, suspect);
    BOOST_TEST(suspect.find(") inc unmatched in 1 of 1 leaked objects (+1)") != std::string::npos, suspect);
    BOOST_TEST(parse_summary(r.err).leaked == 1u);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) // both stop the program at its use after free
BOOST_AUTO_TEST_CASE(a_put_without_a_get_is_named_when_freed_memory_is_used)
{
    // put_borrowed: glibc's free list overwrites the freed item's counter;
    // both of the owner's operations on it are errors naming inspect(), and
    // the item made again in that memory without refcount_set() is not.
    // error_path_put: the table's cleanup put, on freed memory, names
    // validate(), which dropped its caller's reference. released_balanced:
    // every function dropped what it took; the put that released it is named.
    const struct {
        const char *program;
        int errors;
        const char *suspect;
    } cases[] = {{"put_borrowed", 2, "inspect"}, {"error_path_put", 1, "validate"}, {"released_balanced", 1, "main"}};
    for (const auto &c : cases)
        for (const std::string &program : builds_of(c.program)) {
            BOOST_TEST_CONTEXT(program)
            {
                const Run r = run_program({program_path(program)}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
                BOOST_TEST(r.status == 0, r.err);
                const Summary s = parse_summary(r.err);
                BOOST_TEST(s.found);
                BOOST_TEST(s.leaked == 0u);
                BOOST_TEST(s.errors == static_cast<unsigned long>(c.errors));
                BOOST_TEST((error_kinds(r.err) == std::map<std::string, int>{{"use-after-release", c.errors}}),
                           r.err);
                BOOST_TEST(r.err.find("refdebug:   released by:\nrefdebug:     #0 ") != std::string::npos, r.err);
                size_t at = 0, named = 0;
                while ((at = r.err.find("refdebug:   suspect: ", at)) != std::string::npos) {
                    named += r.err.compare(at + 21, std::strlen(c.suspect) + 1, std::string(c.suspect) + " ") == 0;
                    ++at;
                }
                BOOST_TEST(named == static_cast<size_t>(c.errors), r.err);
            }
        }
    // The JSON report carries the suspect with the error, and validates.
    const std::string path = temp_dir() + "/put_borrowed.json";
    run_program({program_path("put_borrowed")}, {"REFDEBUG_OPTIONS=sites_path=none:json_path=" + path}, true);
    std::string json = read_file(path);
    json.erase(std::remove_if(json.begin(), json.end(), [](unsigned char ch) { return std::isspace(ch); }), json.end());
    BOOST_TEST(json.find("\"suspect\":{\"function\":\"inspect\"") != std::string::npos, json);
    const Run v = run_program({"/bin/sh", REFDEBUG_SOURCE_DIR "/test/validate_json.sh",
                               REFDEBUG_SOURCE_DIR "/docs/report.schema.json", path},
                              {}, false);
    BOOST_TEST(v.status == 0, v.out + v.err);
}

BOOST_AUTO_TEST_CASE(a_block_unmapped_and_mapped_again_starts_new_lives)
{
    // A block of 256 KiB glibc unmapped and the program mapped again: a counter
    // initialised there is a new life (adopted), not a use after release.
    for (const std::string &program : builds_of("remapped")) {
        BOOST_TEST_CONTEXT(program)
        {
            const Run r = run_program({program_path(program)}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            BOOST_TEST_REQUIRE(r.status != 2, "the pages were not mapped again at the same address: " + r.err);
            BOOST_TEST(r.status == 0, r.err);
            const Summary s = parse_summary(r.err);
            BOOST_TEST(s.errors == 0u, r.err);
            BOOST_TEST(s.leaked == 1u, r.err);
        }
    }
}
#endif

BOOST_AUTO_TEST_CASE(an_embedded_generic_counter_is_named_for_its_struct)
{
    // device_new() calls kref_init(), declared to return nothing: the kind
    // is the struct device_new() is declared to return, not the kref.
    each_report("cleanup_short", [](const std::string &err) {
        BOOST_TEST(err.find("group 1: 1 leaked device object(s)") != std::string::npos, err);
    });
}

BOOST_AUTO_TEST_CASE(a_parent_kept_by_a_leaked_child_of_its_kind_is_its_cascade)
{
    each_report("child_keeps_parent", [](const std::string &err) {
        BOOST_TEST(err.find("group 2: 1 leaked node object(s) holding 1 reference(s), cascade of group 1,") !=
                   std::string::npos,
                   err);
    });
}

BOOST_AUTO_TEST_CASE(a_block_freed_under_others_names_whose_references_were_held)
{
    // freed_pinned: peek() pins an element of an array freed at exit.
    each_report("freed_pinned", [](const std::string &err) {
        BOOST_TEST(err.find("suspect: peek (") != std::string::npos, err);
        BOOST_TEST(err.find("took 4 more than it dropped on this object") != std::string::npos, err);
    });
    // freed_while_referenced: main() took the second reference itself.
    each_report("freed_while_referenced", [](const std::string &err) {
        BOOST_TEST(err.find("suspect: main (") != std::string::npos, err);
    });
}

BOOST_AUTO_TEST_CASE(a_cascade_whose_objects_hold_only_their_births_names_the_birth)
{
    // cascade_birth: the leaked table's entries hold their births; a
    // callchain node's get, +3 in one entry and beyond what it holds,
    // ranked first by the tiers until the birth led such cascades.
    each_report("cascade_birth", [](const std::string &err) {
        const size_t group = err.find("group 2: 4 leaked entry object(s) holding 4 reference(s), cascade of group 1");
        BOOST_TEST_REQUIRE(group != std::string::npos, err);
        BOOST_TEST(err.find("suspect #1: table__new (", group) != std::string::npos, err);
        BOOST_TEST(err.find("set unmatched in 4 of 4 leaked objects", group) != std::string::npos, err);
    });
}

BOOST_AUTO_TEST_CASE(a_refill_is_named_only_where_the_release_dropped_as_many_as_were_made)
{
    // slot_refill: the refiller leads, the maker's evidence beside it.
    // copy_on_write: two makers fill the slot; together they took what
    // the release dropped. holder_lost, copy_on_write_lost: holders were
    // forgotten (and another constructor fills the same slots); no group
    // may read as refilled.
    each_report("slot_refill", [](const std::string &err) {
        BOOST_TEST(err.find("suspect #1: widget__set_label (") != std::string::npos, err);
        BOOST_TEST(err.find("refilled the holders' slot without dropping the references unmatched in 8 of 8 "
                            "leaked objects (+8)") != std::string::npos,
                   err);
        BOOST_TEST(err.find("suspect #2: widget__new (") != std::string::npos, err);
    });
    each_report("copy_on_write", [](const std::string &err) {
        BOOST_TEST(err.find("suspect #1: doc_write (") != std::string::npos, err);
        BOOST_TEST(err.find("refilled the holders' slot without dropping the references unmatched in 8 of 8 "
                            "leaked objects (+8)") != std::string::npos,
                   err);
    });
    for (const char *negative : {"holder_lost", "copy_on_write_lost"})
    each_report(negative, [](const std::string &err) {
        BOOST_TEST(err.find("refilled") == std::string::npos, err);
    });
}

BOOST_AUTO_TEST_CASE(kinds_come_from_declared_structs_and_unreleased_kinds_cascade_where_they_were_dropped)
{
    // event_machine: threads and dsos born in machine__findnew_thread()
    // and machine__findnew_dso() are threads and dsos, not machines; no dso
    // is ever released, and the dsos' references were dropped inside
    // map__put(): a cascade of the maps. At -O2 GCC folds map__get() into
    // dso__get() (identical code): the maps still read as maps, by their
    // release, and no put wrapper is named.
    each_report("event_machine", [](const std::string &err) {
        BOOST_TEST(err.find("group 1: 10 leaked thread object(s) holding 15 reference(s), born at:") !=
                   std::string::npos,
                   err);
        BOOST_TEST(err.find("group 2: 82 leaked map object(s) holding 84 reference(s), cascade of group 1,") !=
                   std::string::npos,
                   err);
        BOOST_TEST(err.find("4 leaked dso object(s) holding 82 reference(s), cascade of group 2,") !=
                   std::string::npos,
                   err);
        BOOST_TEST(err.find("suspect #1: map__put") == std::string::npos, err);
    });
}

BOOST_AUTO_TEST_CASE(a_cxx_constructor_names_the_kind_of_what_it_sets_up)
{
    // class_kind: Map::Map() sets the count up, and no function is declared
    // to return a Map *; the kind is its class's.
    each_report("class_kind", [](const std::string &err) {
        BOOST_TEST(err.find("3 leaked map object(s) holding 8 reference(s)") != std::string::npos, err);
    });
}

BOOST_AUTO_TEST_CASE(blocks_handed_out_hold_nothing_past_the_size_asked_for)
{
    // Without the runtime, a block reused from the allocator's cache still
    // holds its earlier fill past the size asked for (the check can fail);
    // with it, every reused block is clean there, whichever allocator.
    const Run plain = run_program({program_path("slack_cleared")}, {}, false);
    BOOST_TEST(plain.status == 0);
    BOOST_TEST(plain.out.find("malloc: 0 stale") == std::string::npos, plain.out);
    BOOST_TEST(plain.out.find("malloc: ") != std::string::npos, plain.out);
    const Run traced = run_program({program_path("slack_cleared")}, {}, true);
    BOOST_TEST(traced.status == 0);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // A sanitizer's allocator quarantines freed blocks: none is reused.
    BOOST_TEST(traced.out.find("malloc: 0 stale") != std::string::npos, traced.out);
    BOOST_TEST(traced.out.find("realloc: 0 stale") != std::string::npos, traced.out);
#endif
    BOOST_TEST(!std::regex_search(traced.out, std::regex(": [1-9][0-9]* stale")), traced.out);
}

BOOST_AUTO_TEST_CASE(a_removal_from_a_container_is_named_where_it_touched_only_leaked_objects)
{
    // exit_removal: the exit handler clears the table's slot without its
    // put; the purge at exit drops the table's reference of every thread
    // that did not exit. evicted (its LRU eviction does no operation on
    // the entry) keeps naming the cache's lookup, where the entry was made.
    each_report("exit_removal", [](const std::string &err) {
        BOOST_TEST(err.find("suspect #1: process_exit (") != std::string::npos, err);
        BOOST_TEST(err.find("removed them from their container without dropping its reference: took references on "
                            "20 of 20 leaked objects, on none of ") != std::string::npos,
                   err);
    });
}

BOOST_AUTO_TEST_CASE(a_wrapper_another_kinds_was_folded_into_names_no_kind)
{
    // folded_puts: at -O2 group_put() is inlined as user_put(); the groups
    // still read as groups (by their lookup), and are compared with groups.
    each_report("folded_puts", [](const std::string &err) {
        BOOST_TEST(err.find("group 1: 1 leaked group object(s) holding 15 reference(s)") != std::string::npos, err);
        BOOST_TEST(err.find(": close_session (") == std::string::npos, err);
    });
}

BOOST_AUTO_TEST_CASE(a_reference_handed_to_another_thread_is_that_threads_to_drop)
{
    // thread_handed: main() takes a reference for each worker it starts;
    // a cancelled request's workers return without their put, and make
    // no operation on it. In the reclaimed requests the workers dropped
    // all that main() took for them.
    each_report("thread_handed", [](const std::string &err) {
        BOOST_TEST(err.find("suspect #1: worker (") != std::string::npos, err);
        BOOST_TEST(err.find("was handed references by another thread and dropped fewer: in 4 of 4 leaked objects "
                            "(+12), where it dropped them in 16 reclaimed ones") != std::string::npos,
                   err);
    });
}

BOOST_AUTO_TEST_CASE(a_runner_that_dropped_what_was_queued_is_no_suspect)
{
    // queue_runs: the runner drops one reference per queued item, fewer
    // for the leaked objects (one item each) than for the average
    // reclaimed one (two), but as many as the queueing took for them.
    each_report("queue_runs", [](const std::string &err) {
        BOOST_TEST(err.find("suspect #1: report_one (") != std::string::npos, err);
        BOOST_TEST(err.find(": run_queue (") == std::string::npos, err);
    });
}

BOOST_AUTO_TEST_CASE(a_destructor_named_for_no_kind_is_named_when_it_takes_its_struct)
{
    // driver_ops: usb_remove(struct device *) frees the device still
    // pointing at its bus. At -O2 two tail calls in a row, the first
    // through a function pointer, leave only the dispatcher on free()'s
    // stack (docs/shapes.md).
    for (const std::string &program : builds_of("driver_ops")) {
        BOOST_TEST_CONTEXT(program)
        {
            const Run r = run_program({program_path(program)}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            const Summary s = parse_summary(r.err);
            BOOST_TEST(s.leaked == 3u, r.err);
            const std::string suspect = first_suspect(r.err);
            const bool optimized = program.size() > 3 && program.compare(program.size() - 3, 3, "_O2") == 0;
            BOOST_TEST((suspect.rfind("usb_remove (", 0) == 0 ||
                        (optimized && suspect.rfind("device__unregister (", 0) == 0)),
                       suspect);
            BOOST_TEST(suspect.find("freed blocks still pointing at them, without their puts, in 1 of 1 leaked "
                                    "objects (+3)") != std::string::npos,
                       suspect);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_container_leak_marks_its_children_as_cascade)
{
    // Without an argument four boxes are released first, so refdebug sees
    // where children are released; with one, none is: the children's birth
    // inside box__new tells whose they are. With "attach" no release
    // either, and the children are born outside the box: box__attach()
    // holding their references tells.
    for (const std::vector<std::string> &argv :
         {std::vector<std::string>{program_path("cascade")}, {program_path("cascade"), "never-released"},
          {program_path("cascade"), "attach"}}) {
        BOOST_TEST_CONTEXT(argv.back())
        {
            const Run r = run_program(argv, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            BOOST_TEST(r.err.find("group 1: 1 leaked box object(s) holding 1 reference(s), born at:") !=
                           std::string::npos,
                       r.err);
            BOOST_TEST(first_suspect(r.err).rfind("lose_box ", 0) == 0u, first_suspect(r.err));
            // The children (one group per call site in box__new) all come after it, as its cascade.
            static const std::regex child(R"(group (\d+): (\d+) leaked child object\(s\)[^\n]*)");
            unsigned long children = 0;
            for (std::sregex_iterator it(r.err.begin(), r.err.end(), child), end; it != end; ++it) {
                BOOST_TEST(std::stoul((*it)[1]) > 1u);
                BOOST_TEST(it->str().find(", cascade of group 1, born at:") != std::string::npos, it->str());
                children += std::stoul((*it)[2]);
            }
            BOOST_TEST(children == 3u);
        }
    }
}

BOOST_AUTO_TEST_CASE(out_of_memory_gives_fewer_records_never_a_false_leak)
{
    const Run plain = run_program({program_path("many_objects")}, {}, false);
    for (const char *mb : {"1", "4", "16"}) {
        BOOST_TEST_CONTEXT("max_memory_mb=" << mb)
        {
            const Run r = run_program({program_path("many_objects")},
                                      {std::string("REFDEBUG_OPTIONS=sites_path=none:max_memory_mb=") + mb}, true);
            BOOST_TEST(r.status == 0);
            BOOST_TEST(r.out == plain.out); // the program is unaffected
            const std::string warning = "refdebug: warning: out of memory for records";
            BOOST_TEST(r.err.find(warning) != std::string::npos, r.err);
            BOOST_TEST(r.err.find(warning) == r.err.rfind(warning)); // once
            static const std::regex unrecorded(R"(refdebug: unrecorded: (\d+) operation)");
            std::smatch m;
            BOOST_TEST_REQUIRE(std::regex_search(r.err, m, unrecorded), r.err);
            BOOST_TEST(std::stoul(m[1]) > 0u);
            const Summary s = parse_summary(r.err);
            BOOST_TEST(s.found);
            BOOST_TEST(s.leaked <= 500u); // fewer, never more than the 500 planted
            BOOST_TEST(s.references == s.leaked);
            BOOST_TEST(s.errors == 0u);
        }
    }
}

BOOST_AUTO_TEST_CASE(fork_and_exit_beside_busy_threads)
{
    for (int run = 0; run < 5; ++run) {
        BOOST_TEST_CONTEXT("run " << run)
        {
            // fork() while other threads may hold registry locks: every child runs on.
            const Run forked = run_program({program_path("busy_threads"), "fork"}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            BOOST_TEST(forked.status == 0, forked.err);
            BOOST_TEST(forked.out == "50 children, 0 failed\n");
            // exit() with threads still operating: the report runs beside them, whole.
            const Run exited = run_program({program_path("busy_threads"), "exit"}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
            BOOST_TEST(exited.status == 0, exited.err);
            const Summary s = parse_summary(exited.err);
            BOOST_TEST(s.found);
            BOOST_TEST(s.errors == 0u);
            // The 8 shared objects, plus at most one fresh object per spinning thread.
            BOOST_TEST(s.leaked >= 8u);
            BOOST_TEST(s.leaked <= 11u);
        }
    }
}

BOOST_AUTO_TEST_CASE(abort_beside_busy_threads_writes_nothing_half_way)
{
    const std::string json = temp_dir() + "/abort.json", sites = temp_dir() + "/abort.sites";
    const Run r = run_program({program_path("busy_threads"), "abort"},
                              {"REFDEBUG_OPTIONS=sites_path=" + sites + ":json_path=" + json}, true);
    BOOST_TEST(r.status == 128 + 6); // SIGABRT, as without the runtime
    BOOST_TEST(r.err.find("SUMMARY") == std::string::npos); // no atexit report
    struct stat st {};
    BOOST_TEST(stat(json.c_str(), &st) != 0); // outputs are written whole at report time, or not at all
    BOOST_TEST(stat(sites.c_str(), &st) != 0);
}

BOOST_AUTO_TEST_CASE(setgid_programs_ignore_refdebug_options)
{
    if (getuid() != 0) {
        BOOST_TEST_MESSAGE("skipped: needs root to make a setgid copy");
        return;
    }
    // The static runtime (LD_PRELOAD is ignored for setgid programs anyway).
    const std::string copy = temp_dir() + "/setgid_missing_put";
    const std::string make = "cp " + std::string(REFDEBUG_STATIC_PROGRAM) + " " + copy +
                             " && chgrp nogroup " + copy + " && chmod 2755 " + copy;
    BOOST_TEST_REQUIRE(run_program({"/bin/sh", "-c", make}, {}, false).status == 0);
    const std::string options = "REFDEBUG_OPTIONS=sites_path=none:exitcode=7";
    const Run plain = run_program({REFDEBUG_STATIC_PROGRAM}, {options}, false);
    BOOST_TEST(plain.status == 7); // the option works for an ordinary program
    const Run secure = run_program({copy}, {options}, false);
    BOOST_TEST(parse_summary(secure.err).leaked == 3u); // the runtime still runs, with its defaults
    BOOST_TEST(secure.status == 0, secure.err);          // exitcode=7 was not read
}

BOOST_AUTO_TEST_CASE(output_files_are_private_and_never_followed_through_a_symlink)
{
    const std::string dir = temp_dir();
    const std::string fresh = dir + "/fresh.sites", link = dir + "/link.sites", target = dir + "/target";
    const Run r = run_program({program_path("never_put")}, {"REFDEBUG_OPTIONS=sites_path=" + fresh}, true);
    BOOST_TEST(parse_summary(r.err).leaked == 1u);
    struct stat st {};
    BOOST_TEST_REQUIRE(stat(fresh.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u); // not 0644, under the usual umask
    BOOST_TEST_REQUIRE(run_program({"/bin/sh", "-c", "echo keep > " + target + " && ln -s " + target + " " + link}, {}, false).status == 0);
    const Run l = run_program({program_path("never_put")}, {"REFDEBUG_OPTIONS=sites_path=" + link}, true);
    BOOST_TEST(l.err.find("refdebug: warning: cannot write '" + link + "' (Too many levels of symbolic links)") !=
                   std::string::npos,
               l.err);
    BOOST_TEST(l.err.find("# refdebug site table v1") != std::string::npos); // on stderr instead
    BOOST_TEST(read_file(target) == "keep\n");                             // the symlink's target untouched
}

BOOST_AUTO_TEST_CASE(exitcode_option_sets_the_exit_status)
{
    const Run leaky = run_program({program_path("missing_put")}, {"REFDEBUG_OPTIONS=exitcode=23"}, true);
    BOOST_TEST(leaky.status == 23);
    const Run clean = run_program({program_path("balanced")}, {"REFDEBUG_OPTIONS=exitcode=23"}, true);
    BOOST_TEST(clean.status == 0);
}

BOOST_AUTO_TEST_CASE(launcher_preloads_and_maps_flags)
{
    const Run r = run_program({launcher_path(), "--sites-path=none", "--exitcode", "9", "--",
                               program_path("missing_put")},
                              {}, false);
    BOOST_TEST(r.status == 9);
    BOOST_TEST(parse_summary(r.err).leaked == 3u);
    const Run bad = run_program({launcher_path(), "--no-such-option=1", "--", program_path("balanced")}, {}, false);
    BOOST_TEST(bad.status == 2);
    BOOST_TEST(bad.err.find("unknown option 'no_such_option'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_options_warn_once_and_run_on)
{
    const Run r = run_program({program_path("missing_put")},
                              {"REFDEBUG_OPTIONS=depth=999:bogus=1:history=x:sites_path=none"}, true);
    BOOST_TEST(r.err.find("refdebug: warning: bad value '999' for option 'depth'") != std::string::npos);
    BOOST_TEST(r.err.find("refdebug: warning: unknown option 'bogus'") != std::string::npos);
    BOOST_TEST(r.err.find("refdebug: warning: bad value 'x' for option 'history'") != std::string::npos);
    BOOST_TEST(parse_summary(r.err).leaked == 3u); // defaults kept, program ran on
}

BOOST_AUTO_TEST_CASE(a_background_leak_keeps_its_own_group_and_suspect)
{
    // short_batch: the short batch put (2 references) and, beside it,
    // keep_one()'s reference on another object.
    for (const std::string &program : builds_of("short_batch")) {
        const Run r = run_program({program_path(program)}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
        std::vector<std::string> firsts;
        static const std::regex first(R"(suspect #1: (\S+) )");
        for (std::sregex_iterator it(r.err.begin(), r.err.end(), first), end; it != end; ++it)
            firsts.push_back((*it)[1]);
        BOOST_TEST_REQUIRE(firsts.size() == 2u, r.err);
        BOOST_TEST(firsts[0] == "batch_put", program);
        BOOST_TEST(firsts[1] == "keep_one", program);
    }
}

BOOST_AUTO_TEST_CASE(each_group_shows_its_suspects_paths_and_an_objects_unbalanced_sites)
{
    // lookup_cache: handle_comm's reference came through machine_findnew.
    const Run r = run_program({program_path("lookup_cache")}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    std::smatch via;
    BOOST_TEST_REQUIRE(std::regex_search(r.err, via, std::regex(R"(suspect #1: handle_comm [^\n]*\nrefdebug:     via: ([^\n]*)\n)")),
                       r.err);
    const std::string path = via[1];
    BOOST_TEST(path.rfind("obj__get (", 0) == 0u, path); // from the get
    BOOST_TEST(path.find(" <- table_findnew (") != std::string::npos, path);
    BOOST_TEST(std::regex_search(path, std::regex(R"( <- handle_comm \(\S+lookup_cache.c:\d+\) <- main \(\S+\)$)")), path); // to its caller
    // The representative object's unbalanced sites add up to its count.
    std::smatch head;
    BOOST_TEST_REQUIRE(std::regex_search(r.err, head, std::regex(R"(unbalanced sites of object 0x[0-9a-f]+ \(count (\d+), )")));
    long sum = 0;
    size_t sites = 0;
    static const std::regex row(R"(refdebug:     ([+-]\d+) in \d+ (set|inc|dec) \[site \d+\]: )");
    for (std::sregex_iterator it(r.err.begin(), r.err.end(), row), end; it != end; ++it, ++sites)
        sum += std::stol((*it)[1]);
    BOOST_TEST(sites >= 2u);
    if (r.err.find("more sites)") == std::string::npos)
        BOOST_TEST(sum == std::stol(head[1]));
    // The tail of the history: with verbosity=1 only.
    BOOST_TEST(r.err.find("history of object") == std::string::npos);
    const Run verbose = run_program({program_path("lookup_cache")}, {"REFDEBUG_OPTIONS=sites_path=none:verbosity=1"}, true);
    BOOST_TEST(verbose.err.find("history of object") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(inlined_and_tail_called_functions_are_frames_in_every_output)
{
    // inlined.c at -O2: peek() and item__get() are inlined into scan().
    const std::string base = temp_dir() + "/inlined";
    const Run r = run_program({program_path("inlined_O2")},
                              {"REFDEBUG_OPTIONS=sites_path=" + base + ".sites:json_path=" + base +
                               ".json:folded_path=" + base + ".folded"},
                              true);
    BOOST_TEST(std::regex_search(
                   r.err, std::regex(R"(via: item__get \(\S+inlined.c:\d+, inlined\) <- peek \(\S+inlined.c:\d+, inlined\) <- scan \()")),
               r.err);
    // Stacks printed whole (the birth's, with verbosity=1 the history's) mark them too.
    const Run verbose = run_program({program_path("inlined_O2")}, {"REFDEBUG_OPTIONS=sites_path=none:verbosity=1"}, true);
    BOOST_TEST(std::regex_search(verbose.err, std::regex(R"(#1 0x[0-9a-f]+ peek \S+inlined.c:\d+ \(inlined\)\n)")),
               verbose.err);
    const std::string table = read_file(base + ".sites");
    BOOST_TEST(std::regex_search(table, std::regex(R"(\tinc\t[^\n]*\tpeek\t[^\n]*item__get \([^)]*\) <- peek \([^)]*\) <- scan )")),
               table);
    const std::string json = read_file(base + ".json");
    BOOST_TEST(std::regex_search(json, std::regex(R"("function": "peek",\s*"inlined": true)")), json);
    BOOST_TEST(read_file(base + ".folded").find(";scan;peek;item__get 1") != std::string::npos,
               read_file(base + ".folded"));
    // refcount_init.c at -O2: extra_get() tail-calls obj__get(), leaving no
    // frame of its own; its caller's call names it.
    const Run tail = run_program({program_path("refcount_init_O2")}, {"REFDEBUG_OPTIONS=sites_path=none"}, true);
    BOOST_TEST(std::regex_search(tail.err, std::regex(R"(via: obj__get \(\S+\) <- extra_get \((tail call|\S+refcount_init.c:\d+)\))")),
               tail.err);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) // sanitizer builds make no tail calls
    BOOST_TEST(tail.err.find(" <- extra_get (tail call) <- main (") != std::string::npos, tail.err);
#endif
    // GCC's clone suffixes appear in no output.
    const Run clones = run_program({program_path("clones_O2")},
                                   {"REFDEBUG_OPTIONS=sites_path=" + base + ".clones.sites:json_path=" + base +
                                    ".clones.json"},
                                   true);
    BOOST_TEST(clones.err.find("batch_release") != std::string::npos);
    for (const std::string &text : {clones.err, read_file(base + ".clones.sites"), read_file(base + ".clones.json")})
        BOOST_TEST(!std::regex_search(text, std::regex(R"(\.(constprop|isra|part|cold)\b)")), text);
}

BOOST_AUTO_TEST_SUITE_END()
