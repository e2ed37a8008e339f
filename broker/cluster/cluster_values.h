// The values cluster mode keeps in etcd (DESIGN decision 14), as JSON that
// strata writes and reads back: a broker's registration, a topic, and a
// partition's state. Every decoder checks every field (type, range,
// duplicates, lengths agreeing) and fails with ClusterErrc::bad_value,
// `why` naming the field: a hand-edited or foreign value in etcd must not
// crash or mislead a broker. No Asio here.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/base/result.h"

namespace strata::cluster {

// 16 random bytes (Kafka's KIP-516 topic ids; also a broker's incarnation),
// shown as Kafka shows a Uuid: URL-safe base64 without padding (22 chars).
// All zeros is never generated and never valid.
using Uuid = std::array<std::uint8_t, 16>;
[[nodiscard]] Uuid random_uuid();
[[nodiscard]] std::string uuid_text(const Uuid& id);
[[nodiscard]] Result<Uuid> parse_uuid(std::string_view text);

inline constexpr std::int32_t kMaxTopicPartitions = 10000;  // CreateTopic's bound
inline constexpr std::size_t kMaxReplicas = 16;
inline constexpr std::size_t kMaxListeners = 8;
inline constexpr std::size_t kMaxTopicConfigs = 64;
inline constexpr std::size_t kMaxConfigValueBytes = 4096;

// One listener a broker serves on, as clients and other brokers reach it.
struct AdvertisedEndpoint {
  std::string listener;  // "strata" (later "kafka", ...): 1-32 of [a-z0-9_-]
  std::string host;      // a name or an address (IPv6 without brackets)
  std::uint16_t port = 0;
  bool operator==(const AdvertisedEndpoint&) const = default;
};

// brokers/<id>
struct BrokerRegistration {
  std::int32_t id = 0;
  Uuid incarnation{};  // new at every start: tells a restarted broker from its previous life
  std::vector<AdvertisedEndpoint> endpoints;  // one per listener, names distinct
  bool operator==(const BrokerRegistration&) const = default;
};

// topics/<t>
struct TopicRecord {
  Uuid topic_id{};
  std::int32_t partitions = 0;
  std::vector<std::vector<std::int32_t>> replicas;  // per partition: node ids, preferred leader first
  std::map<std::string, std::string> configs;       // the topic's non-default configs
  bool operator==(const TopicRecord&) const = default;
};

// partitions/<t>/<p>
struct PartitionState {
  std::int32_t leader = -1;  // node id; -1 = none
  std::int32_t leader_epoch = 0;
  std::vector<std::int32_t> isr;  // contains the leader unless leader == -1
  std::int64_t controller_epoch = 0;  // of the controller that wrote this
  bool operator==(const PartitionState&) const = default;
};

// controller (its epoch is the key's create revision, not in the value)
struct ControllerRecord {
  std::int32_t broker_id = 0;
  bool operator==(const ControllerRecord&) const = default;
};

// Who the controller is, as a broker knows it: from the key's value and
// its create revision.
struct ControllerInfo {
  std::int32_t broker_id = -1;  // -1: none now (or its value is unreadable)
  std::int64_t epoch = 0;       // the controller key's create revision; 0: no key
  bool operator==(const ControllerInfo&) const = default;
};

[[nodiscard]] std::string encode(const BrokerRegistration& b);
[[nodiscard]] std::string encode(const ControllerRecord& c);
[[nodiscard]] std::string encode(const TopicRecord& t);
[[nodiscard]] std::string encode(const PartitionState& p);

[[nodiscard]] Result<BrokerRegistration> decode_broker_registration(std::string_view json, std::string& why);
[[nodiscard]] Result<ControllerRecord> decode_controller_record(std::string_view json, std::string& why);
[[nodiscard]] Result<TopicRecord> decode_topic_record(std::string_view json, std::string& why);
[[nodiscard]] Result<PartitionState> decode_partition_state(std::string_view json, std::string& why);

}  // namespace strata::cluster
