#include <doctest/doctest.h>

#include <fcntl.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "protocol/batch_validator.h"
#include "protocol/record.h"
#include "storage/storage_errc.h"
#include "storage_test_util.h"

namespace {

namespace st = strata::storage;
namespace tu = strata::test;
namespace pr = strata::protocol;
namespace sfs = std::filesystem;

// A FileSystem that forwards to another and counts the files it has open,
// so a test sees every open and the high-water mark, not just samples.
class CountingFileSystem final : public st::FileSystem {
 public:
  explicit CountingFileSystem(st::FileSystem& base) : base_(base) {}

  strata::Result<std::unique_ptr<st::File>> open(const sfs::path& path, st::OpenMode mode) override {
    auto f = base_.open(path, mode);
    if (!f) return f.error();
    ++opens_;
    ++live_;
    peak_live_ = std::max(peak_live_, live_);
    if (on_open_) on_open_();
    std::unique_ptr<st::File> counted = std::make_unique<Counted>(std::move(f).value(), live_);
    return strata::Result<std::unique_ptr<st::File>>(std::move(counted));
  }
  std::error_code create_directories(const sfs::path& dir) override { return base_.create_directories(dir); }
  strata::Result<std::vector<std::string>> list(const sfs::path& dir) override { return base_.list(dir); }
  std::error_code rename(const sfs::path& from, const sfs::path& to) override { return base_.rename(from, to); }
  std::error_code remove(const sfs::path& path) override { return base_.remove(path); }
  std::error_code remove_all(const sfs::path& path) override { return base_.remove_all(path); }
  std::error_code sync_directory(const sfs::path& dir) override { return base_.sync_directory(dir); }
  std::error_code sync_filesystems(std::span<const sfs::path> dirs) override { return base_.sync_filesystems(dirs); }
  bool exists(const sfs::path& path) override { return base_.exists(path); }

  [[nodiscard]] std::size_t opens() const { return opens_; }
  [[nodiscard]] std::size_t live() const { return live_; }
  [[nodiscard]] std::size_t peak_live() const { return peak_live_; }
  void reset_peak() { peak_live_ = live_; }
  void on_open(std::function<void()> f) { on_open_ = std::move(f); }

 private:
  class Counted final : public st::File {
   public:
    Counted(std::unique_ptr<st::File> inner, std::size_t& live) : inner_(std::move(inner)), live_(live) {}
    ~Counted() override { --live_; }
    strata::Result<std::size_t> read_at(std::uint64_t pos, st::MutableBytes buf) override {
      return inner_->read_at(pos, buf);
    }
    std::error_code append(st::Bytes data) override { return inner_->append(data); }
    std::error_code truncate(std::uint64_t size) override { return inner_->truncate(size); }
    std::error_code sync() override { return inner_->sync(); }
    void drop_cached(std::uint64_t begin, std::uint64_t end) noexcept override { inner_->drop_cached(begin, end); }
    std::uint64_t size() const noexcept override { return inner_->size(); }
    int native_handle() const noexcept override { return inner_->native_handle(); }

   private:
    std::unique_ptr<st::File> inner_;
    std::size_t& live_;
  };

  st::FileSystem& base_;
  std::size_t opens_ = 0;
  std::size_t live_ = 0;
  std::size_t peak_live_ = 0;
  std::function<void()> on_open_;
};

bool fd_is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

struct CacheEnv {
  explicit CacheEnv(std::size_t capacity) : counting(posix), cache(counting, capacity) {
    for (const char* name : {"a", "b", "c", "d", "e"}) {
      auto f = posix.open(path(name), st::OpenMode::create_read_write);
      REQUIRE(f.has_value());
    }
  }
  [[nodiscard]] sfs::path path(const std::string& name) const { return dir.path() / name; }
  std::shared_ptr<st::File> get(const std::string& name) {
    auto f = cache.get(path(name));
    REQUIRE_MESSAGE(f.has_value(), f.error().message());
    return std::move(f).value();
  }
  // True if getting `name` needed no open (it was cached).
  bool hit(const std::string& name) {
    const auto before = counting.opens();
    (void)get(name);
    return counting.opens() == before;
  }

