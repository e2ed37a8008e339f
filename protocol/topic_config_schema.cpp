#include "protocol/topic_config_schema.h"

#include "protocol/units.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace strata::protocol {

namespace {

using Unit = TopicConfigSpec::Unit;
constexpr std::int64_t kNoMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kWeekMs = 7LL * 24 * 3600 * 1000;
constexpr std::string_view kTimestampTypes[] = {"CreateTime", "LogAppendTime"};
constexpr std::string_view kBooleans[] = {"false", "true"};
// Replicas of a partition: cluster/cluster_values.h's kMaxReplicas (a broker unit test checks).
constexpr std::int64_t kMaxReplicas = 16;

// Defaults and limits follow Kafka's topic configs where strata has them.
// The broker's unit tests check the defaults against TopicConfig{} and the
// limits of segment.bytes and max.message.bytes against storage's and the
// batch format's own constants.
constexpr TopicConfigSpec kSchema[] = {
    {"partitions", Unit::count, 1, 10000, "", 1, "number of partitions", false, {}},
    {"retention.ms", Unit::ms, 0, kNoMax, "keep forever", kWeekMs,
     "delete closed segments whose newest record is older than this", true, {}},
    {"retention.bytes", Unit::bytes, 0, kNoMax, "no size limit", -1,
     "delete the oldest closed segments while a partition is larger than this", true, {}},
    {"segment.bytes", Unit::bytes, 1024, std::int64_t{1} << 31, "", std::int64_t{1} << 30,
     "roll the active segment at this size", true, {}},
    {"segment.ms", Unit::ms, 1, kNoMax, "never roll by age", kWeekMs, "roll the active segment at this age", true,
     {}},
    {"segment.jitter.ms", Unit::ms, 0, kNoMax, "", 0,
     "each segment rolls by age up to this much (at random, at most segment.ms) before segment.ms, so partitions "
     "created together do not roll together",
     true, {}},
    {"max.message.bytes", Unit::bytes, 64, std::int64_t{1} << 30, "", 1048588, "largest batch accepted", true, {}},
    {"message.timestamp.type", Unit::choice, 0, 1, "", 0,
     "CreateTime keeps the producer's timestamps; LogAppendTime stamps each batch with the broker's clock at "
     "append",
     true, kTimestampTypes},
    {"message.timestamp.before.max.ms", Unit::ms, 0, kNoMax, "no bound", -1,
     "refuse a batch (INVALID_TIMESTAMP) holding a record older than the broker's clock by more than this "
     "(CreateTime only)",
     true, {}},
    {"message.timestamp.after.max.ms", Unit::ms, 0, kNoMax, "no bound", 3'600'000,
     "refuse a batch (INVALID_TIMESTAMP) holding a record newer than the broker's clock by more than this "
     "(CreateTime only)",
     true, {}},
    {"index.interval.bytes", Unit::bytes, 1, std::numeric_limits<std::int32_t>::max(), "", 4096,
     "bytes of log between sparse offset-index entries", true, {}},
    {"pagecache.keep.bytes", Unit::bytes, 0, kNoMax, "the kernel decides", -1,
     "after each sync, drop synced data further behind a partition's end than this from the page cache (reads of "
     "it then come from disk)",
     true, {}},
    // Replication (issue 18). The broker's defaults for the first two are
    // default.replication.factor and min.insync.replicas (README).
    {"replication.factor", Unit::count, 1, kMaxReplicas, "", 1,
     "copies of each partition, on distinct brokers (cluster mode; at most the brokers alive)", false, {}},
    {"min.insync.replicas", Unit::count, 1, kMaxReplicas, "", 1,
     "in-sync replicas an acks=all write needs (NOT_ENOUGH_REPLICAS below it); at most replication.factor", true,
     {}},
    {"unclean.leader.election.enable", Unit::choice, 0, 1, "", 0,
     "when no in-sync replica is alive, let an out-of-sync one lead (acknowledged messages may be lost) instead "
     "of waiting",
     true, kBooleans},
};

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::count: return "an integer";
    case Unit::bytes: return "bytes";
    case Unit::ms: return "milliseconds";
    case Unit::choice: return "one of";
  }
  return "";
}

}  // namespace

std::span<const TopicConfigSpec> topic_config_schema() noexcept { return kSchema; }

const TopicConfigSpec* find_topic_config(std::string_view key) noexcept {
  for (const auto& spec : kSchema) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::string allowed_values(const TopicConfigSpec& spec) {
  std::string out(unit_name(spec.unit));
  if (spec.unit == Unit::choice) {
    for (std::size_t i = 0; i < spec.choices.size(); ++i) {
      out += (i == 0 ? " " : i + 1 == spec.choices.size() ? " or " : ", ");
      out += spec.choices[i];
    }
    return out;
  }
  if (spec.max == kNoMax) {
    out += " >= " + std::to_string(spec.min);
  } else {
    out += " from " + std::to_string(spec.min) + " to " + std::to_string(spec.max);
  }
  if (!spec.minus_one.empty()) out += ", or -1 = " + std::string(spec.minus_one);
  return out;
}

std::string format_topic_config(const TopicConfigSpec& spec, std::int64_t value) {
  if (spec.unit == Unit::choice && value >= 0 && static_cast<std::size_t>(value) < spec.choices.size()) {
    return std::string(spec.choices[static_cast<std::size_t>(value)]);
  }
  return std::to_string(value);
}

std::optional<std::string> check_topic_config(const TopicConfigSpec& spec, std::string_view text,
                                              std::int64_t& value) {
  std::int64_t v = 0;
  bool parsed = false;
  if (spec.unit == Unit::choice) {
    const auto it = std::find(spec.choices.begin(), spec.choices.end(), text);
    parsed = it != spec.choices.end();
    v = it - spec.choices.begin();
  } else {
    // Sizes and durations in the spellings every config accepts (units.h).
    const auto n = spec.unit == Unit::bytes ? parse_size(text)
                   : spec.unit == Unit::ms  ? parse_duration_ms(text)
                                            : parse_integer(text);
    parsed = n.has_value();
    v = n.value_or(0);
  }
  const bool allowed = parsed && ((v >= spec.min && v <= spec.max) || (v == -1 && !spec.minus_one.empty()));
  if (!allowed) {
    return "invalid value '" + std::string(text.substr(0, 100)) + "' for " + std::string(spec.key) + ": expected " +
           allowed_values(spec);
  }
  value = v;
  return std::nullopt;
}

std::string known_topic_config_keys() {
  std::string out = "known keys are ";
  for (const auto& spec : kSchema) {
    if (&spec != &kSchema[0]) out += ", ";
    out += spec.key;
  }
  return out;
}

}  // namespace strata::protocol
