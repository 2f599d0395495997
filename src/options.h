// SPDX-License-Identifier: MIT
// Runtime options: parsed once from refdebug_default_options() and then
// REFDEBUG_OPTIONS (key=value:key=value). Bad input warns and keeps the default.
#pragma once

#include "capture.h"

#include <string>

namespace refdebug {

using String = std::string;
using Int = int;
using Bool = bool;
// A signal number; 0 for none. Parsed from "USR2", "SIGUSR2" or a number.
struct Signal {
    int number = 0;
    Signal(int n = 0) : number(n) {}
};

constexpr int kMaxDepth = 64;  // the depth option's upper bound
constexpr int kHistoryAll = -1; // history=all

struct Options {
#define REFDEBUG_OPTION(type, name, def, lo, hi, help) type name = def;
#include "options.inc"
#undef REFDEBUG_OPTION
};

// Parses text over opts; each bad key or value appends one warning line
// (without the "refdebug: warning: " prefix) and keeps that option's default.
void parse_options(const char *text, Options &opts, std::string &warnings);

// One line per option: name, default, help.
std::string options_help();

} // namespace refdebug