  tu::TempDir dir;
  st::PosixFileSystem posix;
  CountingFileSystem counting;
  st::FileCache cache;
};

}  // namespace

TEST_SUITE("file_cache") {

TEST_CASE("FileCache evicts the least recently used entry") {
  CacheEnv env(3);
  CHECK(env.cache.capacity() == 3);
  CHECK(env.cache.size() == 0);
  CHECK_FALSE(env.hit("a"));
  CHECK_FALSE(env.hit("b"));
  CHECK_FALSE(env.hit("c"));
  CHECK(env.cache.size() == 3);
  CHECK(env.counting.live() == 3);
  // Using a makes b the least recently used.                 MRU..LRU
  CHECK(env.hit("a"));                                       // a c b
  CHECK_FALSE(env.hit("d"));                                 // d a c   (b out)
  CHECK(env.cache.size() == 3);
  CHECK(env.counting.live() == 3);  // the evicted handle was closed
  CHECK(env.hit("c"));                                       // c d a
  CHECK(env.hit("a"));                                       // a c d
  CHECK_FALSE(env.hit("b"));                                 // b a c   (d out)
  CHECK_FALSE(env.hit("d"));                                 // d b a   (c out)
  CHECK(env.hit("a"));                                       // a d b
  CHECK(env.hit("b"));                                       // b a d
  CHECK(env.hit("d"));                                       // d b a
  CHECK_FALSE(env.hit("c"));                                 // c d b   (a out)
  CHECK_FALSE(env.hit("a"));                                 // a c d   (b out)
  CHECK(env.cache.size() == 3);
  CHECK(env.counting.live() == 3);
  CHECK(env.counting.peak_live() <= env.cache.capacity() + 1);
}

TEST_CASE("FileCache returns the same handle while cached, get and create share entries") {
  CacheEnv env(4);
  auto a1 = env.get("a");
  auto a2 = env.get("a");
  CHECK(a1.get() == a2.get());
  CHECK(env.counting.opens() == 1);

  auto created = env.cache.create(env.path("new"));
  REQUIRE(created.has_value());
  CHECK(sfs::exists(env.path("new")));
  REQUIRE_FALSE(created.value()->append(pr::as_bytes("hello")));
  auto again = env.cache.get(env.path("new"));
  REQUIRE(again.has_value());
  CHECK(again.value().get() == created.value().get());
  // create on a cached, non-empty file neither reopens nor truncates it.
  auto recreated = env.cache.create(env.path("new"));
  REQUIRE(recreated.has_value());
  CHECK(recreated.value().get() == created.value().get());
  CHECK(recreated.value()->size() == 5);
  CHECK(env.counting.opens() == 2);
  CHECK(env.cache.size() == 2);
}

TEST_CASE("FileCache get of a missing file fails and evicts nothing") {
  CacheEnv env(2);
  CHECK_FALSE(env.hit("a"));
  CHECK_FALSE(env.hit("b"));
  auto missing = env.cache.get(env.path("no-such-file"));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error() == std::errc::no_such_file_or_directory);
  CHECK_FALSE(sfs::exists(env.path("no-such-file")));
  CHECK(env.cache.size() == 2);
  CHECK(env.hit("a"));
  CHECK(env.hit("b"));
}

TEST_CASE("FileCache evict drops the entry and closes it unless held") {
  CacheEnv env(3);
  (void)env.get("a");
  (void)env.get("b");
  CHECK(env.cache.size() == 2);
  env.cache.evict(env.path("a"));
  CHECK(env.cache.size() == 1);
  CHECK(env.counting.live() == 1);
  CHECK(env.hit("b"));
  CHECK_FALSE(env.hit("a"));
  // Evicting what is not cached does nothing.
  env.cache.evict(env.path("c"));
  env.cache.evict(env.path("never-existed"));
  CHECK(env.cache.size() == 2);
  // Evicting twice is harmless.
  env.cache.evict(env.path("a"));
  env.cache.evict(env.path("a"));
  CHECK(env.cache.size() == 1);
  CHECK(env.hit("b"));
}

