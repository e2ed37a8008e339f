// Helpers shared by the Kafka codec tests.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/writer.h"
#include "tests/kafka/kafka_bytes.h"

namespace strata::kafka::test {

// The body bytes of `response` encoded at `version` in the version's form.
template <typename Response>
std::vector<std::uint8_t> encode_body(const Response& response, ApiKey key, std::int16_t version) {
  Writer w(is_flexible(*find_api(static_cast<std::int16_t>(key)), version));
  response.encode(w, version);
  return w.take();
}

}  // namespace strata::kafka::test
