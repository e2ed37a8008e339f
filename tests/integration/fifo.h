// A FIFO that feeds `strata produce --file` line by line, so a test acts
// at a known point of a run (a broker paused, restarted, a topic deleted),
// and the helpers such tests share.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "tests/integration/client_test_util.h"

namespace strata::it {

// A named pipe in a temporary directory; open_for_writing() blocks until
// the reader (the CLI's --file) has opened it.
class Fifo {
 public:
  Fifo() : path_(dir_.path() / "input") {
    if (::mkfifo(path_.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
  }
  ~Fifo() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] std::string path() const { return path_.string(); }
  // O_CLOEXEC: a child started meanwhile (a restarted broker) must not
  // hold the write end, or the reader never sees the end of input.
  void open_for_writing() { fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC); }
  // False once the reader has gone (EPIPE; the test binary ignores SIGPIPE).
  bool write(const std::string& text) {
    std::size_t at = 0;
    while (at < text.size()) {
      const ssize_t n = ::write(fd_, text.data() + at, text.size() - at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      at += static_cast<std::size_t>(n);
    }
    return true;
  }
  void close() {
    ::close(fd_);
    fd_ = -1;
  }

 private:
  TempDir dir_;
  std::filesystem::path path_;
  int fd_ = -1;
};

// "line-FROM\n" .. "line-TO\n".
inline std::string lines(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += "line-" + std::to_string(i) + "\n";
  return out;
}

// Records stored in the topic (latest - earliest over its partitions).
inline std::int64_t stored(ClientFixture& f, const std::string& topic) {
  std::int64_t n = 0;
  for (const auto& [earliest, latest] : f.offsets(topic)) n += latest - earliest;
  return n;
}

}  // namespace strata::it
