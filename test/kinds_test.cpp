// SPDX-License-Identifier: MIT
#include "kinds.h"

#include <boost/test/unit_test.hpp>
#include <deque>

using namespace refdebug;

namespace {
// Symbols live for good, as the symbolizer's do: answers are memoized by
// address.
const Symbol &named(const std::string &function, const std::string &file = "/src/app.cpp")
{
    static std::deque<Symbol> symbols;
    symbols.emplace_back();
    symbols.back().function = function;
    symbols.back().file = file;
    return symbols.back();
}
} // namespace

BOOST_AUTO_TEST_SUITE(kinds)

BOOST_AUTO_TEST_CASE(names_lose_arguments_and_template_arguments)
{
    BOOST_TEST(bare_name("ns::Widget::get(int) const") == "get");
    BOOST_TEST(bare_name("map__put+0x1c") == "map__put");
    BOOST_TEST(bare_name("Ref<ns::Cover>::~Ref()") == "~Ref");
    BOOST_TEST(bare_name("cover_get<ns::Cover>(ns::Cover*)") == "cover_get");
    BOOST_TEST(bare_name("Ref<Cover>::operator=(Ref<Cover> const&)") == "operator=");
    BOOST_TEST(bare_name("Path::operator<(Path const&) const") == "operator<");
    BOOST_TEST(bare_name("Log::operator<<(int)") == "operator<<");
}

BOOST_AUTO_TEST_CASE(constructors_and_destructors_of_templates_are_plumbing)
{
    BOOST_TEST(is_plumbing(named("Ref<Cover>::Ref(Ref<Cover> const&)")));
    BOOST_TEST(is_plumbing(named("Ref<ns::Cover>::~Ref()")));
    BOOST_TEST(is_plumbing(named("Session::~Session()")));
    BOOST_TEST(!is_plumbing(named("Ref<Cover>::operator=(Ref<Cover> const&)")));
    BOOST_TEST(!is_plumbing(named("widget__put")));
}

BOOST_AUTO_TEST_CASE(a_destructor_is_a_class_s_own_not_the_library_s)
{
    BOOST_TEST(is_destructor(named("Ref<ns::Cover>::~Ref()")));
    BOOST_TEST(is_destructor(named("Session::~Session()")));
    BOOST_TEST(!is_destructor(named("Session::Session(Config const&)")));
    BOOST_TEST(!is_destructor(named("std::vector<Session, std::allocator<Session> >::~vector()")));
    BOOST_TEST(!is_destructor(named("~_Vector_base", "/usr/include/c++/12/bits/stl_vector.h")));
}

BOOST_AUTO_TEST_SUITE_END()
