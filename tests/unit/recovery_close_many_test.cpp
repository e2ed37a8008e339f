// Clean shutdown of many partitions at once (PartitionLog::close_many):
// three file-system syncs instead of per-file fsyncs, the same clean
// reopen as close(), and, under a power loss at any of its syncs, never a
// clean-shutdown marker that vouches for bytes that were not durable.
#include <doctest/doctest.h>

#include <cstddef>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "recovery_test_util.h"
#include "storage/checkpoint.h"
#include "storage/storage_errc.h"

namespace strata::test::recovery {
namespace {

using storage::FileSystem;
using storage::OpenMode;

// Partition 0 is unchanged since a clean close, 1-4 have a synced part
// (and so a checkpoint) and unsynced appends, the last was never synced
// (no checkpoint yet).
constexpr std::size_t kPartitions = 6;
constexpr std::size_t kNeverSynced = kPartitions - 1;

// Forwards to the fault-injection file system; its cut_at-th file-system
// sync is a power loss instead: what was not synced is lost, except the
// clean-shutdown markers already in their directories, which stay (a disk
// may write any of them early), and the sync fails.
class PowerCutFileSystem final : public FileSystem {
 public:
  explicit PowerCutFileSystem(storage::FaultInjectionFileSystem& faults) : faults_(faults) {}
  int cut_at = 0;  // 0: never
  int calls = 0;

  Result<std::unique_ptr<storage::File>> open(const fs::path& p, OpenMode mode) override {
    return faults_.open(p, mode);
  }
  std::error_code create_directories(const fs::path& d) override { return faults_.create_directories(d); }
  Result<std::vector<std::string>> list(const fs::path& d) override { return faults_.list(d); }
  std::error_code rename(const fs::path& a, const fs::path& b) override { return faults_.rename(a, b); }
  std::error_code remove(const fs::path& p) override { return faults_.remove(p); }
  std::error_code remove_all(const fs::path& p) override { return faults_.remove_all(p); }
  std::error_code sync_directory(const fs::path& d) override { return faults_.sync_directory(d); }
  bool exists(const fs::path& p) override { return faults_.exists(p); }
  std::error_code sync_filesystems(std::span<const fs::path> dirs) override {
    if (++calls != cut_at) return faults_.sync_filesystems(dirs);
    std::vector<fs::path> markers;
    for (const auto& d : dirs) {
      if (fs::exists(d / storage::kCleanShutdownFile)) markers.push_back(d / storage::kCleanShutdownFile);
    }
    REQUIRE_FALSE(faults_.drop_unsynced());
    for (const auto& m : markers) write_file(m, {});
    return std::make_error_code(std::errc::io_error);
  }

 private:
  storage::FaultInjectionFileSystem& faults_;
};

fs::path dir_of(const StorageEnv& env, std::size_t i) { return env.dir.path() / ("part-" + std::to_string(i)); }

std::unique_ptr<PartitionLog> open_log(StorageEnv& env, storage::FileCache& cache, std::size_t i,
                                       const LogConfig& cfg) {
  auto log = PartitionLog::open(dir_of(env, i), cache, env.options(cfg));
  REQUIRE_MESSAGE(log.has_value(), log.error().message());
  return std::move(log).value();
}

// The partitions described at kPartitions; unsynced parts roll segments.
struct Setup {
  std::vector<Model> synced;  // what each partition had synced
  std::vector<Model> all;     // everything appended
};

Setup fill(StorageEnv& env, FileSystem& fsys, const LogConfig& cfg, std::vector<std::unique_ptr<PartitionLog>>& logs,
           storage::FileCache& cache) {
  Setup s;
  for (std::size_t i = 0; i < kPartitions; ++i) {
    Model m(kValueSize);
    if (i != kNeverSynced) {
      storage::FileCache first(fsys, 16);
      auto log = open_log(env, first, i, cfg);
      for (std::size_t b = 0; b < 4 + i; ++b) add(*log, m, 2, 30);
      REQUIRE_FALSE(log->close());
    }
    s.synced.push_back(m);
    logs.push_back(open_log(env, cache, i, cfg));
    if (i > 0) {
      for (std::size_t b = 0; b < 10 + 3 * i; ++b) add(*logs.back(), m, 1 + b % 3, 30);
    }
    s.all.push_back(m);
  }
  return s;
}

std::vector<PartitionLog*> raw(const std::vector<std::unique_ptr<PartitionLog>>& logs) {
  std::vector<PartitionLog*> out;
  for (const auto& l : logs) out.push_back(l.get());
  return out;
}

}  // namespace

TEST_CASE("close_many: every dirty log closes with file-system syncs only and reopens clean") {
  StorageEnv env;
  const LogConfig cfg = small_config(600, 100);
  storage::FileCache cache(env.faults, 8);  // fewer descriptors than files: the cache must cycle
  std::vector<std::unique_ptr<PartitionLog>> logs;
  const Setup s = fill(env, env.faults, cfg, logs, cache);
  for (std::size_t i = 1; i < kPartitions; ++i) CHECK(logs[i]->segment_count() > 1);

  const auto file_syncs = env.faults.file_syncs();
  const auto dir_syncs = env.faults.directory_syncs();
  const auto ptrs = raw(logs);
  REQUIRE_FALSE(PartitionLog::close_many(env.faults, ptrs));
  CHECK(env.faults.filesystem_syncs() == 3);
  CHECK(env.faults.file_syncs() == file_syncs);
  CHECK(env.faults.directory_syncs() == dir_syncs);
  CHECK(cache.size() == 0);  // no descriptor left cached
  for (auto& log : logs) {
    CHECK(log->durable_end() == log->log_end());
    CHECK(log->read(Offset(0), 100).error() == storage::StorageErrc::closed);
  }
  logs.clear();

  REQUIRE_FALSE(env.faults.drop_unsynced());  // a power loss right after: nothing is lost
  std::vector<Model> models = s.all;
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    storage::FileCache again(env.faults, 16);
    for (std::size_t i = 0; i < kPartitions; ++i) {
      CAPTURE(i);
      logs.push_back(open_log(env, again, i, cfg));
      CHECK(logs.back()->recovery_report().clean_shutdown);
      CHECK(logs.back()->recovery_report().segments_recovered == 0);
      CHECK(logs.back()->recovery_report().bytes_scanned == 0);
      check_log(*logs.back(), models[i]);
    }
    if (round == 1) {
      logs.clear();  // before their cache
      break;
    }
    // Every log has a checkpoint now: two syncs, and only the changed log
    // writes anything.
    add(*logs[kNeverSynced], models[kNeverSynced], 3, 30);
    const auto before = env.faults.filesystem_syncs();
    REQUIRE_FALSE(PartitionLog::close_many(env.faults, raw(logs)));
    CHECK(env.faults.filesystem_syncs() == before + 2);
    logs.clear();
    REQUIRE_FALSE(env.faults.drop_unsynced());
  }
}

