// One request body per (API, version), spelled out field by field as a
// real client sends it (from Kafka's message definitions). The per-API tests
// decode them to the structs they expect; the hostile-input tests cut,
// extend and corrupt every one of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/kafka/kafka_bytes.h"

namespace strata::kafka::test {

Be api_versions_request(std::int16_t v);
Be produce_request(std::int16_t v);  // topic "t": partition 0 records "abc", partition 1 null
Be fetch_request(std::int16_t v);    // topic "t" partition 0 from offset 42
Be list_offsets_request(std::int16_t v);
Be metadata_request(std::int16_t v);  // topics "a", "b"
Be create_topics_request(std::int16_t v);
Be delete_topics_request(std::int16_t v);
Be describe_configs_request(std::int16_t v);
Be alter_configs_request(std::int16_t v);
Be incremental_alter_configs_request(std::int16_t v);
Be init_producer_id_request(std::int16_t v);
Be find_coordinator_request(std::int16_t v);

struct Sample {
  std::int16_t api_key;
  std::int16_t version;
  Be body;
  std::string name() const;  // e.g. "Produce v5"
};
// Every served (API, version), one sample each.
std::vector<Sample> all_request_samples();

}  // namespace strata::kafka::test
