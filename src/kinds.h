// SPDX-License-Identifier: MIT
// Kinds and wrappers, read from function names: the kind of object a
// stack operates on ("map__get" -> map), whose method a function is, and
// which frames wrap the operations rather than decide them.
#pragma once

#include "ids.h"
#include "registry.h"
#include "symbolizer.h"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace refdebug {

// The unqualified name: "ns::Class::f(int)" -> "f".
std::string bare_name(const std::string &function);

// The kind a function name states: perf's "<kind>__<method>" ("dso__new_id"
// -> "dso"), or a get/put wrapper's "<kind>_get"; "" when it states none.
std::string kind_of_function(const std::string &function);

// Whose method a function is: its kind, or where no "__" says it, the name
// up to its last "_" ("callchain_cursor_append" -> "callchain_cursor").
std::string holder_of(const std::string &function);

// C++ plumbing that takes and drops references (or frees) on its caller's
// behalf: constructors, destructors and the standard library.
bool is_plumbing(const Symbol &sym);

// Whether GCC may have folded another kind's get/put wrapper into this one
// (identical code): its name and declared return then say no kind.
bool may_be_folded(const Symbol &sym);

// Functions that wrap the operations rather than decide them: those called
// from two or more functions among a set of stacks, C++ constructors,
// destructors and the standard library, and, as the innermost frame (the
// one performing the operation), those named like a get/put.
// With the objects' kind known, the kind's own "<kind>__<method>" functions
// on the way out from the operation are its API, hence wrappers too.
class Wrappers {
  public:
    explicit Wrappers(const std::vector<SiteId> &sites, std::string kind = "-");
    bool contains(const Symbol &sym, size_t frame) const;
    // The same, leaving out "called from two or more functions": only the
    // plumbing, get/put names and the kind's own API.
    bool is_api(const Symbol &sym, size_t frame) const;
    const std::string &kind() const { return kind_; }
    // Whether the function, returning nothing, took a reference in one of
    // the sites: it kept what it took, so it is no put wrapper either.
    bool void_taker(const std::string &function) const { return void_takers_.count(function) != 0; }

  private:
    std::map<std::string, size_t> callers_; // function -> distinct calling functions
    std::set<std::string> void_takers_;
    std::string kind_;                      // the objects' kind, "-" when unknown
};

// The index of the frame that tells this site apart: the innermost one that
// is not a wrapper (0 when all are).
size_t distinguishing_frame(SiteId site, const Wrappers &wrappers);

// The innermost frame that is not the kind's API, plumbing or unknown
// (map__zput <- addr_location__exit: addr_location__exit); with kind "-",
// get/put names count at any depth (map__put <- map__zput). The stack's
// size when every frame is. With stop_at_destructor, a C++ class's own
// destructor (not the standard library's) is a frame of its own: the
// release of the holder it belongs to.
size_t first_frame_past_api(SiteId site, const std::string &kind, bool stop_at_destructor = false);

// A C++ class's own destructor ("Session::~Session"), not the standard
// library's.
bool is_destructor(const Symbol &sym);

// The frame a site's reference is credited to: its distinguishing frame,
// or further out past functions declared to return a pointer to the kind
// (they hand the reference to their caller, who decides).
size_t deciding_frame(SiteId site, const Wrappers &wrappers);

// The first frame, from the operation out, not declared to return a pointer
// to the kind: how far up the reference went by return values alone.
size_t returned_to(SiteId site, const std::string &kind);

// The kind named by a wrapper function in the stack ("map__get" -> "map").
std::string infer_kind(SiteId site);

// The kind of objects born at birth: the one its stack names, or where it
// names none (the birth inlined away, an adopted life), the one most of
// the lives' operations name ("-" when none does).
std::string kind_of_lives(SiteId birth, const std::vector<const ObjectSnapshot *> &lives);

// The kinds of objects the program made so far (those its birth sites name).
const std::set<std::string> &born_kinds();

} // namespace refdebug
