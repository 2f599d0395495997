// SPDX-License-Identifier: MIT
// Raw stack capture: return addresses only, no symbols, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace refdebug {

// How to walk the stack (the unwind option).
enum class Unwind : uint8_t {
    automatic, // frame pointers, falling back to DWARF when they give only the caller
    fp,        // frame pointers only
    dwarf,     // the DWARF unwinder only (Boost.Stacktrace's safe_dump_to)
};

// Where the calling thread's stack lies, for validating frame pointers.
struct StackBounds {
    uintptr_t lo = 0, hi = 0;
};

// The calling thread's stack, from pthread_getattr_np() ({0, 0} if unknown).
StackBounds current_stack_bounds();

// Fills out with up to depth return addresses, innermost first, starting at
// caller_pc: the return address into the program, taken by the hook entry,
// whose own frame address is frame. The runtime's frames never show.
// Returns the count (>= 1).
size_t capture_stack(uintptr_t *out, size_t depth, uintptr_t caller_pc, uintptr_t frame, Unwind mode,
                     StackBounds bounds);

// Whether [begin, begin + n) lies in one executable segment of an object
// loaded now (safe to read: checked against the loader's current counts of
// added and removed objects, so code a dlclose unmapped is not read).
bool in_loaded_code(uintptr_t begin, size_t n);

// An object's executable segment seen loaded when stacks were taken: its
// file, its load bias and the segment's addresses.
struct SeenModule {
    const char *path;
    uintptr_t bias, low, high;
};

// Every segment of an object with a path seen so far (the main program and
// the vDSO have none), loaded now or not: a plugin's code may be unloaded
// (dlclose) before the exit report names its frames.
const SeenModule *seen_modules(size_t *count);

// How many objects the loader has added and removed so far: it moves
// whenever the set of loaded objects changes.
uint64_t loader_changes();

// The two walkers, for tests and benchmarks.
size_t capture_frame_pointers(uintptr_t *out, size_t depth, uintptr_t caller_pc, uintptr_t frame,
                              StackBounds bounds);
size_t capture_dwarf(uintptr_t *out, size_t depth, uintptr_t caller_pc);

} // namespace refdebug
