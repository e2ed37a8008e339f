#include "storage_test_util.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <random>

#include "protocol/record.h"

namespace strata::test {

namespace fs = std::filesystem;
using protocol::as_bytes;
using protocol::as_string;

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("strata-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(rd()));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<std::uint8_t> make_batch(std::uint64_t first_id, std::size_t count, std::int64_t ts,
                                     std::size_t value_size) {
  protocol::BatchBuilder builder;
  for (std::size_t i = 0; i < count; ++i) {
    // Built with append: GCC 12 warns falsely (-Wrestrict) on "k" + string.
    std::string key("k");
    key.append(std::to_string(first_id + i));
    std::string value("v");
    value.append(std::to_string(first_id + i));
    if (value.size() < value_size) value.resize(value_size, '.');
    builder.add(ts + static_cast<std::int64_t>(i), as_bytes(key), as_bytes(value));
  }
  return builder.finish();
}

storage::AppendResult append_bytes(storage::PartitionLog& log, std::vector<std::uint8_t>& bytes) {
  auto valid = protocol::validate_for_append(bytes, protocol::kMaxBatchBytes);
  REQUIRE(valid.has_value());
  auto result = log.append(valid.value());
  REQUIRE_MESSAGE(result.has_value(), result.error().message());
  return result.value();
}

std::vector<ReadRecord> read_all_with_offsets(storage::PartitionLog& log, storage::Offset from,
                                              std::uint64_t max_bytes) {
  std::vector<ReadRecord> out;
  storage::Offset next = from;
  std::vector<std::uint8_t> buf;
  while (next < log.log_end()) {
    auto slice = log.read(next, max_bytes);
    REQUIRE_MESSAGE(slice.has_value(), slice.error().message());
    REQUIRE(slice.value().length > 0);
    buf.resize(slice.value().length);
    auto n = slice.value().file->read_at(slice.value().position, buf);
    REQUIRE(n.has_value());
    REQUIRE(n.value() == buf.size());
    std::size_t at = 0;
    while (at < buf.size()) {
      REQUIRE(buf.size() - at >= protocol::batch_layout::kFramingSize);
      const std::size_t size = protocol::framed_size(protocol::Bytes(buf).subspan(at));
      REQUIRE(at + size <= buf.size());
      auto header = protocol::validate_batch(protocol::Bytes(buf).subspan(at, size), protocol::kMaxBatchBytes);
      REQUIRE_MESSAGE(header.has_value(), header.error().message());
      protocol::RecordReader reader(protocol::Bytes(buf).subspan(at, size), header.value());
      protocol::Record r;
      while (reader.next(r)) {
        if (r.offset < next.value()) continue;  // a batch may start before `from`
        out.push_back({r.offset, {r.timestamp, std::string(as_string(r.key.value())),
                                  std::string(as_string(r.value.value()))}});
      }
      at += size;
    }
    REQUIRE(slice.value().next_offset > next);
    next = slice.value().next_offset;
  }
  return out;
}

std::vector<TestRecord> read_all(storage::PartitionLog& log, storage::Offset from, std::uint64_t max_bytes) {
  std::vector<TestRecord> out;
  for (auto& r : read_all_with_offsets(log, from, max_bytes)) out.push_back(std::move(r.record));
  return out;
}

StorageEnv::StorageEnv(std::size_t cache_capacity) : cache(faults, cache_capacity) {}

storage::PartitionOptions StorageEnv::options(storage::LogConfig config) {
  storage::PartitionOptions o;
  o.config = config;
  o.clock = &clock;
  o.events = [this](storage::Severity, std::string_view msg) { events.emplace_back(msg); };
  return o;
}

std::unique_ptr<storage::PartitionLog> StorageEnv::open(storage::LogConfig config) {
  auto log = storage::PartitionLog::open(partition_dir(), cache, options(config));
  REQUIRE_MESSAGE(log.has_value(), log.error().message());
  return std::move(log).value();
}

std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

}  // namespace strata::test
