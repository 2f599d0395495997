// SPDX-License-Identifier: MIT
#define BOOST_STACKTRACE_LINK
#include "symbolizer.h"

#include "names.h"

#include <boost/stacktrace/frame.hpp>
#include <cstdio>
#include <dlfcn.h>
#include <mutex>
#include <unordered_map>

namespace refdebug {

std::string Symbol::location() const
{
    if (!file.empty() && line)
        return file + ":" + std::to_string(line);
    char buf[32];
    std::snprintf(buf, sizeof buf, "+0x%lx", static_cast<unsigned long>(offset));
    return (module.empty() ? std::string("??") : module) + buf;
}

const Symbol &symbolize(uintptr_t return_address)
{
    // Leaked on purpose: the exit report runs after static destructors may have.
    static auto *lock = new std::mutex;
    static auto *cache = new std::unordered_map<uintptr_t, Symbol>;
    std::lock_guard<std::mutex> guard(*lock);
    auto it = cache->find(return_address);
    if (it != cache->end())
        return it->second;

    Symbol sym;
    const uintptr_t pc = return_address ? return_address - 1 : 0;
    const boost::stacktrace::frame frame(reinterpret_cast<const void *>(pc));
    sym.function = without_clone_suffix(frame.name());
    sym.file = frame.source_file();
    sym.line = static_cast<unsigned>(frame.source_line());
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(pc), &info)) {
        if (info.dli_fname) {
            sym.module = info.dli_fname;
            const size_t slash = sym.module.rfind('/');
            if (slash != std::string::npos)
                sym.module.erase(0, slash + 1);
        }
        const uintptr_t base = reinterpret_cast<uintptr_t>(info.dli_saddr ? info.dli_saddr : info.dli_fbase);
        sym.offset = return_address - base;
        if (info.dli_saddr && sym.file.empty() && !sym.function.empty()) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "+0x%lx", static_cast<unsigned long>(sym.offset));
            sym.function += buf;
            sym.offset = return_address - reinterpret_cast<uintptr_t>(info.dli_fbase);
        }
    }
    if (sym.function.empty())
        sym.function = "??";
    return cache->emplace(return_address, std::move(sym)).first->second;
}

} // namespace refdebug
