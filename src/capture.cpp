// SPDX-License-Identifier: MIT
// Capture through Boost.Stacktrace's async-safe safe_dump_to() (libgcc's
// unwinder, DWARF CFI): correct with or without frame pointers.
#define BOOST_STACKTRACE_LINK
#include "capture.h"

#include "options.h"

#include <boost/stacktrace/safe_dump_to.hpp>

namespace refdebug {

namespace {
// Frames the runtime itself may add above the caller (hook entry, op, capture).
constexpr size_t kRuntimeFrames = 8;
} // namespace

size_t capture_stack(uintptr_t *out, size_t depth, uintptr_t caller_pc)
{
    void *raw[kMaxDepth + kRuntimeFrames + 1];
    const size_t want = depth + kRuntimeFrames;
    boost::stacktrace::safe_dump_to(0, raw, sizeof(void *) * (want + 1));
    size_t n = 0;
    while (n < want && raw[n])
        ++n;
    size_t first = 0;
    while (first < n && reinterpret_cast<uintptr_t>(raw[first]) != caller_pc)
        ++first;
    if (first == n) { // the unwinder lost the caller: keep what we know for sure
        out[0] = caller_pc;
        return 1;
    }
    size_t count = 0;
    for (size_t i = first; i < n && count < depth; ++i)
        out[count++] = reinterpret_cast<uintptr_t>(raw[i]);
    return count;
}

} // namespace refdebug
