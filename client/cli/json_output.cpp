#include "client/cli/json_output.h"

#include "client/cli/cli_util.h"

namespace strata::cli {

std::string topic_list_json(const protocol::TopicMetadata& t) {
  std::string out = "{\"topic\":" + json_string(t.name);
  if (t.error == protocol::ErrorCode::topic_being_deleted) return out + ",\"being_deleted\":true}";
  std::uint64_t bytes = 0;
  for (const auto& p : t.partitions) bytes += p.size_bytes;
  return out + ",\"partitions\":" + std::to_string(t.partitions.size()) + ",\"bytes\":" + std::to_string(bytes) + "}";
}

std::string topic_describe_json(const protocol::TopicMetadata& t, const std::vector<protocol::ConfigEntry>& configs,
                                const std::vector<std::int32_t>& leaders) {
  std::string out = "{\"topic\":" + json_string(t.name) + ",\"partitions\":[";
  for (std::size_t i = 0; i < t.partitions.size(); ++i) {
    const auto& p = t.partitions[i];
    if (i > 0) out += ",";
    out.append("{\"partition\":").append(std::to_string(p.partition));
    out.append(",\"earliest\":").append(std::to_string(p.log_start));
    out.append(",\"latest\":").append(std::to_string(p.log_end));
    out.append(",\"messages\":").append(std::to_string(p.log_end - p.log_start));
    out.append(",\"bytes\":").append(std::to_string(p.size_bytes));
    if (i < leaders.size()) out.append(",\"leader\":").append(std::to_string(leaders[i]));
    out.append("}");
  }
  out += "],\"configs\":{";
  for (std::size_t i = 0; i < configs.size(); ++i) {
    if (i > 0) out += ",";
    out.append(json_string(configs[i].key)).append(":").append(json_string(configs[i].value));
  }
  return out + "}}";
}

std::string offsets_json(const std::string& topic, const std::vector<PartitionOffsets>& partitions) {
  std::string out = "{\"topic\":" + json_string(topic);
  if (!partitions.empty() && partitions[0].at_time) out += ",\"at_time\":" + std::to_string(*partitions[0].at_time);
  out += ",\"partitions\":[";
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    const auto& p = partitions[i];
    if (i > 0) out += ",";
    out.append("{\"partition\":").append(std::to_string(p.partition));
    if (p.at_time) {
      out.append(",\"offset\":").append(p.offset < 0 ? std::string("null") : std::to_string(p.offset));
    } else {
      out.append(",\"earliest\":").append(std::to_string(p.earliest));
      out.append(",\"latest\":").append(std::to_string(p.latest));
    }
    out += "}";
  }
  return out + "]}";
}

}  // namespace strata::cli
