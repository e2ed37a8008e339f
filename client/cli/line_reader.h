// Lines from a file descriptor (stdin, a file, a FIFO) with read(2), so a
// signal caught without SA_RESTART ends a blocked read: std::getline on a
// libstdc++ stream retries EINTR, and `strata produce` could not stop
// reading on SIGINT while its input was quiet.
//
// Threads: one reader. Ownership: closes the descriptor only if told to.
#pragma once

#include <string>

namespace strata::cli {

class LineReader {
 public:
  LineReader(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n' (a last line without one counts too).
  // False at the end of input, on a read error, or when a read is
  // interrupted and `stop()` says so (the partial line is kept for later).
  template <typename Stop>
  bool next(std::string& line, Stop stop) {
    for (;;) {
      if (take_line(line)) return true;
      const int got = fill();
      if (got > 0) continue;
      if (got < 0 && !stop()) continue;  // interrupted, not asked to stop
      if (got == 0 && !buffer_.empty()) {
        line.swap(buffer_);
        buffer_.clear();
        return true;
      }
      return false;
    }
  }

 private:
  bool take_line(std::string& line);
  // Bytes read (> 0), 0 at the end or on an error, -1 when interrupted.
  int fill();

  int fd_;
  bool owned_;
  std::string buffer_;
  std::size_t scanned_ = 0;  // buffer_ before this holds no '\n'
};

}  // namespace strata::cli
