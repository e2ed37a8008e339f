// Integration tests of how `strata produce` ends when the topic goes away
// mid-run (issue 25 item 7): the CLI prints "sent N of M" on every exit
// path. The CLI reads a FIFO the test writes, so each step happens
// at a known point of the run.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "tests/integration/cli_test_util.h"

namespace strata::it {

using namespace cli_tests;
using namespace std::chrono_literals;

namespace {

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
  void open_for_writing() { fd_ = ::open(path_.c_str(), O_WRONLY); }
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

std::string lines(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += "line-" + std::to_string(i) + "\n";
  return out;
}

std::int64_t stored(ClientFixture& f, const std::string& topic) {
  std::int64_t n = 0;
  for (const auto& [earliest, latest] : f.offsets(topic)) n += latest - earliest;
  return n;
}

}  // namespace

// Item 7: a topic deleted mid-run left only "strata: UNKNOWN_TOPIC ..."
// (the next send() threw) although 16 lines had been stored durably.
TEST_CASE("strata CLI: produce prints 'sent N of M' when the topic is deleted mid-run") {
  ClientFixture f;
  const std::string topic = "vanishing";
  f.client->create_topic(topic, 1);
  Fifo input;
  ChildProcess cli({strata_cli_binary(), "--broker", f.address, "produce", topic, "--file", input.path(), "--acks",
                    "durable", "--linger", "0"});
  input.open_for_writing();
  REQUIRE(input.write(lines(1, 16)));
  REQUIRE_MESSAGE(eventually([&] { return stored(f, topic) == 16; }, 10s), "stderr: " << cli.err());
  f.client->delete_topic(topic);
  (void)input.write(lines(17, 17));  // fails at the broker: UNKNOWN_TOPIC
  std::this_thread::sleep_for(300ms);
  (void)input.write(lines(18, 30));  // the CLI stops before sending these
  input.close();
  const auto r = cli.wait(20s);
  INFO(r.describe());
  CHECK(r.exited);
  CHECK(r.code == 1);
  CHECK(r.err.starts_with("sent 16 of 17 messages to " + topic + "; 1 failed (lines 17 to 17): UNKNOWN_TOPIC"));
  CHECK(r.err.find("stopped reading input after line 17") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace strata::it
