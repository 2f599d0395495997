// SPDX-License-Identifier: MIT
// libFuzzer target: REFDEBUG_OPTIONS text. Whatever the input, parsing must
// not crash (ASan/UBSan watch), every number must stay within its declared
// bounds, and there is at most one warning per item.
#include "options.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace refdebug;

namespace {
template <class T> void check_bounds(const T &, long, long) {}
void check_bounds(const Int &v, long lo, long hi)
{
    if (v < lo || v > hi)
        abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    Options opts;
    std::string warnings;
    parse_options(text.c_str(), opts, warnings); // stops at an embedded NUL, as getenv would
#define REFDEBUG_OPTION(type, name, def, lo, hi, help) check_bounds(opts.name, lo, hi);
#include "options.inc"
#undef REFDEBUG_OPTION
    size_t items = 1, lines = 0;
    for (char c : std::string(text.c_str()))
        items += c == ':';
    for (char c : warnings)
        lines += c == '\n';
    if (lines > items)
        abort();
    return 0;
}
