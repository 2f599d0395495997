// SPDX-License-Identifier: MIT
// capture: the loaded-code check the report relies on before it reads
// code, and the frame-pointer walk's checks.
#include "capture.h"
#include "run_program.h"

#include <boost/test/unit_test.hpp>
#include <dlfcn.h>

using namespace refdebug;

BOOST_AUTO_TEST_SUITE(capture)

BOOST_AUTO_TEST_CASE(code_of_this_program_is_loaded)
{
    const auto here = reinterpret_cast<uintptr_t>(&in_loaded_code);
    BOOST_TEST(in_loaded_code(here, 5));
    BOOST_TEST(!in_loaded_code(0, 5));
    BOOST_TEST(!in_loaded_code(reinterpret_cast<uintptr_t>(&here), 5)); // the stack is not code
}

BOOST_AUTO_TEST_CASE(code_unloaded_by_dlclose_is_not_loaded)
{
    // perf script --dlfilter unloads its filter before exit; the exit report
    // must not read the filter's code then (it would fault).
    void *plugin = dlopen(refdebug_test::program_path("plugin.so").c_str(), RTLD_NOW);
    BOOST_TEST_REQUIRE(plugin != nullptr, dlerror());
    const auto code = reinterpret_cast<uintptr_t>(dlsym(plugin, "plugin_keep"));
    BOOST_TEST_REQUIRE(code != 0u);
    BOOST_TEST(in_loaded_code(code, 5));
    BOOST_TEST_REQUIRE(dlclose(plugin) == 0);
    Dl_info info{};
    if (dladdr(reinterpret_cast<void *>(code), &info) == 0) // really unloaded
        BOOST_TEST(!in_loaded_code(code, 5));
}

// Code built without frame pointers leaves data in the frame pointer
// register: the walk must end on any word that is not a frame further up
// this stack, even one whose frame would wrap around the address space
// (libc's regexec() left -8 there, under perf record).
BOOST_AUTO_TEST_CASE(a_frame_pointer_walk_ends_on_data)
{
    uintptr_t stack[8] = {};
    StackBounds bounds;
    bounds.lo = reinterpret_cast<uintptr_t>(stack);
    bounds.hi = reinterpret_cast<uintptr_t>(stack + 8);
    const uintptr_t frame = reinterpret_cast<uintptr_t>(stack);
    uintptr_t out[4];
    for (uintptr_t data : {~uintptr_t(7), ~uintptr_t(15), uintptr_t(0), frame, frame + 3, bounds.hi}) {
        stack[0] = data;
        stack[1] = 0x1234;
        BOOST_TEST(capture_frame_pointers(out, 4, 0x5678, frame, bounds) == 1u, data);
        BOOST_TEST(out[0] == 0x5678u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
