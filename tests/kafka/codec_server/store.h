// The codec conformance server's memory: topics, partitions and their
// batches, behind one mutex. A test double, not the broker: it keeps what
// real Kafka clients send so they can read it back through strata's Kafka
// codecs (see codec_server.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace strata::kafka::test {

struct StoredPartition {
  std::vector<std::vector<std::uint8_t>> batches;  // base offsets stamped
  std::vector<std::int64_t> next_offsets;          // each batch's end
  std::int64_t log_end = 0;
};
struct StoredTopic {
  std::vector<StoredPartition> partitions;
  std::map<std::string, std::int64_t> configs;  // explicitly set keys
};

struct Store {
  std::mutex mu;
  std::map<std::string, StoredTopic> topics;
  std::int64_t next_producer_id = 1000;
};

}  // namespace strata::kafka::test