TEST_CASE("FileCache handles stay valid after eviction while held") {
  CacheEnv env(2);
  auto held = env.get("a");
  const int fd = held->native_handle();
  REQUIRE_FALSE(held->append(pr::as_bytes("first ")));

  SUBCASE("evicted explicitly") { env.cache.evict(env.path("a")); }
  SUBCASE("evicted by LRU") {
    (void)env.get("b");
    (void)env.get("c");
    (void)env.get("d");
  }
  // The cache no longer has it, but the handle still works.
  CHECK(env.cache.size() <= 2);
  CHECK(fd_is_open(fd));
  REQUIRE_FALSE(held->append(pr::as_bytes("second")));
  std::vector<std::uint8_t> buf(12);
  auto n = held->read_at(0, buf);
  REQUIRE(n.has_value());
  CHECK(n.value() == 12);
  CHECK(pr::as_string(buf) == "first second");
  REQUIRE_FALSE(held->sync());

  // A fresh handle sees the same file; the old one closes once released.
  const auto live_with_old = env.counting.live();
  auto fresh = env.get("a");
  CHECK(fresh.get() != held.get());
  CHECK(fresh->size() == 12);
  CHECK(env.counting.live() <= live_with_old + 1);
  const auto live_before_release = env.counting.live();
  held.reset();
  CHECK(env.counting.live() == live_before_release - 1);
}

TEST_CASE("FileCache of capacity 1 keeps one entry, held handles outlive eviction") {
  CacheEnv env(1);
  auto a = env.get("a");
  REQUIRE_FALSE(a->append(pr::as_bytes("xyz")));
  auto b = env.get("b");
  CHECK(env.cache.size() == 1);
  CHECK(env.counting.live() == 2);  // a is out of the cache but still held
  CHECK(env.hit("b"));
  CHECK_FALSE(env.hit("a"));
  CHECK(a->size() == 3);
  std::vector<std::uint8_t> buf(3);
  auto n = a->read_at(0, buf);
  REQUIRE(n.has_value());
  CHECK(pr::as_string(buf) == "xyz");
  a.reset();
  b.reset();
  CHECK(env.counting.live() == 1);
  CHECK(env.cache.size() == 1);
}

