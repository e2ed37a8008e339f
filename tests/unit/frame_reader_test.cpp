// FrameReader (client/socket_io): response frames read through its staging
// buffer over a real socketpair, whatever way the bytes arrive: many frames
// in one write, a frame split byte by byte, frames larger than the staging
// buffer, and the failures (impossible size, peer gone mid-frame, timeout).
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "client/socket_io.h"

namespace strata::client {
namespace {

struct SocketPair {
  int reader = -1;
  int writer = -1;
  SocketPair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    reader = fds[0];
    writer = fds[1];
  }
  ~SocketPair() {
    ::close(reader);
    if (writer >= 0) ::close(writer);
  }
  void close_writer() {
    ::close(writer);
    writer = -1;
  }
};

// A response frame whose body is `body_bytes` bytes counting 0, 1, 2, ...
std::vector<std::uint8_t> frame(std::uint32_t correlation, std::size_t body_bytes) {
  protocol::ByteWriter w;
  protocol::begin_response(w, correlation);
  for (std::size_t i = 0; i < body_bytes; ++i) w.fixed(static_cast<std::uint8_t>(i));
  protocol::finish_frame(w);
  return w.take();
}

void check_frame(const ResponseFrame& f, std::uint32_t correlation, std::size_t body_bytes) {
  CHECK(f.header.correlation_id == correlation);
  CHECK(f.header.error == protocol::ErrorCode::none);
  REQUIRE(f.body().size() == body_bytes);
  for (std::size_t i = 0; i < body_bytes; i += 997) CHECK(f.body()[i] == static_cast<std::uint8_t>(i));
}

// Writes from a thread so the socket buffer never has to hold it all.
std::thread write_async(int fd, std::vector<std::uint8_t> bytes, std::size_t piece) {
  return std::thread([fd, bytes = std::move(bytes), piece] {
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
      REQUIRE(write_all(fd, bytes.data() + at, std::min(piece, bytes.size() - at)));
    }
  });
}

TEST_CASE("frame reader: many frames in one write come out one by one, in order") {
  SocketPair s;
  std::vector<std::uint8_t> all;
  for (std::uint32_t i = 1; i <= 50; ++i) {
    const auto f = frame(i, i * 7);
    all.insert(all.end(), f.begin(), f.end());
  }
  auto writer = write_async(s.writer, all, all.size());
  FrameReader reader(s.reader);
  for (std::uint32_t i = 1; i <= 50; ++i) {
    ResponseFrame f;
    REQUIRE(reader.next(f) == FrameReader::Status::frame);
    check_frame(f, i, i * 7);
  }
  writer.join();
}

TEST_CASE("frame reader: a frame arriving a byte at a time is put together") {
  SocketPair s;
  auto writer = write_async(s.writer, frame(9, 40), 1);
  FrameReader reader(s.reader);
  ResponseFrame f;
  REQUIRE(reader.next(f) == FrameReader::Status::frame);
  check_frame(f, 9, 40);
  writer.join();
}

TEST_CASE("frame reader: frames larger than the staging buffer, between small ones") {
  SocketPair s;
  std::vector<std::uint8_t> all;
  const std::size_t sizes[] = {10, 3 << 20, 5, 64 * 1024 - 3, 64 * 1024 + 11, 1};
  for (std::uint32_t i = 0; i < std::size(sizes); ++i) {
    const auto f = frame(i, sizes[i]);
    all.insert(all.end(), f.begin(), f.end());
  }
  auto writer = write_async(s.writer, all, 100'000);
  FrameReader reader(s.reader);
  for (std::uint32_t i = 0; i < std::size(sizes); ++i) {
    ResponseFrame f;
    REQUIRE(reader.next(f) == FrameReader::Status::frame);
    check_frame(f, i, sizes[i]);
  }
  writer.join();
}

TEST_CASE("frame reader: a size smaller than a response header is malformed, not read") {
  SocketPair s;
  const std::uint8_t tiny[] = {2, 0, 0, 0, 1, 2};
  REQUIRE(write_all(s.writer, tiny, sizeof tiny));
  FrameReader reader(s.reader);
  ResponseFrame f;
  CHECK(reader.next(f) == FrameReader::Status::malformed);
}

TEST_CASE("frame reader: the peer closing mid-frame is closed, and so is a clean end") {
  SocketPair s;
  const auto whole = frame(3, 1000);
  const auto part = frame(4, 1000);
  REQUIRE(write_all(s.writer, whole.data(), whole.size()));
  REQUIRE(write_all(s.writer, part.data(), part.size() / 2));
  s.close_writer();
  FrameReader reader(s.reader);
  ResponseFrame f;
  REQUIRE(reader.next(f) == FrameReader::Status::frame);
  check_frame(f, 3, 1000);
  CHECK(reader.next(f) == FrameReader::Status::closed);
}

TEST_CASE("frame reader: with a deadline and a receive timeout, silence is timed_out") {
  SocketPair s;
  timeval tv{0, 20'000};
  REQUIRE(::setsockopt(s.reader, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
  const auto part = frame(5, 100);
  REQUIRE(write_all(s.writer, part.data(), 10));  // a frame that never completes
  FrameReader reader(s.reader);
  ResponseFrame f;
  const auto start = std::chrono::steady_clock::now();
  CHECK(reader.next(f, start + std::chrono::milliseconds(100)) == FrameReader::Status::timed_out);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace strata::client
