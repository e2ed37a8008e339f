// Shared fixtures for storage tests: a temporary directory, batch makers,
// and a reader that pulls every record back out of a partition through the
// public read path (slice -> bytes -> validate -> records).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "storage/fault_injection_file_system.h"
#include "storage/file_cache.h"
#include "storage/partition_log.h"
#include "storage/posix_file_system.h"

namespace strata::test {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

struct TestRecord {
  std::int64_t timestamp = 0;
  std::string key;
  std::string value;
};

// A batch of `count` records; record i has key "k<first_id+i>", value
// "v<first_id+i>" padded to value_size, and timestamp ts + i.
[[nodiscard]] std::vector<std::uint8_t> make_batch(std::uint64_t first_id, std::size_t count, std::int64_t ts,
                                                   std::size_t value_size = 0);

// Validates and appends bytes (which are stamped in place). Fails the
// test on error.
storage::AppendResult append_bytes(storage::PartitionLog& log, std::vector<std::uint8_t>& bytes);

// Every record from `from` to the log end, read through PartitionLog::read
// with the given budget; each batch is validated on the way.
[[nodiscard]] std::vector<TestRecord> read_all(storage::PartitionLog& log, storage::Offset from,
                                               std::uint64_t max_bytes = 64 * 1024);
struct ReadRecord {
  std::uint64_t offset;
  TestRecord record;
};
[[nodiscard]] std::vector<ReadRecord> read_all_with_offsets(storage::PartitionLog& log, storage::Offset from,
                                                            std::uint64_t max_bytes = 64 * 1024);

// A file system stack for one test: POSIX underneath, fault injection on
// top, a cache of the given size and a manual clock.
struct StorageEnv {
  explicit StorageEnv(std::size_t cache_capacity = 64);
  TempDir dir;
  storage::PosixFileSystem posix;
  storage::FaultInjectionFileSystem faults{posix};
  storage::FileCache cache;
  storage::ManualClock clock;
  std::vector<std::string> events;

  [[nodiscard]] storage::PartitionOptions options(storage::LogConfig config = {});
  [[nodiscard]] std::unique_ptr<storage::PartitionLog> open(storage::LogConfig config = {});
  [[nodiscard]] std::filesystem::path partition_dir() const { return dir.path() / "topic-0"; }
};

// Count of descriptors this process has open.
[[nodiscard]] std::size_t open_descriptors();

}  // namespace strata::test
