// A real full disk: a strata-broker process whose data dir is an 8 MiB
// tmpfs, produced to until the file system is full. Producers must get
// NOT_ENOUGH_SPACE, everything written must stay readable, and writes must
// resume once retention or a topic deletion frees space. Needs mount(2)
// (root); without it the test says so and does nothing.
#include <doctest/doctest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kDiskBytes = 8u << 20;
constexpr std::size_t kRecordsPerBatch = 16;
constexpr std::size_t kValueBytes = 4000;  // about 64 KiB a batch

// A tmpfs of `bytes` mounted on `dir` (created) for its lifetime; unmounted
// (lazily, so a process still holding files cannot keep it) on destruction.
class TmpfsMount {
 public:
  TmpfsMount(const fs::path& dir, std::size_t bytes) : dir_(dir) {
    fs::create_directories(dir_);
    const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~TmpfsMount() {
    if (mounted_) (void)::umount2(dir_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  [[nodiscard]] bool mounted() const noexcept { return mounted_; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] std::uint64_t free_bytes() const {
    struct statvfs st {};
    REQUIRE(::statvfs(dir_.c_str(), &st) == 0);
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string error_;
};

// The tmpfs of kDiskBytes the tests fill, under a temporary directory.
struct SmallDisk {
  TempDir base{"strata-full-disk"};
  TmpfsMount disk{base.path() / "disk", kDiskBytes};

  [[nodiscard]] fs::path root() const { return base.path() / "disk"; }
  // Whether the tmpfs is there; says why the test is skipped if not.
  [[nodiscard]] bool mounted() const {
    if (!disk.mounted()) MESSAGE("SKIPPED: cannot mount a tmpfs (" << disk.error() << "); this test needs root");
    return disk.mounted();
  }
};

const std::vector<protocol::ConfigEntry> kSmallSegments{{"segment.bytes", std::to_string(1u << 20)}};

// What a partition should hold, by offset, as acknowledged produces said.
using Model = std::map<std::uint64_t, Rec>;

// Produces one ~64 KiB batch; on success adds its records to `model`.
ErrorCode produce_one(WireClient& c, const std::string& topic, Model& model, const std::string& prefix,
                      Acks acks = Acks::leader, std::size_t count = kRecordsPerBatch,
                      std::size_t value_bytes = kValueBytes) {
  const std::uint64_t end = model.empty() ? 0 : model.rbegin()->first + 1;
  const auto records = make_records(prefix, end, count, now_ms(), value_bytes);
  const auto res = c.produce(topic, 0, make_batch(records), acks);
  if (res.error == ErrorCode::none) {
    CHECK(res.base_offset == end);
    for (std::size_t i = 0; i < records.size(); ++i) model[res.base_offset + i] = records[i];
  } else {
    CHECK_FALSE(res.message.empty());
    // acks=durable: a batch whose sync failed is in the log all the same.
    const auto now_end = static_cast<std::uint64_t>(c.list_offset(topic, 0, protocol::kLatestTimestamp).offset);
    if (acks == Acks::durable && now_end == end + records.size()) {
      for (std::size_t i = 0; i < records.size(); ++i) model[end + i] = records[i];
    }
  }
  return res.error;
}

// Produces until the first error (at most `limit` batches) and returns it.
ErrorCode produce_until_error(WireClient& c, const std::string& topic, Model& model, const std::string& prefix,
                              int limit, Acks acks = Acks::leader) {
  for (int i = 0; i < limit; ++i) {
    const ErrorCode e = produce_one(c, topic, model, prefix, acks);
    if (e != ErrorCode::none) return e;
  }
  return ErrorCode::none;
}

// After a 64 KiB batch was refused, fills what is left with smaller and
// smaller one-record batches until even a 1-byte value is refused, so the
// file system has no free block left. With acks=durable the syncs after the
// rolls must write a checkpoint, which the last blocks may not hold.
ErrorCode top_up(WireClient& c, const std::string& topic, Model& model, Acks acks = Acks::leader) {
  ErrorCode last = ErrorCode::none;
  for (std::size_t value_bytes : {std::size_t{3000}, std::size_t{500}, std::size_t{1}}) {
    for (int i = 0; i < 100; ++i) {
      last = produce_one(c, topic, model, "t", acks, 1, value_bytes);
      if (last != ErrorCode::none) break;
    }
  }
  return last;
}

// The partition holds exactly the model's records from `from` on.
void check_partition(WireClient& c, const std::string& topic, const Model& model, std::uint64_t from = 0) {
  const Model expected(model.lower_bound(from), model.end());
  const Model got = read_partition(c, topic, 0, from);
  CHECK(got.size() == expected.size());
  CHECK(got == expected);
}

std::uint64_t log_start(WireClient& c, const std::string& topic) {
  return static_cast<std::uint64_t>(c.list_offset(topic, 0, protocol::kEarliestTimestamp).offset);
}

}  // namespace

TEST_CASE("full disk: NOT_ENOUGH_SPACE on a really full tmpfs, reads go on, writes resume once space is freed") {
  SmallDisk small;
  if (!small.mounted()) return;
  TmpfsMount& disk = small.disk;
  const fs::path data = small.root() / "data";
  auto broker = std::make_unique<BrokerProcess>(data, std::vector<std::string>{"--retention-check-interval-ms", "100"});
  auto c = std::make_unique<WireClient>(broker->port());
  REQUIRE(c->create_topic("other", 1).error == ErrorCode::none);
  REQUIRE(c->create_topic("spare", 1, kSmallSegments).error == ErrorCode::none);
  REQUIRE(c->create_topic("fill", 1, kSmallSegments).error == ErrorCode::none);
  Model other;
  Model spare;
  Model fill;
  REQUIRE(produce_one(*c, "other", other, "o") == ErrorCode::none);
  for (int i = 0; i < 40; ++i) REQUIRE(produce_one(*c, "spare", spare, "s") == ErrorCode::none);  // ~2.5 MiB

  // Fill the disk: 8 MiB is at most ~130 batches.
  const ErrorCode first = produce_until_error(*c, "fill", fill, "f", 200);
  MESSAGE("disk full after " << fill.size() / kRecordsPerBatch << " batches to fill, " << disk.free_bytes()
                             << " bytes free");
  REQUIRE(first == ErrorCode::not_enough_space);
  CHECK(disk.free_bytes() < 2 * kRecordsPerBatch * kValueBytes);
  REQUIRE(top_up(*c, "fill", fill, Acks::durable) == ErrorCode::not_enough_space);
  MESSAGE("topped up with small batches: " << disk.free_bytes() << " bytes free");
  for (int i = 0; i < 5; ++i) {
    CHECK(produce_one(*c, "fill", fill, "f") == ErrorCode::not_enough_space);
    CHECK(produce_one(*c, "other", other, "o") == ErrorCode::not_enough_space);
  }
  // The broker stays up and serves every partition's reads, on this
  // connection and a new one.
  REQUIRE(broker->running());
  check_partition(*c, "fill", fill);
  check_partition(*c, "spare", spare);
  check_partition(*c, "other", other);
  {
    WireClient fresh(broker->port());
    check_partition(fresh, "other", other);
  }

  // Admin writes on the 100% full disk are refused with the same code and
  // change nothing: persisting topic.conf needs a free block. That holds for
  // a config that frees nothing and for a retention change that frees
  // nothing (the broker tries it first, then takes it back). DeleteTopic
  // needs no block.
  const auto configs_before = c->describe_configs("fill").configs;
  CHECK(c->alter_configs("fill", {{"segment.ms", "86400000"}}).error == ErrorCode::not_enough_space);
  CHECK(c->alter_configs("fill", {{"retention.ms", "999999999999"}}).error == ErrorCode::not_enough_space);
  CHECK(c->describe_configs("fill").configs == configs_before);
  CHECK(log_start(*c, "fill") == 0);
  CHECK(c->create_topic("late", 2).error == ErrorCode::not_enough_space);
  CHECK(c->metadata({"late"}).topics.at(0).error == ErrorCode::unknown_topic);
  CHECK_FALSE(fs::exists(data / "late"));

  // Free space by deleting a topic: writes resume at the next offset.
  const std::uint64_t free_full = disk.free_bytes();
  REQUIRE(c->delete_topic("spare").error == ErrorCode::none);
  MESSAGE("deleting spare: " << free_full << " -> " << disk.free_bytes() << " bytes free");
  CHECK(disk.free_bytes() > free_full + (2u << 20));
  CHECK(produce_one(*c, "fill", fill, "d") == ErrorCode::none);
  CHECK(produce_one(*c, "other", other, "o") == ErrorCode::none);
  REQUIRE(c->create_topic("after", 1).error == ErrorCode::none);
  Model after;
  CHECK(produce_one(*c, "after", after, "a") == ErrorCode::none);

  // Full again, to the last block. Lowering retention works with no free
  // block: the broker applies and enforces it, then persists it in the
  // space that freed, before it answers.
  REQUIRE(produce_until_error(*c, "fill", fill, "g", 200) == ErrorCode::not_enough_space);
  REQUIRE(top_up(*c, "fill", fill) == ErrorCode::not_enough_space);
  CHECK(produce_one(*c, "other", other, "o") == ErrorCode::not_enough_space);
  const auto altered = c->alter_configs("fill", {{"retention.bytes", std::to_string(1u << 20)}});
  REQUIRE_MESSAGE(altered.error == ErrorCode::none, altered.message);
  CHECK(log_start(*c, "fill") > 0);
  CHECK(eventually([&] { return produce_one(*c, "fill", fill, "r") == ErrorCode::none; }, 10000ms));
  MESSAGE("after retention: fill starts at " << log_start(*c, "fill") << ", " << disk.free_bytes() << " bytes free");
  CHECK(produce_one(*c, "other", other, "o") == ErrorCode::none);
  check_partition(*c, "fill", fill, log_start(*c, "fill"));
  check_partition(*c, "other", other);

  // Nothing written on the full disk is corrupt: a restart reads it all.
  const std::uint64_t fill_start = log_start(*c, "fill");
  c.reset();
  const ExitStatus stopped = broker->stop();
  CHECK(stopped.exited);
  CHECK(stopped.code == 0);
  broker = std::make_unique<BrokerProcess>(data);
  c = std::make_unique<WireClient>(broker->port());
  CHECK(log_start(*c, "fill") == fill_start);
  CHECK(config_value(*c, "fill", "retention.bytes") == std::to_string(1u << 20));
  check_partition(*c, "fill", fill, fill_start);
  check_partition(*c, "other", other);
  check_partition(*c, "after", after);
  CHECK(c->metadata({"spare"}).topics.at(0).error == ErrorCode::unknown_topic);
  CHECK(broker->count_log("corrupt") == 0);
}

TEST_CASE("full disk: a broker stopped, restarted and killed on a full disk comes back with all acknowledged data") {
  SmallDisk small;
  if (!small.mounted()) return;
  TmpfsMount& disk = small.disk;
  const fs::path data = small.root() / "data";
  auto broker = std::make_unique<BrokerProcess>(data);
  auto c = std::make_unique<WireClient>(broker->port());
  REQUIRE(c->create_topic("spare", 1, kSmallSegments).error == ErrorCode::none);
  REQUIRE(c->create_topic("fill", 1, kSmallSegments).error == ErrorCode::none);
  Model spare;
  Model fill;
  for (int i = 0; i < 30; ++i) REQUIRE(produce_one(*c, "spare", spare, "s") == ErrorCode::none);
  REQUIRE(produce_until_error(*c, "fill", fill, "f", 200, Acks::durable) == ErrorCode::not_enough_space);
  REQUIRE(top_up(*c, "fill", fill) == ErrorCode::not_enough_space);
  REQUIRE(produce_one(*c, "fill", fill, "f", Acks::durable) == ErrorCode::not_enough_space);

  // SIGTERM on the full disk: a clean exit, not a crash or a hang.
  c.reset();
  const ExitStatus stopped = broker->stop();
  INFO(broker->log_text());
  CHECK(stopped.exited);
  CHECK(stopped.code == 0);
  MESSAGE("SIGTERM on a full disk: exit code " << stopped.code << ", " << disk.free_bytes() << " bytes free");

  // Twice: after that clean stop, then after a kill -9, both on the full disk.
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    broker = std::make_unique<BrokerProcess>(data);
    c = std::make_unique<WireClient>(broker->port());
    check_partition(*c, "fill", fill);
    check_partition(*c, "spare", spare);
    CHECK(produce_one(*c, "fill", fill, "f") == ErrorCode::not_enough_space);
    c.reset();
    if (round == 0) (void)broker->kill9();
  }

  // Space comes back: writes resume at the next offset.
  c = std::make_unique<WireClient>(broker->port());
  REQUIRE(c->delete_topic("spare").error == ErrorCode::none);
  CHECK(produce_one(*c, "fill", fill, "d", Acks::durable) == ErrorCode::none);
  check_partition(*c, "fill", fill);
  CHECK(broker->count_log("corrupt") == 0);
}

}  // namespace strata::it
