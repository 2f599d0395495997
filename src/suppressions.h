// SPDX-License-Identifier: MIT
// Suppressions: known leaks and errors a user chose to silence, one
// `leak:<glob>` or `error:<glob>` per line, '#' starting a comment. A glob
// matches a frame's function name or its file:line (fnmatch rules).
#pragma once

#include "ids.h"

#include <string>
#include <vector>

namespace refdebug {

struct Suppressions {
    std::vector<std::string> leak;  // matched against a leak group's birth stack
    std::vector<std::string> error; // matched against an error's offending stack

    // Appends the rules in text; each bad line appends one warning line.
    void parse(const std::string &text, std::string &warnings);
    bool empty() const { return leak.empty() && error.empty(); }
};

// True when a frame of site's stack matches one of globs.
bool stack_matches(const std::vector<std::string> &globs, SiteId site);

} // namespace refdebug
