#include "broker/topic_config.h"

#include <charconv>
#include <limits>

namespace strata::broker {

std::optional<std::int64_t> parse_int(std::string_view text, std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || v < min || v > max) return std::nullopt;
  return v;
}

namespace {

constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::uint32_t kMaxPartitions = 10000;

std::string range_error(std::string_view key, std::string_view value, std::string_view range) {
  return "invalid value '" + std::string(value) + "' for " + std::string(key) + ": expected " + std::string(range);
}

}  // namespace

std::optional<std::string> set_topic_config(TopicConfig& c, std::string_view key, std::string_view value,
                                            bool allow_partitions) {
  if (key == "partitions") {
    if (!allow_partitions) return std::string("partitions cannot be changed after a topic is created");
    auto v = parse_int(value, 1, kMaxPartitions);
    if (!v) return range_error(key, value, "an integer from 1 to 10000");
    c.partitions = static_cast<std::uint32_t>(*v);
  } else if (key == "retention.ms") {
    auto v = parse_int(value, -1, kI64Max);
    if (!v) return range_error(key, value, "milliseconds >= 0, or -1 to keep forever");
    c.log.retention_ms = *v;
  } else if (key == "retention.bytes") {
    auto v = parse_int(value, -1, kI64Max);
    if (!v) return range_error(key, value, "bytes >= 0, or -1 for no size limit");
    c.log.retention_bytes = *v;
  } else if (key == "segment.bytes") {
    auto v = parse_int(value, 1024, static_cast<std::int64_t>(storage::LogConfig::kMaxSegmentBytes));
    if (!v) return range_error(key, value, "bytes from 1024 to 2147483648");
    c.log.segment_bytes = static_cast<std::uint64_t>(*v);
  } else if (key == "segment.ms") {
    auto v = parse_int(value, -1, kI64Max);
    if (!v || *v == 0) return range_error(key, value, "milliseconds >= 1, or -1 to never roll by age");
    c.log.segment_ms = *v;
  } else if (key == "max.message.bytes") {
    auto v = parse_int(value, 64, static_cast<std::int64_t>(protocol::kMaxBatchBytes));
    if (!v) return range_error(key, value, "bytes from 64 to 1073741824");
    c.max_message_bytes = static_cast<std::uint32_t>(*v);
  } else if (key == "index.interval.bytes") {
    auto v = parse_int(value, 1, std::numeric_limits<std::int32_t>::max());
    if (!v) return range_error(key, value, "bytes >= 1");
    c.log.index_interval_bytes = static_cast<std::uint32_t>(*v);
  } else if (key == "pagecache.keep.bytes") {
    auto v = parse_int(value, -1, kI64Max);
    if (!v) return range_error(key, value, "bytes >= 0, or -1 to leave the page cache to the kernel");
    c.log.pagecache_keep_bytes = *v;
  } else {
    std::string known;
    for (const auto& e : describe_topic_config(TopicConfig{})) known += (known.empty() ? "" : ", ") + e.key;
    return "unknown topic config '" + std::string(key) + "': known keys are " + known;
  }
  return std::nullopt;
}

std::vector<protocol::ConfigEntry> describe_topic_config(const TopicConfig& c) {
  return {
      {"partitions", std::to_string(c.partitions)},
      {"retention.ms", std::to_string(c.log.retention_ms)},
      {"retention.bytes", std::to_string(c.log.retention_bytes)},
      {"segment.bytes", std::to_string(c.log.segment_bytes)},
      {"segment.ms", std::to_string(c.log.segment_ms)},
      {"max.message.bytes", std::to_string(c.max_message_bytes)},
      {"index.interval.bytes", std::to_string(c.log.index_interval_bytes)},
      {"pagecache.keep.bytes", std::to_string(c.log.pagecache_keep_bytes)},
  };
}

std::string serialize_topic_config(const TopicConfig& c) {
  std::string out;
  for (const auto& e : describe_topic_config(c)) out += e.key + "=" + e.value + "\n";
  return out;
}

std::optional<std::string> parse_topic_config(TopicConfig& c, std::string_view text) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return "malformed line '" + std::string(line) + "'";
    if (auto err = set_topic_config(c, line.substr(0, eq), line.substr(eq + 1), true)) return err;
  }
  return std::nullopt;
}

}  // namespace strata::broker
