// SPDX-License-Identifier: MIT
// Which free() call sites have their blocks read for pointers to live
// objects (the freed-holder scan). Most blocks a program frees hold none:
// in perf report, symbols__delete() and dso__load_sym_internal() free 88 %
// of the words, and never a holder. A call site whose first blocks held
// none is read once in a while only, unless it frees for two or more
// callers: a helper such as perf's __zfree() frees a struct's array at
// exit after thousands of strings.
#pragma once

#include <cstdint>

namespace refdebug {

struct FreeSite;

// The record of the free() call whose return address is pc; null when the
// table is full (every block is then read).
FreeSite *free_site(uintptr_t pc);

// Whether to read the block freed now at site. outer_pc(ctx) is the return
// address one frame out (0 when unknown), asked of a site's first calls
// and of one in 64 after, until a second caller shows.
bool free_site_should_scan(FreeSite *site, uintptr_t (*outer_pc)(void *), void *ctx);

// The block read at site held a pointer to a live object.
void free_site_held(FreeSite *site);

} // namespace refdebug
