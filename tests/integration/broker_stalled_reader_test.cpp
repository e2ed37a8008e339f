// A client that pipelines fetches and stops reading with replies pending is
// closed after idle.timeout.ms without write progress, and the segment
// files its pending replies held open are released, so retention frees the
// disk. Before, the idle timeout applied only with nothing queued: five
// unread fetches kept five deleted segments open (du 1 MB, df 81 MB used),
// the connection open 24 s after a 2 s idle timeout.
#include <doctest/doctest.h>

#include <dirent.h>
#include <unistd.h>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;

// Descriptors of pid that point at deleted files.
std::size_t deleted_open_files(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    char target[4096];
    const ssize_t len = ::readlink(entry.path().c_str(), target, sizeof target - 1);
    if (len <= 0) continue;
    if (std::string_view(target, static_cast<std::size_t>(len)).ends_with(" (deleted)")) ++n;
  }
  return n;
}

std::uintmax_t bytes_under(const fs::path& dir) {
  std::uintmax_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += entry.file_size();
  }
  return total;
}

}  // namespace

TEST_CASE("stalled reader: unread fetch replies are closed after idle.timeout.ms and retention frees the disk") {
  // Idle timeout 3 s: retention must delete the segments before the stalled
  // connection is closed (at 1 s it sometimes did not on a loaded machine).
  BrokerFixture f({"--idle-timeout-ms", "3000", "--retention-check-interval-ms", "200"});
  auto admin = f.client();
  REQUIRE(admin->create_topic("s", 1, {{"segment.bytes", std::to_string(4u << 20)}}).error == ErrorCode::none);
  // 96 records of 256 KiB: six 4 MiB segments.
  constexpr std::uint64_t kRecords = 96;
  for (std::uint64_t i = 0; i < kRecords; ++i) {
    REQUIRE(admin->produce("s", 0, make_batch(make_records("r", i, 1, now_ms(), 256u << 10))).error ==
            ErrorCode::none);
  }
  REQUIRE(segment_bases(f.partition_dir("s", 0)).size() >= 6);

  // Five fetches of 4 MiB each, pipelined, never read: 20 MiB of replies,
  // more than the socket buffers take: the broker's send buffer grows to
  // at most 4 MiB here (tcp_wmem), and the client's receive buffer is held
  // at 128 KiB (left to the kernel it can grow to 32 MiB, and then the
  // replies all fit, nothing stalls: the test failed 3 runs in 8 so).
  WireClient stalled(f.broker->port(), 15s, 64 << 10);
  for (std::uint64_t k = 0; k < 5; ++k) {
    (void)stalled.send(protocol::ApiKey::fetch, fetch_request("s", 0, k * 16, 0, 4u << 20));
  }
  // The broker has read the fetches and is writing their replies, before
  // retention deletes the segments they read.
  REQUIRE(eventually([&] { return stalled.unread_bytes() >= (64u << 10); }, 5000ms));
  // Retention deletes every closed segment while the replies hold them open.
  REQUIRE(admin->alter_configs("s", {{"retention.bytes", "1"}}).error == ErrorCode::none);
  REQUIRE(eventually([&] { return segment_bases(f.partition_dir("s", 0)).size() == 1; }, 3000ms));
  // Retention renames a segment before it unlinks it: the descriptors show
  // " (deleted)" a moment after segment_bases stops listing it (checked
  // once, at once, this failed 1 run in 10 on a loaded machine).
  std::size_t held = 0;
  CHECK(eventually([&] { return (held = deleted_open_files(f.broker->pid())) > 0; }, 2000ms));
  INFO("deleted files held open after retention: " << held);  // the test stalls the writer for real

  // Closed after 3 s without write progress; the deleted files go.
  CHECK(f.broker->wait_for_log("made no write progress", 8000ms));
  CHECK(eventually([&] { return deleted_open_files(f.broker->pid()) == 0; }, 2000ms));
  CHECK(bytes_under(f.partition_dir("s", 0)) < (5u << 20));
  // The admin connection, idle meanwhile, may have been closed; a new one
  // is served.
  CHECK(f.client()->fetch_one("s", 0, kRecords - 1).error == ErrorCode::none);
}

}  // namespace strata::it
