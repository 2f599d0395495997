// SPDX-License-Identifier: MIT
// Parsing of REFDEBUG_OPTIONS, driven by the table in options.inc.
#include "options.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>

namespace refdebug {
namespace {

// One parser per value type; false means "bad value, keep the default".
bool parse(const std::string &v, String &out, long, long)
{
    if (v.empty())
        return false;
    out = v;
    return true;
}

bool parse(const std::string &v, Int &out, long lo, long hi)
{
    if (lo == kHistoryAll && v == "all") {
        out = kHistoryAll;
        return true;
    }
    if (v.empty())
        return false;
    char *end = nullptr;
    errno = 0;
    long n = std::strtol(v.c_str(), &end, 10);
    if (errno || *end || n < lo || n > hi || (lo == kHistoryAll && n < 0))
        return false;
    out = static_cast<int>(n);
    return true;
}

bool parse(const std::string &v, Bool &out, long, long)
{
    if (v == "1" || v == "true" || v == "yes")
        out = true;
    else if (v == "0" || v == "false" || v == "no")
        out = false;
    else
        return false;
    return true;
}

bool parse(const std::string &v, Unwind &out, long, long)
{
    if (v == "auto")
        out = Unwind::automatic;
    else if (v == "fp")
        out = Unwind::fp;
    else if (v == "dwarf")
        out = Unwind::dwarf;
    else
        return false;
    return true;
}

bool parse(const std::string &v, Signal &out, long, long)
{
    static const std::pair<const char *, int> names[] = {
        {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"HUP", SIGHUP}, {"INT", SIGINT},
        {"QUIT", SIGQUIT}, {"TERM", SIGTERM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}};
    const std::string name = v.rfind("SIG", 0) == 0 ? v.substr(3) : v;
    for (const auto &n : names) {
        if (name == n.first) {
            out = Signal(n.second);
            return true;
        }
    }
    int number = 0;
    if (!parse(v, number, 1, SIGRTMAX) || number == SIGKILL || number == SIGSTOP)
        return false;
    out = Signal(number);
    return true;
}

// Text from the environment, safe to quote in a one-line warning.
std::string printable(const std::string &text)
{
    std::string out;
    for (unsigned char c : text.substr(0, 80))
        out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
    return text.size() > 80 ? out + "..." : out;
}

std::string show(Signal v) { return v.number ? std::to_string(v.number) : "none"; }
std::string show(Unwind v) { return v == Unwind::fp ? "fp" : v == Unwind::dwarf ? "dwarf" : "auto"; }
std::string show(const String &v) { return v.empty() ? "-" : v; }
std::string show(Int v) { return std::to_string(v); }
std::string show(Bool v) { return v ? "1" : "0"; }

} // namespace

void parse_options(const char *text, Options &opts, std::string &warnings)
{
    if (!text)
        return;
    const std::string all(text);
    const Options defaults;
    size_t start = 0;
    while (start <= all.size()) {
        size_t end = all.find(':', start);
        if (end == std::string::npos)
            end = all.size();
        const std::string item = all.substr(start, end - start);
        start = end + 1;
        if (item.empty())
            continue;
        const size_t eq = item.find('=');
        const std::string key = item.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
        bool known = false, ok = false;
#define REFDEBUG_OPTION(type, name, def, lo, hi, help)                                             \
    if (key == #name) {                                                                            \
        known = true;                                                                              \
        ok = parse(value, opts.name, lo, hi);                                                      \
        if (!ok)                                                                                   \
            opts.name = defaults.name;                                                             \
    }
#include "options.inc"
#undef REFDEBUG_OPTION
        if (!known)
            warnings += "unknown option '" + printable(key) + "' ignored\n";
        else if (!ok)
            warnings += "bad value '" + printable(value) + "' for option '" + key + "', using the default\n";
    }
}

std::string options_help()
{
    std::string out;
    const Options defaults;
#define REFDEBUG_OPTION(type, name, def, lo, hi, help)                                             \
    out += std::string("  ") + #name + "=" + show(defaults.name) + "  " + help + "\n";
#include "options.inc"
#undef REFDEBUG_OPTION
    return out;
}

} // namespace refdebug
