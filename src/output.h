// SPDX-License-Identifier: MIT
// Where the runtime writes: one buffered writer per destination, every line
// of the report prefixed "refdebug: " by the caller. Opening a path never
// follows a symlink and creates the file 0600; failing to open or to write
// (a full disk, /dev/full) falls back to stderr with one warning, so nothing
// of the report is lost.
#pragma once

#include <cstdint>
#include <string>

namespace refdebug {

class Writer {
  public:
    Writer() = default;
    // Opens path ("stderr" or "" for standard error); on failure warns and uses stderr.
    explicit Writer(const std::string &path);
    // Writes to an open descriptor, which it then owns; name is for warnings.
    Writer(int fd, std::string name) : fd_(fd), owned_(true), name_(std::move(name)) {}
    ~Writer();
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    Writer &operator<<(const std::string &s)
    {
        buffer_ += s;
        if (buffer_.size() > 1 << 16)
            flush();
        return *this;
    }
    void flush();
    // Drops what is buffered unwritten (a forked child's copy of its parent's output).
    void discard() { buffer_.clear(); }
    bool on_stderr() const { return !owned_; } // asked for, or fallen back to

  private:
    int fd_ = 2;
    bool owned_ = false;
    std::string name_ = "stderr";
    std::string buffer_;
};

// "0x1f": how addresses and pcs are printed everywhere.
std::string hex(uintptr_t v);

// Writes "refdebug: warning: <text>" to stderr at once (text without newline).
void warn(const std::string &text);

// Opens path for writing a fresh file (no symlinks, mode 0600); -1 on failure.
int open_output_file(const std::string &path);

} // namespace refdebug
