#include "broker/net/reply_writer.h"

#include <sys/sendfile.h>

namespace strata::broker {

namespace {

// asio's completion condition: called before each write_some with the bytes
// written so far; a named type, not a lambda, because GCC 12 mishandles
// capturing lambdas inside co_await expressions.
struct NoteProgress {
  WriteProgress* progress;
  std::size_t* seen;
  std::size_t operator()(const boost::system::error_code& ec, std::size_t written) const {
    if (written > *seen) {
      *seen = written;
      progress->note();
    }
    return ec ? 0 : std::size_t{65536};
  }
};

}  // namespace

awaitable<void> write_all(tcp::socket& socket, const std::vector<asio::const_buffer>& buffers,
                          WriteProgress& progress) {
  std::size_t seen = 0;
  const NoteProgress condition{&progress, &seen};
  co_await asio::async_write(socket, buffers, condition, asio::use_awaitable);
}

awaitable<void> send_slice(tcp::socket& socket, const storage::SegmentSlice& slice, WriteProgress& progress) {
  auto offset = static_cast<off_t>(slice.position);
  std::uint64_t left = slice.length;
  while (left > 0) {
    const ssize_t n = ::sendfile(socket.native_handle(), slice.file->native_handle(), &offset, left);
    if (n > 0) {
      left -= static_cast<std::uint64_t>(n);
      progress.note();
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      co_await socket.async_wait(tcp::socket::wait_write, asio::use_awaitable);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      throw boost::system::system_error(n < 0 ? errno : EIO, boost::system::system_category(), "sendfile");
    }
  }
}

}  // namespace strata::broker