TEST_CASE("two thousand segments share a bounded number of descriptors") {
  const std::size_t baseline = tu::open_descriptors();
  constexpr std::size_t kBound = 32;
  constexpr std::size_t kSlack = 8;  // a held slice, a checkpoint write, the /proc listing itself
  constexpr std::uint64_t kSegments = 2000;

  // ~6,000 files and as many fsyncs: on tmpfs, since only descriptors are
  // under test here, so a busy disk cannot make this take a minute.
  tu::TempDir dir(tu::memory_backed_base(), "strata-fd-test");
  st::PosixFileSystem posix;
  CountingFileSystem counting(posix);
  st::FileCache cache(counting, kBound);
  st::ManualClock clock;
  const sfs::path pdir = dir.path() / "topic-0";

  // Sampled on opens, at most every 16th one, so the check stays cheap.
  std::size_t peak_fds = tu::open_descriptors();
  std::size_t opens_seen = 0;
  counting.on_open([&] {
    if (++opens_seen % 16 == 0 || counting.live() == counting.peak_live()) {
      if (peak_fds <= baseline + kBound + kSlack + 1) peak_fds = std::max(peak_fds, tu::open_descriptors());
    }
  });
  // Checks the phase that just ended, then starts the next one.
  auto check_bound = [&](const char* when) {
    const std::size_t now = tu::open_descriptors();
    INFO(std::string(when) << ": baseline " << baseline << ", now " << now << ", peak sampled " << peak_fds
                           << ", peak files open through the cache's file system " << counting.peak_live());
    CHECK(now < baseline + kBound + kSlack);
    CHECK(peak_fds < baseline + kBound + kSlack);
    CHECK(counting.peak_live() <= kBound + kSlack);
    counting.reset_peak();
    peak_fds = now;
  };

  st::LogConfig cfg;
  cfg.segment_bytes = 1;  // every batch rolls
  cfg.retention_ms = st::LogConfig::kDisabled;
  auto open_log = [&] {
    st::PartitionOptions o;
    o.config = cfg;
    o.clock = &clock;
    auto log = st::PartitionLog::open(pdir, cache, o);
    REQUIRE_MESSAGE(log.has_value(), log.error().message());
    return std::move(log).value();
  };

  auto log = open_log();
  for (std::uint64_t i = 0; i < kSegments; ++i) {
    auto bytes = tu::make_batch(i, 1, clock.now_ms() + static_cast<std::int64_t>(i), 4);
    const auto res = tu::append_bytes(*log, bytes);
    CHECK(res.base == st::Offset(i));
  }
  CHECK(log->segment_count() == kSegments);
  CHECK(log->log_end() == st::Offset(kSegments));
  check_bound("after appending");

  auto read_every_offset = [&](const char* when) {
    std::vector<std::uint8_t> buf;
    std::size_t bad = 0;
    for (std::uint64_t o = 0; o < kSegments; ++o) {
      auto slice = log->read(st::Offset(o), o % 2 == 0 ? 1 : 1 << 20);
      REQUIRE_MESSAGE(slice.has_value(), slice.error().message());
      buf.resize(slice.value().length);
      auto n = slice.value().file->read_at(slice.value().position, buf);
      REQUIRE(n.has_value());
      auto header = pr::validate_batch(buf, pr::kMaxBatchBytes);
      if (!header || slice.value().first_offset != st::Offset(o) || slice.value().next_offset != st::Offset(o + 1) ||
          header.value().base_offset != o) {
        ++bad;
        continue;
      }
      pr::RecordReader reader(buf, header.value());
      pr::Record r;
      if (!reader.next(r) || pr::as_string(r.key.value()) != "k" + std::to_string(o)) ++bad;
    }
    INFO(std::string(when));
    CHECK(bad == 0);
    check_bound(when);
  };
  read_every_offset("reading every offset");

  // A crash first (nothing synced, nothing closed), then a clean close.
  log.reset();
  check_bound("after the crash");
  log = open_log();
  CHECK_FALSE(log->recovery_report().clean_shutdown);
  CHECK(log->segment_count() == kSegments);
  CHECK(log->log_end() == st::Offset(kSegments));
  check_bound("reopening after the crash");
  read_every_offset("reading every offset after the crash");
  auto ts = log->offset_for_timestamp(clock.now_ms() + 1500);
  REQUIRE(ts.has_value());
  CHECK(ts.value() == std::optional<st::Offset>(st::Offset(1500)));
  check_bound("a timestamp lookup");

  REQUIRE_FALSE(log->close());
  check_bound("close");
  log.reset();
  log = open_log();
  CHECK(log->recovery_report().clean_shutdown);
  CHECK(log->recovery_report().bytes_scanned == 0);
  CHECK(log->segment_count() == kSegments);
  CHECK(log->log_end() == st::Offset(kSegments));
  check_bound("reopening after close");
  read_every_offset("reading every offset after the clean reopen");

  // More segments rolled since the last sync, then a clean close.
  for (std::uint64_t i = kSegments; i < kSegments + 300; ++i) {
    auto bytes = tu::make_batch(i, 1, clock.now_ms() + static_cast<std::int64_t>(i), 4);
    CHECK(tu::append_bytes(*log, bytes).base == st::Offset(i));
  }
  check_bound("appending 300 more segments");
  REQUIRE_FALSE(log->close());
  log.reset();
  check_bound("the last close");
}

}  // TEST_SUITE
