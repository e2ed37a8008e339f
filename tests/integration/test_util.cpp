#include "tests/integration/test_util.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <stdexcept>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "protocol/record.h"

namespace strata::it {

namespace fs = std::filesystem;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<Rec> make_records(const std::string& prefix, std::uint64_t first, std::size_t count, std::int64_t ts,
                              std::size_t value_size) {
  std::vector<Rec> out;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t id = first + i;
    std::string value = prefix + "-v" + std::to_string(id);
    if (value.size() < value_size) value.resize(value_size, '.');
    out.push_back({prefix + "-k" + std::to_string(id), std::move(value), ts + static_cast<std::int64_t>(i)});
  }
  return out;
}

std::vector<std::uint8_t> make_batch(const std::vector<Rec>& records) {
  protocol::BatchBuilder builder;
  for (const auto& r : records) builder.add(r.timestamp, protocol::as_bytes(r.key), protocol::as_bytes(r.value));
  return builder.finish();
}

Decoded decode_batches(protocol::Bytes bytes) {
  Decoded out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (bytes.size() - at < protocol::batch_layout::kFramingSize) {
      throw std::runtime_error("fetched records end with a partial batch header");
    }
    const std::size_t size = protocol::framed_size(bytes.subspan(at));
    if (size > bytes.size() - at) throw std::runtime_error("fetched records end with a partial batch");
    const protocol::Bytes one = bytes.subspan(at, size);
    auto header = protocol::validate_batch(one, protocol::kMaxBatchBytes);
    if (!header) throw std::runtime_error("fetched batch fails validation: " + header.error().message());
    protocol::RecordReader reader(one, header.value());
    protocol::Record r;
    std::uint32_t n = 0;
    while (reader.next(r)) {
      FetchedRecord f;
      f.offset = r.offset;
      f.rec.timestamp = r.timestamp;
      if (r.key) f.rec.key = std::string(protocol::as_string(*r.key));
      if (r.value) f.rec.value = std::string(protocol::as_string(*r.value));
      out.records.push_back(std::move(f));
      ++n;
    }
    if (reader.error()) throw std::runtime_error("bad record in a fetched batch: " + reader.error().message());
    if (n != header.value().record_count) throw std::runtime_error("batch record count does not match its records");
    out.batches.push_back(header.value());
    at += size;
  }
  return out;
}

std::vector<std::uint64_t> segment_bases(const fs::path& dir) {
  std::vector<std::uint64_t> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const auto name = e.path().filename().string();
    if (name.size() != 24 || !name.ends_with(".log")) continue;
    const auto stem = name.substr(0, 20);
    if (!std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    out.push_back(std::stoull(stem));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string config_value(WireClient& c, const std::string& topic, const std::string& key) {
  for (const auto& e : c.describe_configs(topic).configs) {
    if (e.key == key) return e.value;
  }
  return "(missing)";
}

std::map<std::uint64_t, Rec> read_partition(WireClient& c, const std::string& topic, std::uint32_t partition,
                                            std::uint64_t from) {
  std::map<std::uint64_t, Rec> out;
  const auto end = static_cast<std::uint64_t>(c.list_offset(topic, partition, protocol::kLatestTimestamp).offset);
  std::uint64_t next = from;
  while (next < end) {
    const auto fetched = c.fetch_one(topic, partition, next, 64 * 1024);
    if (fetched.error != protocol::ErrorCode::none) {
      throw std::runtime_error("fetch at " + std::to_string(next) + " failed: " +
                               std::string(protocol::error_info(fetched.error).name));
    }
    const auto d = decode_batches(fetched.records);
    if (d.records.empty()) throw std::runtime_error("fetch below the log end returned no records");
    for (const auto& r : d.records) {
      if (r.offset >= next) out[r.offset] = r.rec;
    }
    next = d.batches.back().next_offset();
  }
  return out;
}

std::vector<std::uint8_t> frame_head(std::uint32_t size, std::uint16_t api_key, std::uint32_t correlation_id) {
  protocol::ByteWriter w;
  w.fixed(size);
  w.fixed(api_key);
  w.fixed(std::uint16_t{0});
  w.fixed(correlation_id);
  return w.take();
}

std::vector<std::string> file_names(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

BrokerFixture::BrokerFixture(std::vector<std::string> args)
    : broker(std::make_unique<BrokerProcess>(data_dir(), std::move(args))) {}

void BrokerFixture::restart(std::vector<std::string> args) {
  broker.reset();  // SIGKILLs it if still running
  broker = std::make_unique<BrokerProcess>(data_dir(), std::move(args));
}

std::unique_ptr<WireClient> BrokerFixture::client() const { return std::make_unique<WireClient>(broker->port()); }

}  // namespace strata::it
