// SPDX-License-Identifier: MIT
// symbolizer: what a function's DWARF declaration says about where its
// references go (read by the ranking: kinds.cpp, freed_holders.cpp).
#include "symbolizer.h"

#include <boost/test/unit_test.hpp>

using namespace refdebug;

namespace {

struct widget {
    long n;
};

// A handle: one pointer to a struct, beside plain data.
struct Handle {
    widget *w;
    int flags;
};

// Two pointers: a pair, not a handle of either.
struct Pair {
    widget *a, *b;
};

// The function's own symbol: its frame when its first instruction is the
// call site (symbolize_inline() looks a return address up at pc - 1).
const Symbol &declared(const void *function)
{
    return symbolize_inline(reinterpret_cast<uintptr_t>(function) + 1).back();
}

// Internal linkage: GCC's DWARF gives it no linkage name, only its name.
__attribute__((noinline, used)) int symbolizer_test_internal(int x)
{
    return x * 3 + 1;
}

} // namespace

extern "C" {
__attribute__((noinline, used)) widget *symbolizer_test_find(widget *w)
{
    asm volatile("" : : "r"(w) : "memory");
    return w;
}

__attribute__((noinline, used)) void symbolizer_test_keep(widget *w)
{
    asm volatile("" : : "r"(w) : "memory");
}

__attribute__((noinline, used)) int symbolizer_test_delete(widget *w, long *old_value)
{
    *old_value = w->n;
    return 0;
}

__attribute__((noinline, used)) int symbolizer_test_count(widget *w, int *count)
{
    *count = static_cast<int>(w->n);
    return 0;
}

__attribute__((noinline, used)) Handle symbolizer_test_handle(widget *w)
{
    asm volatile("" : : "r"(w) : "memory");
    return Handle{w, 0};
}

__attribute__((noinline, used)) void symbolizer_test_free_any(void **p)
{
    asm volatile("" : : "r"(p) : "memory");
}

__attribute__((noinline, used)) void symbolizer_test_free_count(long *n)
{
    asm volatile("" : : "r"(n) : "memory");
}

__attribute__((noinline, used)) int symbolizer_test_run_queue(int budget)
{
    asm volatile("" : "+r"(budget) : : "memory");
    return budget;
}

__attribute__((noinline, used)) Pair symbolizer_test_pair(widget *w)
{
    asm volatile("" : : "r"(w) : "memory");
    return Pair{w, w};
}
}

BOOST_AUTO_TEST_SUITE(symbolizer)

BOOST_AUTO_TEST_CASE(a_function_returning_a_struct_pointer_names_the_struct)
{
    const Symbol &s = declared(reinterpret_cast<const void *>(&symbolizer_test_find));
    BOOST_TEST(s.function == "symbolizer_test_find");
    BOOST_TEST(s.returns == "widget");
    BOOST_TEST(!s.returns_void);
}

BOOST_AUTO_TEST_CASE(a_cxx_function_without_a_linkage_name_is_named_by_its_scopes)
{
    // Its inlined copies are named from DWARF (no parameters); its own code
    // is named the same way, not from the symbol table ("...(int)"): one
    // function, one name. Where the compiler gave it a linkage name
    // (clang), the demangled name serves for both.
    const Symbol &s = declared(reinterpret_cast<const void *>(&symbolizer_test_internal));
    BOOST_TEST((s.function == "(anonymous namespace)::symbolizer_test_internal" ||
                s.function == "(anonymous namespace)::symbolizer_test_internal(int)"),
               s.function);
#if defined(__GNUC__) && !defined(__clang__)
    BOOST_TEST(s.function == "(anonymous namespace)::symbolizer_test_internal");
#endif
}

BOOST_AUTO_TEST_CASE(a_function_returning_nothing_says_so)
{
    const Symbol &s = declared(reinterpret_cast<const void *>(&symbolizer_test_keep));
    BOOST_TEST(s.function == "symbolizer_test_keep");
    BOOST_TEST(s.returns_void);
    BOOST_TEST(s.returns.empty());
    BOOST_TEST(!s.hands_back);
}

BOOST_AUTO_TEST_CASE(an_out_parameter_as_wide_as_a_pointer_hands_back)
{
    const Symbol &del = declared(reinterpret_cast<const void *>(&symbolizer_test_delete));
    BOOST_TEST(del.hands_back);
    BOOST_TEST(!del.returns_void);
    // A pointer to a narrower integer is a count, not a value handed back.
    const Symbol &count = declared(reinterpret_cast<const void *>(&symbolizer_test_count));
    BOOST_TEST(!count.hands_back);
}

BOOST_AUTO_TEST_CASE(a_pointer_to_a_struct_among_the_parameters_is_seen)
{
    // A destructor of its own object (usb_remove(struct device *)), not a
    // helper freeing whatever it is handed (__zfree(void **)).
    BOOST_TEST(declared(reinterpret_cast<const void *>(&symbolizer_test_keep)).takes_struct);
    BOOST_TEST(declared(reinterpret_cast<const void *>(&symbolizer_test_delete)).takes_struct);
    BOOST_TEST(!declared(reinterpret_cast<const void *>(&symbolizer_test_free_any)).takes_struct);
    BOOST_TEST(!declared(reinterpret_cast<const void *>(&symbolizer_test_free_count)).takes_struct);
}

BOOST_AUTO_TEST_CASE(a_pointer_of_any_type_among_the_parameters_is_seen)
{
    // A generic free helper is handed what it frees (__zfree(void **)); a
    // function taking no pointer frees what it found itself.
    BOOST_TEST(declared(reinterpret_cast<const void *>(&symbolizer_test_free_any)).takes_pointer);
    BOOST_TEST(declared(reinterpret_cast<const void *>(&symbolizer_test_keep)).takes_pointer);
    BOOST_TEST(!declared(reinterpret_cast<const void *>(&symbolizer_test_run_queue)).takes_pointer);
    BOOST_TEST(declared(reinterpret_cast<const void *>(&symbolizer_test_run_queue)).declared);
}

BOOST_AUTO_TEST_CASE(a_handle_returned_by_value_names_the_struct_it_points_to)
{
    BOOST_TEST(declared(reinterpret_cast<const void *>(&symbolizer_test_handle)).returns == "widget");
    BOOST_TEST(declared(reinterpret_cast<const void *>(&symbolizer_test_pair)).returns.empty());
}

BOOST_AUTO_TEST_SUITE_END()
