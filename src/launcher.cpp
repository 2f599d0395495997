// SPDX-License-Identifier: MIT
// refdebug [options] -- <command> [args]: runs a command with the runtime
// preloaded. Each --key=value (or --key value) becomes key=value in
// REFDEBUG_OPTIONS, checked against the runtime's own option table.
#include "options.h"
#include "runs.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#ifndef REFDEBUG_LIBDIR_FROM_BINDIR
#define REFDEBUG_LIBDIR_FROM_BINDIR "../lib"
#endif

namespace {

const char kLibrary[] = "librefdebug.so";

void usage(FILE *to)
{
    std::fprintf(to,
                 "usage: refdebug [options] -- <command> [args]\n"
                 "       refdebug diff [--json] BEFORE.json AFTER.json\n"
                 "       refdebug merge [-o OUT] SITE_TABLE...\n"
                 "Runs <command> with refdebug's runtime preloaded: every refcount_t operation of\n"
                 "code built with refdebug's linux/refcount.h is recorded, errors are reported when\n"
                 "they happen and leaks at exit.\n\n"
                 "options (each also settable as REFDEBUG_OPTIONS=key=value:key=value):\n%s"
                 "  --key=value or --key value sets an option; --flag alone means flag=1.\n"
                 "  --help shows this text.\n",
                 refdebug::options_help().c_str());
}

std::string self_dir()
{
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return ".";
    buf[n] = 0;
    std::string path(buf);
    return path.substr(0, path.rfind('/'));
}

// The build tree keeps the library beside the launcher; an install puts it in libdir.
std::string find_library()
{
    const std::string dir = self_dir();
    for (const std::string &candidate :
         {dir + "/" + kLibrary, dir + "/" + REFDEBUG_LIBDIR_FROM_BINDIR + "/" + kLibrary}) {
        if (access(candidate.c_str(), R_OK) == 0) {
            char real[PATH_MAX];
            return realpath(candidate.c_str(), real) ? real : candidate;
        }
    }
    return "";
}

} // namespace

int main(int argc, char **argv)
{
    // Commands over finished runs; "refdebug -- diff ..." still runs diff(1).
    if (argc > 1 && std::string(argv[1]) == "diff")
        return refdebug::diff_command(argc - 2, argv + 2);
    if (argc > 1 && std::string(argv[1]) == "merge")
        return refdebug::merge_command(argc - 2, argv + 2);
    std::vector<std::string> settings;
    int i = 1;
    for (; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--")
            break;
        if (arg == "--help" || arg == "-h") {
            usage(stdout);
            return 0;
        }
        if (arg.rfind("--", 0) != 0) {
            break; // the command starts here
        }
        std::string key = arg.substr(2), value;
        const size_t eq = key.find('=');
        if (eq != std::string::npos) {
            value = key.substr(eq + 1);
            key.erase(eq);
        } else if (key == "abort-on-error" || key == "abort_on_error") {
            value = "1";
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            std::fprintf(stderr, "refdebug: option --%s needs a value\n", key.c_str());
            return 2;
        }
        for (char &c : key)
            if (c == '-')
                c = '_';
        std::string warnings;
        refdebug::Options check;
        refdebug::parse_options((key + "=" + value).c_str(), check, warnings);
        if (!warnings.empty()) {
            std::fprintf(stderr, "refdebug: %s", warnings.c_str());
            return 2;
        }
        settings.push_back(key + "=" + value);
    }
    if (i < argc && std::string(argv[i]) == "--")
        ++i;
    if (i >= argc) {
        usage(stderr);
        return 2;
    }

    const std::string library = find_library();
    if (library.empty()) {
        std::fprintf(stderr, "refdebug: cannot find %s beside %s or in %s\n", kLibrary, self_dir().c_str(),
                     REFDEBUG_LIBDIR_FROM_BINDIR);
        return 2;
    }
    std::string preload = library;
    if (const char *old = getenv("LD_PRELOAD"); old && *old)
        preload += std::string(":") + old;
    setenv("LD_PRELOAD", preload.c_str(), 1);

    std::string opts;
    if (const char *old = getenv("REFDEBUG_OPTIONS"); old && *old)
        opts = old;
    for (const std::string &s : settings)
        opts += (opts.empty() ? "" : ":") + s;
    if (!opts.empty())
        setenv("REFDEBUG_OPTIONS", opts.c_str(), 1);

    execvp(argv[i], argv + i);
    std::fprintf(stderr, "refdebug: cannot run %s: %s\n", argv[i], std::strerror(errno));
    return 127;
}
