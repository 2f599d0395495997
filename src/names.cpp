// SPDX-License-Identifier: MIT
#include "names.h"

#include <cstring>

namespace refdebug {
namespace {

bool is_clone_kind(const std::string &s)
{
    for (const char *kind : {"constprop", "isra", "part", "cold", "lto_priv", "localalias", "clone"})
        if (s == kind)
            return true;
    return false;
}

bool all_digits(const std::string &s)
{
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

} // namespace

std::string without_clone_suffix(std::string f)
{
    // C++ demangled: "ns::f(int) [clone .isra.0] [clone .cold]".
    for (size_t at; (at = f.rfind(" [clone .")) != std::string::npos && f.back() == ']';)
        f.erase(at);
    // C: "f.isra.0.cold", "f.part.0", "f.constprop.1".
    for (;;) {
        const size_t dot = f.rfind('.');
        if (dot == std::string::npos || dot == 0)
            return f;
        const std::string tail = f.substr(dot + 1);
        if (is_clone_kind(tail)) {
            f.erase(dot);
            continue;
        }
        if (!all_digits(tail))
            return f;
        const size_t kind = f.rfind('.', dot - 1);
        if (kind == std::string::npos || !is_clone_kind(f.substr(kind + 1, dot - kind - 1)))
            return f;
        f.erase(kind);
    }
}

} // namespace refdebug
