// SPDX-License-Identifier: MIT
// Return addresses to function, file and line, once per address, at report
// time only (Boost.Stacktrace's backtrace backend: DWARF, static functions too).
#pragma once

#include <cstdint>
#include <string>

namespace refdebug {

struct Symbol {
    std::string function; // demangled; "??" when unknown
    std::string file;     // empty when there is no line information
    unsigned line = 0;
    std::string module;   // the binary holding the address
    uintptr_t offset = 0; // from the function's start (when known), else from the module

    // "file:line", or "module+0xoffset" without line information.
    std::string location() const;
};

// The symbol of a return address (looked up at pc - 1, the call itself); cached.
const Symbol &symbolize(uintptr_t return_address);

} // namespace refdebug
