// SPDX-License-Identifier: MIT
// libFuzzer target: a suppressions file. Parsing must not crash, every rule
// kept must be non-empty, and matching the rules (fnmatch globs) against a
// real stack must not crash either.
#include "depot.h"
#include "suppressions.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace refdebug;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {
__attribute__((noinline)) SiteId a_site()
{
    static SiteId site = [] {
        const uintptr_t frames[] = {reinterpret_cast<uintptr_t>(&a_site) + 1,
                                    reinterpret_cast<uintptr_t>(&LLVMFuzzerTestOneInput) + 1};
        return depot_intern(Op::inc, frames, 2);
    }();
    return site;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Suppressions s;
    std::string warnings;
    s.parse(std::string(reinterpret_cast<const char *>(data), size), warnings);
    for (const auto *rules : {&s.leak, &s.error})
        for (const std::string &glob : *rules)
            if (glob.empty())
                abort();
    (void)stack_matches(s.leak, a_site());
    (void)stack_matches(s.error, a_site());
    return 0;
}
