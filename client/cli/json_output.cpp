#include "client/cli/json_output.h"

#include "client/cli/cli_util.h"

namespace strata::cli {

std::string topic_list_json(const TopicInfo& t) {
  std::string out = "{\"topic\":" + json_string(t.name);
  if (t.being_deleted) return out + ",\"being_deleted\":true}";
  return out + ",\"partitions\":" + std::to_string(t.partitions) + ",\"bytes\":" + std::to_string(t.size_bytes) + "}";
}

std::string topic_describe_json(const TopicInfo& t, const std::map<std::string, std::string>& configs,
                                bool clustered) {
  std::string out = "{\"topic\":" + json_string(t.name) + ",\"partitions\":[";
  for (std::size_t i = 0; i < t.details.size(); ++i) {
    const auto& p = t.details[i];
    if (i > 0) out += ",";
    out.append("{\"partition\":").append(std::to_string(p.partition));
    out.append(",\"earliest\":").append(std::to_string(p.earliest));
    out.append(",\"latest\":").append(std::to_string(p.latest));
    out.append(",\"messages\":").append(std::to_string(p.latest - p.earliest));
    out.append(",\"bytes\":").append(std::to_string(p.size_bytes));
    if (clustered) out.append(",\"leader\":").append(std::to_string(p.leader));
    if (p.error != ErrorCode::none) out.append(",\"error\":").append(json_string(std::string(error_name(p.error))));
    out.append("}");
  }
  out += "],\"configs\":{";
  bool first = true;
  for (const auto& [key, value] : configs) {
    if (!first) out += ",";
    first = false;
    out.append(json_string(key)).append(":").append(json_string(value));
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
