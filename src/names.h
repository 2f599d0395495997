// SPDX-License-Identifier: MIT
// Function names as a reader knows them from the source.
#pragma once

#include <string>

namespace refdebug {

// Drops the suffixes GCC gives the clones it makes of a function
// ("f.constprop.0", "f.isra.0", "f.part.0", "f.cold", and C++'s
// "f(int) [clone .isra.0]"): they are one function in the source, and the
// numbers change from one build to the next.
std::string without_clone_suffix(std::string function);

} // namespace refdebug
