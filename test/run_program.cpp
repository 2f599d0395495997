// SPDX-License-Identifier: MIT
#include "run_program.h"

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace refdebug_test {

std::string read_file(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string temp_dir()
{
    static std::string dir = [] {
        std::string t = (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp") + std::string("/refdebug-test.XXXXXX");
        return std::string(mkdtemp(&t[0]));
    }();
    return dir;
}

Run run_program(const std::vector<std::string> &argv, const std::vector<std::string> &env, bool preload)
{
    static int counter = 0;
    const std::string base = temp_dir() + "/run" + std::to_string(++counter);
    const std::string out_path = base + ".out", err_path = base + ".err";
    std::vector<std::string> envs;
    for (char **e = environ; *e; ++e) {
        const std::string s(*e);
        if (s.rfind("LD_PRELOAD=", 0) && s.rfind("REFDEBUG_OPTIONS=", 0))
            envs.push_back(s);
    }
    if (preload)
        envs.push_back("LD_PRELOAD=" + runtime_path());
    envs.insert(envs.end(), env.begin(), env.end());

    const pid_t pid = fork();
    if (pid == 0) {
        const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(out, 1);
        dup2(err, 2);
        if (chdir(temp_dir().c_str()) != 0)
            _exit(126);
        alarm(60); // a deadlock fails the test instead of hanging it (survives exec)
        std::vector<char *> a, e;
        for (const auto &s : argv)
            a.push_back(const_cast<char *>(s.c_str()));
        a.push_back(nullptr);
        for (const auto &s : envs)
            e.push_back(const_cast<char *>(s.c_str()));
        e.push_back(nullptr);
        execve(a[0], a.data(), e.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    Run r;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

Summary parse_summary(const std::string &text)
{
    static const std::regex re(
        R"(^SUMMARY: refdebug: (\d+) leaked object\(s\) holding (\d+) reference\(s\), (\d+) error\(s\)$)");
    Summary s;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_match(line, m, re)) {
            s.found = true;
            s.leaked = std::stoul(m[1]);
            s.references = std::stoul(m[2]);
            s.errors = std::stoul(m[3]);
        }
    }
    return s;
}

std::map<std::string, int> error_kinds(const std::string &text)
{
    static const std::regex re(R"(^refdebug: ERROR: (\S+) )");
    std::map<std::string, int> kinds;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_search(line, m, re))
            kinds[m[1]] += 1;
    }
    return kinds;
}

std::string first_suspect(const std::string &text)
{
    static const std::regex re(R"(suspect #1: ([^\n]*))");
    std::smatch m;
    return std::regex_search(text, m, re) ? m[1].str() : "";
}

std::string program_path(const std::string &name) { return std::string(REFDEBUG_TEST_PROGRAMS) + "/" + name; }
std::string runtime_path() { return REFDEBUG_RUNTIME; }
std::string launcher_path() { return REFDEBUG_LAUNCHER; }

} // namespace refdebug_test
