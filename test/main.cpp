// SPDX-License-Identifier: MIT
// The shared entry point of refdebug's Boost.Test suites.
#define BOOST_TEST_MODULE refdebug
#include <boost/test/unit_test.hpp>
