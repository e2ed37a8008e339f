// Helpers shared by the client library integration tests: per-record ack
// capture for send callbacks, record and partition-list makers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/integration/client_test_util.h"

namespace strata::it::library {


// What a send callback reported for one record.
struct Ack {
  bool done = false;
  std::uint32_t partition = 0;
  std::int64_t offset = -2;
  std::string error;
};

inline SendCallback record_ack(std::vector<Ack>& acks, std::size_t i) {
  return [&acks, i](const RecordMetadata* m, const strata::Error* e) {
    Ack& a = acks[i];
    a.done = true;
    if (e != nullptr) {
      a.error = e->what();
    } else {
      a.partition = m->partition;
      a.offset = m->offset;
    }
  };
}

inline ProducerRecord make_record(const std::string& topic, std::optional<std::string_view> key,
                           std::optional<std::string_view> value) {
  ProducerRecord r;
  r.topic = topic;
  r.key = key;
  r.value = value;
  return r;
}

inline std::vector<std::uint32_t> all_partitions(std::uint32_t n) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t p = 0; p < n; ++p) out.push_back(p);
  return out;
}

inline std::vector<std::uint64_t> offsets_of(const std::vector<ConsumerRecord>& records) {
  std::vector<std::uint64_t> out;
  for (const auto& r : records) out.push_back(r.offset);
  return out;
}

inline std::vector<std::uint64_t> range(std::uint64_t from, std::uint64_t to) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t o = from; o < to; ++o) out.push_back(o);
  return out;
}

}  // namespace strata::it::library
