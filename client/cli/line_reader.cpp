#include "client/cli/line_reader.h"

#include <unistd.h>

#include <cerrno>

namespace strata::cli {

LineReader::~LineReader() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

bool LineReader::take_line(std::string& line) {
  const auto nl = buffer_.find('\n', scanned_);
  if (nl == std::string::npos) {
    scanned_ = buffer_.size();
    return false;
  }
  line.assign(buffer_, 0, nl);
  buffer_.erase(0, nl + 1);
  scanned_ = 0;
  return true;
}

int LineReader::fill() {
  char chunk[64 * 1024];
  const ssize_t n = ::read(fd_, chunk, sizeof chunk);
  if (n < 0 && errno == EINTR) return -1;
  if (n <= 0) return 0;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return 1;
}

}  // namespace strata::cli
