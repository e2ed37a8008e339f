// Shared fixtures for storage tests: a temporary directory, batch makers,
// a reader that pulls every record back out of a partition through the
// public read path (slice -> bytes -> validate -> records), configs,
// segment file names, and a model of what a test appended.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "storage/fault_injection_file_system.h"
#include "storage/file_cache.h"
#include "storage/partition_log.h"
#include "storage/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace strata::test {


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
// Calls fn with each stored batch's bytes, from the batch holding `from` to
// the log end, read through PartitionLog::read with the given budget.
void for_each_stored_batch(storage::PartitionLog& log, storage::Offset from, std::uint64_t max_bytes,
                           const std::function<void(protocol::Bytes)>& fn);
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

// ------------------------------------------------------ records and batches

// Base timestamp (ms) of the records tests append; ManualClock starts here too.
inline constexpr std::int64_t kT0 = 1'700'000'000'000;

// The key make_batch gives record id: "k<id>".
[[nodiscard]] std::string key_for(std::uint64_t id);
// The value make_batch gives record id: "v<id>" padded with '.' to value_size.
[[nodiscard]] std::string value_for(std::uint64_t id, std::size_t value_size);
// The records make_batch(first_id, count, ts, value_size) holds, in order.
[[nodiscard]] std::vector<TestRecord> batch_records(std::uint64_t first_id, std::size_t count, std::int64_t ts,
                                                    std::size_t value_size);

// ---------------------------------------------------------- configs and I/O

// Segments roll by size only (segment.ms off); an index entry every
// index_interval bytes; retention as given (off by default).
[[nodiscard]] storage::LogConfig small_config(std::uint64_t segment_bytes = 1 << 20, std::uint32_t index_interval = 100,
                                              std::int64_t retention_bytes = storage::LogConfig::kDisabled,
                                              std::int64_t retention_ms = storage::LogConfig::kDisabled);

// One incarnation of the broker process: its own FileCache over env.faults
// and the log of env.partition_dir() opened with config. Destroying it without
// close() is a crash: every descriptor closes, unsynced bytes stay unsynced.
struct Proc {
  Proc(StorageEnv& env, const storage::LogConfig& config);
  storage::FileCache cache;
  std::unique_ptr<storage::PartitionLog> log;  // declared after cache: destroyed first
};

// A read of `offset` fails with StorageErrc::offset_out_of_range.
void check_out_of_range(storage::PartitionLog& log, storage::Offset offset, std::uint64_t max_bytes = 1 << 20);

// bytes validate for append, but the append fails with `expected`.
void check_append_fails(storage::PartitionLog& log, std::vector<std::uint8_t>& bytes, std::error_code expected);

// ------------------------------------------------------------ segment files

// The file name stem of the segment with this base offset: 20 digits, zero-padded.
[[nodiscard]] std::string stem20(std::uint64_t base);
// Whether s is such a stem: exactly 20 decimal digits.
[[nodiscard]] bool is_stem20(const std::string& s);
// dir / (stem20(base) + suffix); suffix is ".log", ".index", ".timeindex", ...
[[nodiscard]] std::filesystem::path segment_file(const std::filesystem::path& dir, std::uint64_t base,
                                                 const char* suffix);
// Base offsets of the <stem20>.log files in dir, ascending.
[[nodiscard]] std::vector<std::uint64_t> segment_bases(const std::filesystem::path& dir);

// ------------------------------------------------- a model of what was appended

// One batch appended through add().
struct BatchInfo {
  std::uint64_t first = 0;  // offset (= record id) of its first record
  std::size_t count = 0;
  std::uint64_t size = 0;  // bytes
  [[nodiscard]] std::uint64_t end() const { return first + count; }  // offset after it
};

// What a test appended through add(), kept apart from the log under test:
// record i has offset i, key "k<i>", value "v<i>" padded to its batch's
// value size, and timestamp kT0 + i.
struct Model {
  explicit Model(std::size_t default_value_size = 20) : value_size(default_value_size) {}
  std::size_t value_size;  // for batch_for() and add() calls that give none
  std::vector<BatchInfo> batches;
  std::vector<TestRecord> records;

  [[nodiscard]] std::uint64_t next() const { return records.size(); }
  // Bytes of every batch.
  [[nodiscard]] std::uint64_t bytes() const;
  // Keeps the first `n` batches.
  void keep_batches(std::size_t n);
  // Keeps the records below offset `end` and the batches that end by it.
  void keep_through(std::uint64_t end);
};

// The batch add() would append next (records from m.next() on), not appended.
[[nodiscard]] std::vector<std::uint8_t> batch_for(const Model& m, std::size_t count, std::size_t value_size);
[[nodiscard]] std::vector<std::uint8_t> batch_for(const Model& m, std::size_t count);

// Appends batch_for(m, ...), requires it got offsets m.next() on, and notes
// it in m.
BatchInfo add(storage::PartitionLog& log, Model& m, std::size_t count, std::size_t value_size);
BatchInfo add(storage::PartitionLog& log, Model& m, std::size_t count);

}  // namespace strata::test
