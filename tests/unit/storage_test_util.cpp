#include "storage_test_util.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <random>

#include "protocol/record.h"
#include "storage/storage_errc.h"

namespace strata::test {

namespace fs = std::filesystem;
using protocol::as_bytes;
using protocol::as_string;

std::vector<std::uint8_t> make_batch(std::uint64_t first_id, std::size_t count, std::int64_t ts,
                                     std::size_t value_size) {
  protocol::BatchBuilder builder;
  for (const auto& r : batch_records(first_id, count, ts, value_size)) {
    builder.add(r.timestamp, as_bytes(r.key), as_bytes(r.value));
  }
  return builder.finish();
}

// Built with append: GCC 12 warns falsely (-Wrestrict) on "k" + string.
std::string key_for(std::uint64_t id) {
  std::string key("k");
  key.append(std::to_string(id));
  return key;
}

std::string value_for(std::uint64_t id, std::size_t value_size) {
  std::string value("v");
  value.append(std::to_string(id));
  if (value.size() < value_size) value.resize(value_size, '.');
  return value;
}

std::vector<TestRecord> batch_records(std::uint64_t first_id, std::size_t count, std::int64_t ts,
                                      std::size_t value_size) {
  std::vector<TestRecord> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back({ts + static_cast<std::int64_t>(i), key_for(first_id + i), value_for(first_id + i, value_size)});
  }
  return out;
}

storage::AppendResult append_bytes(storage::PartitionLog& log, std::vector<std::uint8_t>& bytes) {
  auto valid = protocol::validate_for_append(bytes, protocol::kMaxBatchBytes);
  REQUIRE(valid.has_value());
  auto result = log.append(valid.value());
  REQUIRE_MESSAGE(result.has_value(), result.error().message());
  return result.value();
}

void for_each_stored_batch(storage::PartitionLog& log, storage::Offset from, std::uint64_t max_bytes,
                           const std::function<void(protocol::Bytes)>& fn) {
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
      fn(protocol::Bytes(buf).subspan(at, size));
      at += size;
    }
    REQUIRE(slice.value().next_offset > next);
    next = slice.value().next_offset;
  }
}

std::vector<ReadRecord> read_all_with_offsets(storage::PartitionLog& log, storage::Offset from,
                                              std::uint64_t max_bytes) {
  std::vector<ReadRecord> out;
  std::vector<std::uint8_t> scratch;
  for_each_stored_batch(log, from, max_bytes, [&](protocol::Bytes batch) {
    auto header = protocol::validate_batch(batch, protocol::kMaxBatchBytes);
    REQUIRE_MESSAGE(header.has_value(), header.error().message());
    // Compressed batches too: their records are decompressed first.
    auto records = protocol::batch_records(batch, header.value(), scratch);
    REQUIRE_MESSAGE(records.has_value(), records.error().message());
    auto reader = protocol::RecordReader::over_records(records.value(), header.value());
    protocol::Record r;
    while (reader.next(r)) {
      if (r.offset < from.value()) continue;  // a batch may start before `from`
      out.push_back({r.offset, {r.timestamp, std::string(as_string(r.key.value())),
                                std::string(as_string(r.value.value()))}});
    }
    REQUIRE_MESSAGE(!reader.error(), reader.error().message());
  });
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

storage::LogConfig small_config(std::uint64_t segment_bytes, std::uint32_t index_interval,
                                std::int64_t retention_bytes, std::int64_t retention_ms) {
  storage::LogConfig c;
  c.segment_bytes = segment_bytes;
  c.segment_ms = storage::LogConfig::kDisabled;
  c.retention_bytes = retention_bytes;
  c.retention_ms = retention_ms;
  c.index_interval_bytes = index_interval;
  return c;
}

Proc::Proc(StorageEnv& env, const storage::LogConfig& config) : cache(env.faults, 64) {
  auto r = storage::PartitionLog::open(env.partition_dir(), cache, env.options(config));
  REQUIRE_MESSAGE(r.has_value(), r.error().message());
  log = std::move(r).value();
}

void check_out_of_range(storage::PartitionLog& log, storage::Offset offset, std::uint64_t max_bytes) {
  CAPTURE(offset.value());
  CAPTURE(max_bytes);
  auto r = log.read(offset, max_bytes);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == make_error_code(storage::StorageErrc::offset_out_of_range));
}

void check_append_fails(storage::PartitionLog& log, std::vector<std::uint8_t>& bytes, std::error_code expected) {
  auto valid = protocol::validate_for_append(bytes, protocol::kMaxBatchBytes);
  REQUIRE(valid.has_value());
  const auto appended = log.append(valid.value());
  REQUIRE_FALSE(appended.has_value());
  CHECK(appended.error() == expected);
}

std::string stem20(std::uint64_t base) {
  std::string s = std::to_string(base);
  return std::string(20 - s.size(), '0') + s;
}

bool is_stem20(const std::string& s) {
  return s.size() == 20 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

fs::path segment_file(const fs::path& dir, std::uint64_t base, const char* suffix) {
  return dir / (stem20(base) + suffix);
}

std::vector<std::uint64_t> segment_bases(const fs::path& dir) {
  std::vector<std::uint64_t> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() == 24 && name.ends_with(".log") && is_stem20(name.substr(0, 20))) {
      out.push_back(std::stoull(name.substr(0, 20)));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t Model::bytes() const {
  std::uint64_t n = 0;
  for (const auto& b : batches) n += b.size;
  return n;
}

void Model::keep_batches(std::size_t n) {
  REQUIRE(n <= batches.size());
  batches.resize(n);
  records.resize(n == 0 ? 0 : batches.back().end());
}

void Model::keep_through(std::uint64_t end) {
  REQUIRE(end <= records.size());
  records.resize(end);
  while (!batches.empty() && batches.back().end() > end) batches.pop_back();
}

std::vector<std::uint8_t> batch_for(const Model& m, std::size_t count, std::size_t value_size) {
  return make_batch(m.next(), count, kT0 + static_cast<std::int64_t>(m.next()), value_size);
}

std::vector<std::uint8_t> batch_for(const Model& m, std::size_t count) { return batch_for(m, count, m.value_size); }

BatchInfo add(storage::PartitionLog& log, Model& m, std::size_t count, std::size_t value_size) {
  const std::uint64_t first = m.next();
  auto bytes = batch_for(m, count, value_size);
  const BatchInfo info{first, count, bytes.size()};
  const auto r = append_bytes(log, bytes);
  REQUIRE(r.base.value() == first);
  REQUIRE(r.last.value() == first + count - 1);
  for (auto& rec : batch_records(first, count, kT0 + static_cast<std::int64_t>(first), value_size)) {
    m.records.push_back(std::move(rec));
  }
  m.batches.push_back(info);
  return info;
}

BatchInfo add(storage::PartitionLog& log, Model& m, std::size_t count) { return add(log, m, count, m.value_size); }

}  // namespace strata::test
