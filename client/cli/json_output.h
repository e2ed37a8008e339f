// --format json for the commands that print data other than records
// (topic list/describe, offsets, partition-for): one JSON object per line,
// names as `strata consume --format json` spells them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <map>

#include "strata/client.h"

namespace strata::cli {

// {"topic":..,"partitions":N,"bytes":B}, or {"topic":..,"being_deleted":true}.
[[nodiscard]] std::string topic_list_json(const TopicInfo& t);
// {"topic":..,"partitions":[{"partition","earliest","latest","messages","bytes"}],"configs":{k:v}};
// `clustered`: each partition also has "leader" (and "error" when its
// numbers are not known).
[[nodiscard]] std::string topic_describe_json(const TopicInfo& t, const std::map<std::string, std::string>& configs,
                                              bool clustered = false);
// One partition's offsets: {"partition","earliest","latest"} or, with a
// time, {"partition","offset"} (null when no record is at or after it).
struct PartitionOffsets {
  std::uint32_t partition = 0;
  std::int64_t earliest = 0;
  std::int64_t latest = 0;
  std::optional<std::int64_t> at_time;  // set: `offset` below is the answer
  std::int64_t offset = -1;
};
// {"topic":..,["at_time":ms,]"partitions":[...]}
[[nodiscard]] std::string offsets_json(const std::string& topic, const std::vector<PartitionOffsets>& partitions);

}  // namespace strata::cli
