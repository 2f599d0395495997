// SPDX-License-Identifier: MIT
// The launcher's commands over finished runs: comparing two JSON reports
// (refdebug diff) and summing site tables (refdebug merge).
#pragma once

#include <string>

namespace refdebug {

// refdebug diff [--json] BEFORE.json AFTER.json: 0 when nothing is new,
// 1 when a leak group or an error is, 2 on bad input.
int diff_command(int argc, char **argv);

// refdebug merge [-o OUT] FILE...: 0, or 2 on bad input.
int merge_command(int argc, char **argv);

} // namespace refdebug
