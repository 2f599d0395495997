// SPDX-License-Identifier: MIT
#include "suppressions.h"

#include "depot.h"
#include "stack.h"

#include <fnmatch.h>
#include <sstream>

namespace refdebug {

void Suppressions::parse(const std::string &text, std::string &warnings)
{
    std::istringstream lines(text);
    size_t number = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        line.erase(0, line.find_first_not_of(" \t"));
        line.erase(line.find_last_not_of(" \t\r") + 1);
        if (line.empty() || line[0] == '#')
            continue;
        const size_t colon = line.find(':');
        const std::string kind = line.substr(0, colon);
        const std::string glob = colon == std::string::npos ? "" : line.substr(colon + 1);
        if (glob.empty() || (kind != "leak" && kind != "error")) {
            warnings += "suppressions line " + std::to_string(number) + " ignored: '" + line +
                        "' (expected leak:<glob> or error:<glob>)\n";
            continue;
        }
        (kind == "leak" ? leak : error).push_back(glob);
    }
}

bool stack_matches(const std::vector<std::string> &globs, SiteId id)
{
    for (const Frame &f : stack_of(id)) {
        const Symbol &sym = *f.sym;
        const std::string location = sym.location();
        for (const std::string &g : globs)
            if (!fnmatch(g.c_str(), sym.function.c_str(), 0) || !fnmatch(g.c_str(), location.c_str(), 0))
                return true;
    }
    return false;
}

} // namespace refdebug
