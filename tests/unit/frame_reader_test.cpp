// FrameReader (client/socket_io): response frames read through its staging
// buffer over a real socketpair, whatever way the bytes arrive: many frames
// in one write, a frame split byte by byte, frames larger than the staging
// buffer, and the failures (impossible size, peer gone mid-frame, timeout).
// A unit test of a private class of the client library, by design: it
// includes client/ headers, which the integration and crash tests may not
// (tests/tools/public_headers_check.cmake).
#include <doctest/doctest.h>
#include <sys/resource.h>
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

// Writes from a thread so the socket buffer never has to hold it all,
// waiting `pause` before each piece. CHECK, not REQUIRE: a REQUIRE off the
// test's thread would terminate the binary instead of failing the test.
// With must_succeed false a failed write just ends the thread (the test
// shut the socket to stop it).
std::thread write_async(int fd, std::vector<std::uint8_t> bytes, std::size_t piece,
                        std::chrono::milliseconds pause = std::chrono::milliseconds(0), bool must_succeed = true) {
  return std::thread([fd, bytes = std::move(bytes), piece, pause, must_succeed] {
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
      std::this_thread::sleep_for(pause);
      if (!write_all(fd, bytes.data() + at, std::min(piece, bytes.size() - at))) {
        CHECK_MESSAGE(!must_succeed, "write failed");
        return;
      }
    }
  });
}

// Joins a writer thread however the test leaves its scope.
struct Joined {
  std::thread t;
  ~Joined() {
    if (t.joinable()) t.join();
  }
};

TEST_CASE("frame reader: many frames in one write come out one by one, in order") {
  SocketPair s;
  std::vector<std::uint8_t> all;
  for (std::uint32_t i = 1; i <= 50; ++i) {
    const auto f = frame(i, i * 7);
    all.insert(all.end(), f.begin(), f.end());
  }
  Joined writer{write_async(s.writer, all, all.size())};
  FrameReader reader(s.reader);
  for (std::uint32_t i = 1; i <= 50; ++i) {
    ResponseFrame f;
    REQUIRE(reader.next(f) == FrameReader::Status::frame);
    check_frame(f, i, i * 7);
  }
}

TEST_CASE("frame reader: a frame arriving a byte at a time is put together") {
  SocketPair s;
  Joined writer{write_async(s.writer, frame(9, 40), 1)};
  FrameReader reader(s.reader);
  ResponseFrame f;
  REQUIRE(reader.next(f) == FrameReader::Status::frame);
  check_frame(f, 9, 40);
}

TEST_CASE("frame reader: frames larger than the staging buffer, between small ones") {
  SocketPair s;
  std::vector<std::uint8_t> all;
  const std::size_t sizes[] = {10, 3 << 20, 5, 64 * 1024 - 3, 64 * 1024 + 11, 1};
  for (std::uint32_t i = 0; i < std::size(sizes); ++i) {
    const auto f = frame(i, sizes[i]);
    all.insert(all.end(), f.begin(), f.end());
  }
  Joined writer{write_async(s.writer, all, 100'000)};
  FrameReader reader(s.reader);
  for (std::uint32_t i = 0; i < std::size(sizes); ++i) {
    ResponseFrame f;
    REQUIRE(reader.next(f) == FrameReader::Status::frame);
    check_frame(f, i, sizes[i]);
  }
}

// The announced size is not trusted: a peer that announces 1.5 GiB and
// sends a few bytes costs the reader what it sent, not the announcement.
TEST_CASE("frame reader: a huge announced size that never arrives allocates little, then is closed") {
  SocketPair s;
  std::uint8_t head[4 + 8] = {};
  protocol::store_le<std::uint32_t>(head, 1536u << 20);
  REQUIRE(write_all(s.writer, head, sizeof head));
  s.close_writer();
  rusage before{};
  REQUIRE(::getrusage(RUSAGE_SELF, &before) == 0);
  FrameReader reader(s.reader);
  ResponseFrame f;
  CHECK(reader.next(f) == FrameReader::Status::closed);
  rusage after{};
  REQUIRE(::getrusage(RUSAGE_SELF, &after) == 0);
  CHECK(after.ru_maxrss - before.ru_maxrss < 256 * 1024);  // kB: far below the 1.5 GiB announced
  CHECK(f.bytes.capacity() < (64u << 20));
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

TEST_CASE("frame reader: with a deadline, silence is timed_out") {
  SocketPair s;
  const auto part = frame(5, 100);
  REQUIRE(write_all(s.writer, part.data(), 10));  // a frame that never completes
  FrameReader reader(s.reader);
  ResponseFrame f;
  const auto start = std::chrono::steady_clock::now();
  CHECK(reader.next(f, start + std::chrono::milliseconds(100)) == FrameReader::Status::timed_out);
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(100));
}

// Bytes that arrive late in the call must not buy a fresh full timeout: the
// reader waits only for what is left of its deadline.
TEST_CASE("frame reader: a frame begun just before the deadline still times out at the deadline") {
  SocketPair s;
  const auto f = frame(6, 100);
  Joined writer{write_async(s.writer, std::vector<std::uint8_t>(f.begin(), f.begin() + 10), 10,
                            std::chrono::milliseconds(800))};
  FrameReader reader(s.reader);
  ResponseFrame out;
  const auto start = std::chrono::steady_clock::now();
  CHECK(reader.next(out, start + std::chrono::milliseconds(1000)) == FrameReader::Status::timed_out);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took >= std::chrono::milliseconds(1000));
  CHECK(took < std::chrono::milliseconds(1500));  // not 800 ms + a whole second timeout again
}

// A peer that keeps sending a byte now and then must not hold the reader
// past its deadline.
TEST_CASE("frame reader: a frame trickling in a byte at a time times out at the deadline") {
  SocketPair s;
  const auto f = frame(7, 200);
  Joined writer{write_async(s.writer, f, 1, std::chrono::milliseconds(50), false)};  // ~10 s for the whole frame
  FrameReader reader(s.reader);
  ResponseFrame out;
  const auto start = std::chrono::steady_clock::now();
  CHECK(reader.next(out, start + std::chrono::milliseconds(500)) == FrameReader::Status::timed_out);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2500));
  ::shutdown(s.reader, SHUT_RDWR);  // the writer's next write fails and its thread returns
}

}  // namespace
}  // namespace strata::client
