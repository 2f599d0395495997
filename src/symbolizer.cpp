// SPDX-License-Identifier: MIT
#define BOOST_STACKTRACE_LINK
#include "symbolizer.h"

#include "names.h"

#include <boost/core/demangle.hpp>
#include <boost/stacktrace/frame.hpp>
#include <cstdio>
#include <dlfcn.h>
#include <mutex>
#include <unordered_map>

#if REFDEBUG_HAVE_LIBBACKTRACE
#include <backtrace.h>
#endif

namespace refdebug {
namespace {

#if REFDEBUG_HAVE_LIBBACKTRACE
backtrace_state *libbacktrace()
{
    // Threaded: the report may run on any thread. Errors (no debug
    // information) only mean fewer frames: Boost names those.
    static backtrace_state *state = backtrace_create_state(nullptr, 1, [](void *, const char *, int) {}, nullptr);
    return state;
}

// Each level of an inline chain, innermost first; empty without debug information.
std::vector<Symbol> inline_chain(uintptr_t pc)
{
    std::vector<Symbol> chain;
    if (!libbacktrace())
        return chain;
    backtrace_pcinfo(
        libbacktrace(), pc,
        [](void *data, uintptr_t, const char *file, int line, const char *function) {
            if (!function)
                return 0;
            Symbol s;
            s.function = boost::core::demangle(function);
            s.file = file ? file : "";
            s.line = line > 0 ? static_cast<unsigned>(line) : 0;
            s.inlined = true;
            static_cast<std::vector<Symbol> *>(data)->push_back(std::move(s));
            return 0;
        },
        [](void *, const char *, int) {}, &chain);
    // The function the code is in: its symbol names it in full (DWARF gives
    // C++ functions in an anonymous namespace unqualified).
    if (!chain.empty()) {
        backtrace_syminfo(
            libbacktrace(), pc,
            [](void *data, uintptr_t, const char *symbol, uintptr_t, uintptr_t) {
                if (symbol)
                    static_cast<std::vector<Symbol> *>(data)->back().function = boost::core::demangle(symbol);
            },
            [](void *, const char *, int) {}, &chain);
    }
    return chain;
}
#else
std::vector<Symbol> inline_chain(uintptr_t) { return {}; }
#endif

// The binary holding pc, and return_address's offset from its symbol (or
// from the binary when there is no symbol); false when nothing holds pc.
bool module_of(uintptr_t return_address, uintptr_t pc, Symbol &sym, Dl_info &info)
{
    if (!dladdr(reinterpret_cast<void *>(pc), &info))
        return false;
    if (info.dli_fname) {
        sym.module = info.dli_fname;
        const size_t slash = sym.module.rfind('/');
        if (slash != std::string::npos)
            sym.module.erase(0, slash + 1);
    }
    const uintptr_t base = reinterpret_cast<uintptr_t>(info.dli_saddr ? info.dli_saddr : info.dli_fbase);
    sym.offset = return_address - base;
    return true;
}

// The function the code is in, by Boost: the symbol table names what has no
// DWARF (then as "function+0xoffset", the offset from the module).
Symbol physical_frame(uintptr_t return_address, uintptr_t pc)
{
    Symbol sym;
    const boost::stacktrace::frame frame(reinterpret_cast<const void *>(pc));
    sym.function = without_clone_suffix(frame.name());
    sym.file = frame.source_file();
    sym.line = static_cast<unsigned>(frame.source_line());
    Dl_info info{};
    if (module_of(return_address, pc, sym, info) && info.dli_saddr && sym.file.empty() && !sym.function.empty()) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "+0x%lx", static_cast<unsigned long>(sym.offset));
        sym.function += buf;
        sym.offset = return_address - reinterpret_cast<uintptr_t>(info.dli_fbase);
    }
    if (sym.function.empty())
        sym.function = "??";
    return sym;
}

} // namespace

std::string Symbol::location() const
{
    if (!file.empty() && line)
        return file + ":" + std::to_string(line);
    char buf[32];
    std::snprintf(buf, sizeof buf, "+0x%lx", static_cast<unsigned long>(offset));
    return (module.empty() ? std::string("??") : module) + buf;
}

const std::vector<Symbol> &symbolize_inline(uintptr_t return_address)
{
    // Leaked on purpose: the exit report runs after static destructors may have.
    static auto *lock = new std::mutex;
    static auto *cache = new std::unordered_map<uintptr_t, std::vector<Symbol>>;
    std::lock_guard<std::mutex> guard(*lock);
    auto it = cache->find(return_address);
    if (it != cache->end())
        return it->second;

    const uintptr_t pc = return_address ? return_address - 1 : 0;
    std::vector<Symbol> frames = inline_chain(pc);
    if (frames.empty()) {
        frames.push_back(physical_frame(return_address, pc));
    } else {
        frames.back().inlined = false; // the outermost level is the function the code is in
        Symbol where;
        Dl_info info{};
        module_of(return_address, pc, where, info);
        for (Symbol &s : frames) {
            s.function = without_clone_suffix(s.function);
            s.module = where.module;
            s.offset = where.offset;
        }
    }
    return cache->emplace(return_address, std::move(frames)).first->second;
}

uintptr_t function_start(uintptr_t pc)
{
#if REFDEBUG_HAVE_LIBBACKTRACE
    uintptr_t start = 0;
    if (libbacktrace())
        backtrace_syminfo(
            libbacktrace(), pc,
            [](void *data, uintptr_t, const char *symbol, uintptr_t value, uintptr_t) {
                if (symbol)
                    *static_cast<uintptr_t *>(data) = value;
            },
            [](void *, const char *, int) {}, &start);
    return start;
#else
    Dl_info info{};
    return dladdr(reinterpret_cast<void *>(pc), &info) ? reinterpret_cast<uintptr_t>(info.dli_saddr) : 0;
#endif
}

} // namespace refdebug
