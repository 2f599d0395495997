// SPDX-License-Identifier: MIT
#include "output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace refdebug {
namespace {

// False (errno set) when the descriptor stopped taking data.
bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

} // namespace

int open_output_file(const std::string &path)
{
    return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
}

Writer::Writer(const std::string &path)
{
    if (path.empty() || path == "stderr")
        return;
    const int fd = open_output_file(path);
    if (fd < 0) {
        warn("cannot write '" + path + "' (" + std::strerror(errno) + "), writing to stderr");
        return;
    }
    fd_ = fd;
    owned_ = true;
    name_ = path;
}

Writer::~Writer()
{
    flush();
    if (owned_)
        ::close(fd_);
}

void Writer::flush()
{
    if (!write_all(fd_, buffer_.data(), buffer_.size()) && fd_ != 2) {
        warn("cannot write '" + name_ + "' (" + std::strerror(errno) + "), writing to stderr");
        if (owned_)
            ::close(fd_);
        fd_ = 2;
        owned_ = false;
        write_all(fd_, buffer_.data(), buffer_.size()); // stderr is the last resort
    }
    buffer_.clear();
}

std::string hex(uintptr_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%lx", static_cast<unsigned long>(v));
    return buf;
}

void warn(const std::string &text)
{
    const std::string line = "refdebug: warning: " + text + "\n";
    write_all(2, line.data(), line.size());
}

} // namespace refdebug
