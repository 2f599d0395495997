// SPDX-License-Identifier: MIT
// Return addresses to function, file and line, once per address, at report
// time only. Each inlined function is a frame of its own, and what has no
// debug information is named from the symbol tables (static functions
// too): elfutils' libdw, which reads only the modules and compilation
// units the reported stacks pass through. Without libdw, Boost.Stacktrace's
// backtrace backend (no inlined frames).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace refdebug {

struct Symbol {
    std::string function; // demangled, without clone suffixes; "??" when unknown
    std::string file;     // empty when there is no line information
    unsigned line = 0;
    std::string module;   // the binary holding the address
    uintptr_t offset = 0; // of the return address, from the module's start
    bool inlined = false; // inlined into the next frame out (same address)
    // The struct it is declared to return a pointer to ("struct thread *":
    // "thread"), by its DWARF; empty for anything else. By perf's and the
    // kernel's convention, a function returning an object hands its
    // caller a reference.
    std::string returns;
    // Declared to return nothing (DWARF says so): it cannot hand a
    // reference to its caller by its return value.
    bool returns_void = false;
    // Takes a pointer to a pointer (or to a pointer-wide integer): it can
    // hand a value back through it, as a hash map's delete does.
    bool hands_back = false;
    // Takes a pointer to a struct, or to a pointer to one (DWARF says so):
    // it acts on an object of its own type, not on whatever memory it is
    // handed.
    bool takes_struct = false;
    // Takes a pointer of any type (DWARF says so): a function taking none
    // frees only what it found itself, never what its caller handed it.
    bool takes_pointer = false;
    // DWARF describes the function: the facts above are known, not defaults.
    bool declared = false;
    // The file DWARF says declares a C function ("" without DWARF, and for
    // C++): two files' static functions of one name are two functions.
    std::string decl_file;
    // function was prefixed with its file's name (qualify_shared_names()).
    bool qualified = false;
    // Functions of its compilation unit that DWARF says were inlined but
    // that no inlined scope names: GCC's identical-code folding merged
    // them into another function before inlining it, and their inlined
    // calls carry that one's name (map__get() inlined as dso__get()). Null
    // without DWARF; shared by the unit's symbols.
    const std::vector<std::string> *inlined_away = nullptr;

    // "file:line", or "module+0xoffset" without line information.
    std::string location() const;
};

// The frames of a return address (looked up at pc - 1, the call itself),
// innermost first: the inlined functions, then the function the code is
// in, which alone has inlined == false. Never empty; cached.
const std::vector<Symbol> &symbolize_inline(uintptr_t return_address);

// A call a function ends in by jumping to its callee (a tail call), as the
// function's DWARF records it (GCC's call sites): the callee's name and,
// when the same compilation unit defines it, its entry (else 0).
struct TailCall {
    std::string function;
    uintptr_t entry = 0;
};

// Functions of one name declared in different files (two files' static
// handle()) are renamed after their file ("smtp.c::handle"), in every
// symbol read so far, so that no rule reads them as one function. True
// when a name changed.
bool qualify_shared_names();

// The tail calls of the function entered at entry; none without DWARF
// call sites. Cached.
const std::vector<TailCall> &tail_calls(uintptr_t entry);

// The start of the function whose code holds pc, by the symbol tables
// (static functions too); 0 when no symbol covers it.
uintptr_t function_start(uintptr_t pc);

} // namespace refdebug
