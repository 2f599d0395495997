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
    dec_not_one = 6, // compat/linux/refcount_extras.h
    dec_if_one = 7,  // compat/linux/refcount_extras.h
    free = 64,       // the memory holding the counter was freed (runtime only)
    holder_freed = 65, // a block still pointing at the object was freed (runtime only)
};

// The last operation a hook may pass.
constexpr Op kLastHookOp = Op::dec_if_one;

// Operations that drop references: one that returns true and leaves the
// count at 0 ends the object's life.
inline bool is_decrement(Op op)
{
    return op == Op::dec || op == Op::sub || op == Op::dec_not_one || op == Op::dec_if_one;
}

// Operations that take a reference (a birth counts as one).
inline bool takes_reference(Op op)
{
    return op == Op::set || op == Op::inc || op == Op::inc_not_zero;
}

// What the runtime notes about memory rather than the counter.
inline bool is_memory_event(Op op) { return op == Op::free || op == Op::holder_freed; }

const char *op_name(Op op);

} // namespace refdebug
