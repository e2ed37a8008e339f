// Shared helpers of the broker integration tests: a temporary data
// directory, record batches built with protocol::BatchBuilder and decoded
// back with validate_batch + RecordReader, segment files on disk, and a
// broker + client fixture.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "protocol/record_batch.h"
#include "tests/support/temp_dir.h"
#include "tests/integration/broker_process.h"
#include "tests/integration/wire_client.h"

namespace strata::it {

using TempDir = test::TempDir;

// Wall-clock milliseconds since the epoch. Records carry real time so that
// the default retention.ms (7 days) never deletes them in a test.
[[nodiscard]] std::int64_t now_ms();

struct Rec {
  std::string key;
  std::string value;
  std::int64_t timestamp = 0;
  bool operator==(const Rec&) const = default;
};

// count records: key "<prefix>-k<first+i>", value "<prefix>-v<first+i>"
// padded with '.' to value_size, timestamp ts + i.
[[nodiscard]] std::vector<Rec> make_records(const std::string& prefix, std::uint64_t first, std::size_t count,
                                            std::int64_t ts, std::size_t value_size = 0);
// One batch holding `records` in order (REQUIRES: not empty).
[[nodiscard]] std::vector<std::uint8_t> make_batch(const std::vector<Rec>& records);

struct FetchedRecord {
  std::uint64_t offset = 0;
  Rec rec;
};
struct Decoded {
  std::vector<protocol::BatchHeader> batches;
  std::vector<FetchedRecord> records;
};
// Splits fetched bytes into whole batches, validates each (checksum and
// records) and reads every record. Throws if the bytes are not exactly a
// sequence of whole valid batches.
[[nodiscard]] Decoded decode_batches(protocol::Bytes records);

// The first 12 bytes of a request frame as the broker's size check sees
// them: size, api_key, api_version 0, correlation_id (no client id, no body).
[[nodiscard]] std::vector<std::uint8_t> frame_head(std::uint32_t size, std::uint16_t api_key,
                                                   std::uint32_t correlation_id);

// Base offsets of the <20 digits>.log files in dir, ascending, and every
// file name in dir.
[[nodiscard]] std::vector<std::uint64_t> segment_bases(const std::filesystem::path& dir);
[[nodiscard]] std::vector<std::string> file_names(const std::filesystem::path& dir);

// Every record of a partition from `from` to its log end (read with
// ListOffsets first), by offset. Throws if a fetch fails or comes back empty.
[[nodiscard]] std::map<std::uint64_t, Rec> read_partition(WireClient& c, const std::string& topic,
                                                          std::uint32_t partition, std::uint64_t from = 0);

// The value DescribeConfigs reports for one of a topic's configs, or
// "(missing)".
[[nodiscard]] std::string config_value(WireClient& c, const std::string& topic, const std::string& key);

// Polls `condition` every 20 ms until it holds or `timeout` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// A broker on a fresh data directory; `data` outlives the broker process.
struct BrokerFixture {
  explicit BrokerFixture(std::vector<std::string> args = {});
  // Starts a new broker process on the same data directory (after stop()).
  void restart(std::vector<std::string> args = {});
  [[nodiscard]] std::unique_ptr<WireClient> client() const;
  // The broker's --data-dir: a folder inside `data`, so a test can see
  // whether anything was written next to it.
  [[nodiscard]] std::filesystem::path data_dir() const { return data.path() / "data"; }
  [[nodiscard]] std::filesystem::path partition_dir(const std::string& topic, std::uint32_t p) const {
    return data_dir() / topic / std::to_string(p);
  }

  TempDir data;
  std::unique_ptr<BrokerProcess> broker;
};

}  // namespace strata::it
