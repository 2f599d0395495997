// SPDX-License-Identifier: MIT
// A site's stack as the source reads it: every function a frame, inlined
// ones included (one return address may be several frames), and a function
// that left the stack by a tail call put back where its caller called it. The report, the
// site table, JSON, folded stacks and suppressions all read stacks this way.
#pragma once

#include "ids.h"
#include "symbolizer.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace refdebug {

struct Frame {
    uintptr_t pc;       // the return address the frame was found at
    const Symbol *sym;  // its function, file:line; sym->inlined for an inlined frame
    bool tail_called = false; // its own frame was gone (it jumped on): found from its caller's call
};

// The frames of a site's stack, innermost first (empty for an unknown site); cached.
const std::vector<Frame> &stack_of(SiteId id);

// The distinct functions on a site's stack (recursion counted once); cached.
const std::set<std::string> &functions_on(SiteId id);

// Drops those sets, once names changed (qualify_shared_names()).
void forget_function_sets();

// The innermost frame above frame 0 in function's name; 0 when there is none.
size_t frame_of(SiteId id, const std::string &function);

// The innermost frame in function's name, frame 0 included; SIZE_MAX when there is none.
size_t depth_of(SiteId id, const std::string &function);

// libc's or a sanitizer's frame that starts a thread (start_thread(),
// clone(), TSan's __tsan_thread_start_func()): the frame outward of a
// thread's start routine.
bool thread_start(const std::string &function);

} // namespace refdebug
