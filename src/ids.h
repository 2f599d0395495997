// SPDX-License-Identifier: MIT
// Typed ids, so a site id is never mistaken for a count or an index.
#pragma once

#include <cstdint>

namespace refdebug {

// An interned (operation, stack) pair in the depot; 0 means "none".
struct SiteId {
    uint32_t value = 0;
    explicit operator bool() const { return value != 0; }
    bool operator==(SiteId o) const { return value == o.value; }
    bool operator!=(SiteId o) const { return value != o.value; }
};

// Operations, numbered as the header's REFDEBUG_OP_* (plus the runtime's own).
enum class Op : uint8_t {
    none = 0,
    set = 1,
    inc = 2,
    inc_not_zero = 3,
    dec = 4,
    sub = 5,
    free = 6, // the memory holding the counter was freed (runtime only)
};

const char *op_name(Op op);

} // namespace refdebug
