// SPDX-License-Identifier: MIT
// Runs a test program, with or without the runtime, and reads what it printed.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace refdebug_test {

struct Run {
    int status = -1;       // exit status, or 128 + signal
    std::string out;       // standard output
    std::string err;       // standard error
};

// Runs argv with extra environment entries ("KEY=value"); preload adds the runtime.
Run run_program(const std::vector<std::string> &argv, const std::vector<std::string> &env, bool preload);

// The numbers of the SUMMARY line; found is false when there is none.
struct Summary {
    bool found = false;
    unsigned long leaked = 0, references = 0, errors = 0;
};
Summary parse_summary(const std::string &text);

// "ERROR: <kind>" lines by kind.
std::map<std::string, int> error_kinds(const std::string &text);

// What follows "suspect #1: " (the function first), or "".
std::string first_suspect(const std::string &text);

// Paths baked in by CMake.
std::string program_path(const std::string &name);
std::string runtime_path();
std::string launcher_path();
std::string temp_dir();
std::string read_file(const std::string &path);

} // namespace refdebug_test
