// One parser of sizes and durations for the broker's flags and config file,
// topic configs and the CLI: "--retention-ms 7d" used to be refused by the
// broker while the CLI took it, and a topic's retention.bytes took only
// plain numbers.
#include <doctest/doctest.h>

#include "broker/core/broker_config.h"
#include "protocol/topic_config_schema.h"
#include "protocol/units.h"

namespace strata {

TEST_CASE("units: sizes and durations as people write them") {
  CHECK(protocol::parse_size("64MiB") == 64 << 20);
  CHECK(protocol::parse_size("10KB") == 10'000);
  CHECK(protocol::parse_size("-1") == -1);
  CHECK_FALSE(protocol::parse_size("-2"));
  CHECK_FALSE(protocol::parse_size("12 parsecs"));
  CHECK_FALSE(protocol::parse_size("99999999999TiB"));  // overflow
  CHECK(protocol::parse_duration_ms("7d") == 7LL * 24 * 3600 * 1000);
  CHECK(protocol::parse_duration_ms("500ms") == 500);
  CHECK(protocol::parse_duration_ms("15min") == 15 * 60 * 1000);
  CHECK_FALSE(protocol::parse_duration_ms("soon"));
  CHECK_FALSE(protocol::parse_integer(""));
}

TEST_CASE("units: topic configs take sizes and durations, and still check ranges") {
  std::int64_t v = 0;
  const auto* bytes = protocol::find_topic_config("retention.bytes");
  const auto* ms = protocol::find_topic_config("retention.ms");
  REQUIRE(bytes);
  REQUIRE(ms);
  CHECK_FALSE(protocol::check_topic_config(*bytes, "1MiB", v));
  CHECK(v == 1 << 20);
  CHECK_FALSE(protocol::check_topic_config(*ms, "7d", v));
  CHECK(v == 7LL * 24 * 3600 * 1000);
  CHECK(protocol::check_topic_config(*ms, "7 days", v).has_value());
  const auto* segment = protocol::find_topic_config("segment.bytes");
  REQUIRE(segment);
  CHECK(protocol::check_topic_config(*segment, "1KB", v).has_value());  // below its minimum
}

TEST_CASE("units: the broker's flags take sizes and durations") {
  const char* argv[] = {"strata-broker", "--retention-ms", "7d", "--max-frame-bytes", "64MiB", "--idle-timeout-ms",
                        "10m", "--data-dir", "/tmp/unused"};
  const auto parsed = broker::parse_broker_config(9, argv);
  REQUIRE_MESSAGE(parsed.error.empty(), parsed.error);
  CHECK(parsed.config.topic_defaults.log.retention_ms == 7LL * 24 * 3600 * 1000);
  CHECK(parsed.config.max_frame_bytes == 64u << 20);
  CHECK(parsed.config.idle_timeout_ms == 600'000);

  const char* wrong[] = {"strata-broker", "--max-frame-bytes", "lots"};
  const auto refused = broker::parse_broker_config(3, wrong);
  CHECK(refused.error.find("max.frame.bytes") != std::string::npos);
  CHECK(refused.error.find("64MiB") != std::string::npos);
}

}  // namespace strata