TEST_CASE("close_many: a power loss at any of its syncs leaves no marker over bytes that were lost") {
  // 1: the logs were not synced yet; 2: the never-synced partition's new
  // checkpoint was not; 3: the markers were not (but may be on disk
  // anyway); 0: no power loss.
  for (const int cut : {1, 2, 3, 0}) {
    CAPTURE(cut);
    StorageEnv env;
    PowerCutFileSystem fsys(env.faults);
    const LogConfig cfg = small_config(600, 100);
    Setup s;
    {
      storage::FileCache cache(fsys, 8);
      std::vector<std::unique_ptr<PartitionLog>> logs;
      s = fill(env, fsys, cfg, logs, cache);
      fsys.cut_at = cut;
      const auto ptrs = raw(logs);
      const std::error_code ec = PartitionLog::close_many(fsys, ptrs);
      CHECK(static_cast<bool>(ec) == (cut != 0));
      CHECK(cache.size() == 0);
    }
    REQUIRE_FALSE(env.faults.drop_unsynced());
    for (std::size_t i = 0; i < kPartitions; ++i) {
      CAPTURE(i);
      storage::FileCache again(env.faults, 16);
      auto log = open_log(env, again, i, cfg);
      const auto& rep = log->recovery_report();
      CHECK_FALSE(rep.corruption_found);
      if (i == 0) {
        CHECK(rep.clean_shutdown);  // untouched since its clean close
      } else {
        CHECK(rep.clean_shutdown == (cut == 0 || cut == 3));
      }
      // Clean or not, the log holds exactly what was durable.
      check_log(*log, cut == 1 ? s.synced[i] : s.all[i]);
    }
  }
}

TEST_CASE("close_many: a log whose marker cannot be trusted is recovered, the others are clean") {
  StorageEnv env;
  const LogConfig cfg = small_config(600, 100);
  storage::FileCache cache(env.faults, 8);
  std::vector<std::unique_ptr<PartitionLog>> logs;
  Setup s = fill(env, env.faults, cfg, logs, cache);
  // Partition 2 already lost its data: a failed fsync made it read-only.
  add(*logs[2], s.all[2], 1, 30);
  env.faults.fail_next_sync(std::errc::io_error);
  CHECK(logs[2]->sync());
  REQUIRE(logs[2]->read_only_reason());
  const auto ptrs = raw(logs);
  CHECK(PartitionLog::close_many(env.faults, ptrs) == std::errc::io_error);
  logs.clear();
  for (std::size_t i = 0; i < kPartitions; ++i) {
    CAPTURE(i);
    storage::FileCache again(env.faults, 16);
    auto log = open_log(env, again, i, cfg);
    CHECK(log->recovery_report().clean_shutdown == (i != 2));
    CHECK(log->log_end() == Offset(s.all[i].next()));
  }
}

TEST_CASE("fault injection: a file-system sync makes every file and directory entry durable") {
  StorageEnv env;
  const fs::path a = env.dir.path() / "a";
  {
    auto f = env.faults.open(a, OpenMode::create_read_write);
    REQUIRE(f.has_value());
    const std::uint8_t bytes[] = {1, 2, 3};
    REQUIRE_FALSE(f.value()->append(bytes));
  }
  const fs::path dirs[] = {env.dir.path()};
  env.faults.fail_next_sync(std::errc::io_error);
  CHECK(env.faults.sync_filesystems(dirs) == std::errc::io_error);
  REQUIRE_FALSE(env.faults.sync_filesystems(dirs));
  {
    auto f = env.faults.open(a, OpenMode::read_write);
    REQUIRE(f.has_value());
    const std::uint8_t more[] = {4};
    REQUIRE_FALSE(f.value()->append(more));  // after the sync: lost below
  }
  REQUIRE_FALSE(env.faults.drop_unsynced());
  REQUIRE(fs::exists(a));
  CHECK(fs::file_size(a) == 3);
}

}  // namespace strata::test::recovery
