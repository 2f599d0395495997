// SPDX-License-Identifier: MIT
// Raw stack capture: return addresses only, no symbols, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace refdebug {

// Fills out with up to depth return addresses, innermost first, starting at
// caller_pc (the return address into the program, taken by the hook entry)
// so that the runtime's own frames never show. Returns the count (>= 1).
size_t capture_stack(uintptr_t *out, size_t depth, uintptr_t caller_pc);

} // namespace refdebug
