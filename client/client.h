// The client's entry point: a connection to one broker (re-opened after a
// network error), the admin operations, and a metadata cache of partition
// counts that refreshes itself on unknown-topic/partition errors.
//
// Threads: all methods are safe to call from any thread. Errors are thrown
// as ClientError carrying the wire error code and advice.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client/cluster_routes.h"
#include "client/connection.h"
#include "strata/client.h"
#include "protocol/admin_messages.h"
#include "protocol/data_messages.h"
#include "protocol/metadata_v1.h"
#include "protocol/producer_id_messages.h"
#include "protocol/retention_messages.h"

namespace strata::client {

// An idempotent producer's identity, allocated by the broker.
struct ProducerIdentity {
  std::int64_t id = -1;
  std::int16_t epoch = -1;
  bool operator==(const ProducerIdentity&) const = default;
};

// The public options (strata/client.h) are the library's own.
using strata::ClientOptions;
using strata::default_broker_address;

class Client {
 public:
  // Connects and checks the broker speaks version 0 of every API it needs.
  explicit Client(ClientOptions options);

  // While the name is TOPIC_BEING_DELETED (a deletion still removing its
  // files) it retries, for up to 30 s, then throws that error.
  void create_topic(const std::string& name, std::uint32_t partitions,
                    const std::vector<protocol::ConfigEntry>& configs = {});
  void delete_topic(const std::string& name);
  // Metadata (version 1, which also updates the routes), version 0's part.
  [[nodiscard]] std::vector<protocol::TopicMetadata> metadata(const std::vector<std::string>& topics = {});
  // Metadata version 1: also the brokers, the controller and each
  // partition's leader (cluster mode; a standalone broker names none).
  // Updates the routes.
  [[nodiscard]] protocol::MetadataResponseV1 cluster_metadata(const std::vector<std::string>& topics = {});
  // One topic as cluster_metadata({name}) answers it, except that in
  // cluster mode each partition's numbers are asked of its leader (the
  // broker asked knows only those it leads). A partition whose leader is
  // down keeps LEADER_NOT_AVAILABLE.
  [[nodiscard]] protocol::MetadataResponseV1 topic_from_leaders(const std::string& name);
  // Where requests about the partition go in cluster mode: its leader's
  // node id and "HOST:PORT" (metadata is fetched first when the leader is
  // not known or not live); nullopt from a standalone broker (use the
  // bootstrap connection). Throws LEADER_NOT_AVAILABLE (retriable), naming
  // the partition and its broker, when no live broker leads it now, and the
  // topic's error (UNKNOWN_TOPIC ...) when the cluster no longer has it.
  struct Route {
    std::int32_t node = -1;
    std::string address;
  };
  [[nodiscard]] std::optional<Route> route_for(const std::string& topic, std::uint32_t partition);
  // The connection for requests about the partition: its leader's
  // (route_for), else the bootstrap connection. Throws as route_for, and
  // ClientError (network) when the leader cannot be reached.
  [[nodiscard]] std::shared_ptr<Connection> connection_for(const std::string& topic, std::uint32_t partition);
  // After NOT_LEADER, LEADER_NOT_AVAILABLE or a lost connection: the
  // topic's leaders are asked again before its next request. Never blocks
  // on the network (safe on a connection's reader thread).
  void forget_leaders(const std::string& topic) { routes_.forget(topic); }
  // Whether an error about a partition means its route may be stale:
  // NOT_LEADER, LEADER_NOT_AVAILABLE, or a network error.
  [[nodiscard]] static bool stale_route(const ClientError& e) noexcept;
  [[nodiscard]] std::vector<protocol::ConfigEntry> describe_configs(const std::string& topic);
  void alter_configs(const std::string& topic, const std::vector<protocol::ConfigEntry>& configs);
  // Per partition, the oldest segment and the rule that keeps it.
  [[nodiscard]] std::vector<protocol::PartitionRetention> describe_retention(const std::string& topic);
  // Offset per partition: timestamp kLatestTimestamp, kEarliestTimestamp or
  // ms; kNoOffset when no record is at or after the time.
  [[nodiscard]] std::int64_t list_offset(const std::string& topic, std::uint32_t partition, std::int64_t timestamp);

  // InitProducerId: a new identity (no argument), or `current` with the
  // next epoch, which fences the instance that used `current`.
  [[nodiscard]] ProducerIdentity init_producer_id(std::optional<ProducerIdentity> current = std::nullopt);

  // Partition count from the cache, refreshed from the broker when unknown
  // or when refresh is true. Throws UNKNOWN_TOPIC if it does not exist.
  [[nodiscard]] std::uint32_t partition_count(const std::string& topic, bool refresh = false);

  // partition_count() for a producer: a topic the broker does not have is
  // named in an empty Produce (which appends nothing) and looked up once
  // more, so a broker with auto.create.topics creates it (the metadata
  // lookup alone never would). Throws the first UNKNOWN_TOPIC otherwise.
  [[nodiscard]] std::uint32_t partition_count_for_produce(const std::string& topic);

  // Throws UNKNOWN_PARTITION unless partition < the topic's count; a count
  // that looks too small is refreshed from the broker first.
  void check_partition(const std::string& topic, std::uint32_t partition);

  // The live bootstrap connection, re-opened if the last one broke: to the
  // first of options().broker that answers, else (cluster mode, all of
  // them down) to any live broker the last metadata named.
  [[nodiscard]] std::shared_ptr<Connection> connection();
  [[nodiscard]] const ClientOptions& options() const noexcept { return options_; }

  // Request/response with typed messages; throws on any error.
  template <typename Response, typename Request>
  Response call(protocol::ApiKey api, const Request& request, std::uint16_t api_version = 0) {
    ResponseFrame frame = connection()->call(
        api, [&request](protocol::ByteWriter& w) { request.encode(w); }, options_.request_timeout_ms, api_version);
    protocol::ByteReader r(frame.body());
    Response response = Response::decode(r);
    if (!r.ok() || r.remaining() != 0) {
      throw ClientError::network("malformed " + std::string(protocol::api_name(api)) + " response from " +
                                 options_.broker);
    }
    return response;
  }

 private:
  ClientOptions options_;
  std::mutex mu_;
  std::shared_ptr<Connection> connection_;
  std::map<std::string, std::uint32_t> partitions_;
  ClusterRoutes routes_;
};

// Throws the broker's error for a StatusResponse that is not NONE.
void check(const protocol::StatusResponse& status);

}  // namespace strata::client
