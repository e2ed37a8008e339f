// Which broker leads each partition (from Metadata version 1) and one
// connection per broker, so requests for a partition go to its leader.
// A standalone broker names no brokers: then nothing is routed and every
// request uses the bootstrap connection.
//
// Threads: every method may be called from any thread (one mutex, never
// held across a network call: connection_to connects without it).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client/connection.h"
#include "protocol/metadata_v1.h"

namespace strata::client {

class ClusterRoutes {
 public:
  ClusterRoutes(int connect_timeout_ms, std::string client_id)
      : connect_timeout_ms_(connect_timeout_ms), client_id_(std::move(client_id)) {}

  // Takes a Metadata v1 answer: the brokers it lists replace the known
  // ones; each topic it answers without error gets its leaders replaced.
  void update(const protocol::MetadataResponseV1& m);
  // nullopt before the first update; then whether its answer named brokers
  // (false: a standalone broker, nothing to route).
  [[nodiscard]] std::optional<bool> clustered() const;
  // The partition's leader, or nullopt when none is known (never fetched,
  // no leader now, or standalone).
  [[nodiscard]] std::optional<std::int32_t> leader(const std::string& topic, std::uint32_t partition) const;
  // The partition's leader before its current "none" (the broker holding
  // it went down), as long as this client saw one; nullopt otherwise.
  [[nodiscard]] std::optional<std::int32_t> last_leader(const std::string& topic, std::uint32_t partition) const;
  // Forgets the topic's leaders (after NOT_LEADER, a lost connection ...),
  // so the next leader() asks for fresh metadata.
  void forget(const std::string& topic);
  // The broker's "HOST:PORT", or empty when it is not a known live broker.
  [[nodiscard]] std::string address_of(std::int32_t node) const;
  // Every known live broker's "HOST:PORT" (for metadata when the bootstrap
  // brokers are down).
  [[nodiscard]] std::vector<std::string> addresses() const;
  // The live connection to a broker, opened (or re-opened after a network
  // error) on demand, within the connect timeout; nullptr when the broker
  // is not known. Throws ClientError (network) when it cannot connect.
  [[nodiscard]] std::shared_ptr<Connection> connection_to(std::int32_t node);

 private:
  const int connect_timeout_ms_;
  const std::string client_id_;
  mutable std::mutex mu_;
  bool updated_ = false;
  std::map<std::int32_t, std::string> brokers_;  // node id -> HOST:PORT
  std::map<std::string, std::vector<std::int32_t>> leaders_;
  std::map<std::string, std::vector<std::int32_t>> last_leaders_;  // -1: none seen
  std::map<std::int32_t, std::shared_ptr<Connection>> connections_;
};

// "HOST:PORT" with an IPv6 host in brackets.
[[nodiscard]] std::string endpoint_address(const protocol::BrokerEndpoint& b);

}  // namespace strata::client
