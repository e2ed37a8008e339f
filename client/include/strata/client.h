/// @file strata/client.h
/// @brief The entry point of the strata client library: a connection to a
/// broker and the admin operations.
///
/// Part of strata's public client API (standard library types only). Link
/// `strata::client` (CMake) or `pkg-config --libs strata`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "strata/errors.h"

namespace strata {

/// How a Client reaches its broker.
struct ClientOptions {
  /// HOST:PORT, or a comma-separated bootstrap list (the first that
  /// answers is used); HOST is a name, an IPv4 address or [IPv6]. In
  /// cluster mode one live broker is enough: the client learns the others
  /// and each partition's leader from it, and sends each partition's
  /// requests to its leader.
  std::string broker = "127.0.0.1:9392";
  std::string client_id = "strata-client";  ///< sent with each request, shown in the broker's log
  int request_timeout_ms = 30000;           ///< how long a request waits for its answer
  int connect_timeout_ms = 5000;            ///< how long a (re)connect may take
};

/// One partition of a topic, as Client::describe_topic() reports it.
struct PartitionInfo {
  std::uint32_t partition = 0;  ///< its number
  std::uint64_t earliest = 0;   ///< the first offset still in its log
  std::uint64_t latest = 0;     ///< the offset the next record gets
  std::uint64_t size_bytes = 0; ///< its segments' bytes on disk
  /// Cluster mode: the node id of the broker leading it; -1 when no broker
  /// leads it now (its broker is down) and on a standalone broker.
  std::int32_t leader = -1;
  /// Why earliest/latest/size_bytes are not known (they are then 0):
  /// ErrorCode::leader_not_available while its broker is down; else none.
  ErrorCode error = ErrorCode::none;
};

/// A topic as Client::list_topics() and describe_topic() report it.
struct TopicInfo {
  std::string name;                  ///< the topic's name
  std::uint32_t partitions = 0;      ///< its partition count (0 while being deleted)
  bool being_deleted = false;        ///< its deletion is still removing files
  std::uint64_t size_bytes = 0;      ///< all its partitions' bytes on disk
  std::vector<PartitionInfo> details;  ///< per partition, in order
};

/// One live broker of a cluster, as Client::describe_cluster() reports it.
struct BrokerInfo {
  std::int32_t id = 0;             ///< its node.id
  std::string host;                ///< its advertised.listen host
  std::uint16_t port = 0;          ///< its advertised.listen port
  std::uint32_t partitions_led = 0;  ///< partitions it leads now
};

/// A cluster's brokers and controller; a standalone broker has neither.
struct ClusterInfo {
  std::vector<BrokerInfo> brokers;  ///< the live brokers, by id
  std::int32_t controller = -1;     ///< the controller's node id (-1: none now, or standalone)
  std::uint32_t partitions_without_leader = 0;  ///< partitions whose broker is down
  /// True when the broker asked runs standalone (no etcd).
  [[nodiscard]] bool standalone() const noexcept { return brokers.empty(); }
};

/// What keeps a partition's oldest segment, as Client::describe_retention()
/// reports it.
struct PartitionRetention {
  std::uint32_t partition = 0;                ///< its number
  std::uint64_t oldest_base_offset = 0;       ///< the oldest segment's first offset
  std::uint64_t oldest_size_bytes = 0;        ///< the oldest segment's bytes
  std::optional<std::int64_t> oldest_max_timestamp;  ///< its largest timestamp (none when empty)
  std::uint64_t segments = 0;                 ///< the partition's segment count
  /// The rule: "active_segment", "time", "size", "future_timestamp", "forever" or "due".
  std::string reason;
  std::optional<std::int64_t> reason_time;  ///< time: when it expires; future_timestamp: the timestamp
  std::string reason_text;                  ///< the rule in words, e.g. "time: expires in 6d 23h"
};

/// Client::list_offset's timestamp for the offset after the last record.
inline constexpr std::int64_t kLatestOffset = -1;
/// Client::list_offset's timestamp for the first offset still in the log.
inline constexpr std::int64_t kEarliestOffset = -2;
/// What Client::list_offset returns when no record is at or after the time.
inline constexpr std::int64_t kNoOffset = -1;

/// "STRATA_BROKER" from the environment, else "127.0.0.1:9392".
[[nodiscard]] STRATA_API std::string default_broker_address();

/// A connection to one broker, re-opened after a network error, with a
/// cache of partition counts; in cluster mode also one connection per
/// broker that leads a partition it is asked about, and each partition's
/// leader (asked again after not_leader, leader_not_available or a lost
/// connection).
///
/// Threads: every method may be called from any thread at the same time.
/// Blocking: every method that talks to the broker blocks until the answer
/// or ClientOptions::request_timeout_ms. Errors: strata::Error. A Producer
/// or Consumer made from a Client keeps a reference to it: the Client must
/// outlive them.
class STRATA_API Client {
 public:
  /// Connects and checks that the broker speaks the protocol versions this
  /// library needs (strata::version()). Throws Error (network, or usage if
  /// the broker is too old).
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Creates a topic with `configs` (e.g. {"retention.ms", "604800000"});
  /// while the name is still being deleted it retries for up to 30 s.
  /// Throws Error: topic_exists, invalid_topic, invalid_config, ...
  void create_topic(const std::string& name, std::uint32_t partitions,
                    const std::map<std::string, std::string>& configs = {});
  /// Deletes a topic; its files are removed in the background (the name is
  /// topic_being_deleted until then). Throws Error (unknown_topic, ...).
  void delete_topic(const std::string& name);
  /// Every topic the broker has, by name (also those being deleted).
  [[nodiscard]] std::vector<TopicInfo> list_topics();
  /// One topic with its partitions (in cluster mode each partition's
  /// numbers come from its leader). Throws Error (unknown_topic, or
  /// topic_being_deleted while its deletion removes files).
  [[nodiscard]] TopicInfo describe_topic(const std::string& name);
  /// The cluster's live brokers, its controller and who leads how many
  /// partitions (ClusterInfo::standalone() on a standalone broker).
  [[nodiscard]] ClusterInfo describe_cluster();
  /// Per partition, the oldest segment and the rule that keeps it.
  [[nodiscard]] std::vector<PartitionRetention> describe_retention(const std::string& topic);
  /// A topic's configs, key to value (every key the broker knows).
  [[nodiscard]] std::map<std::string, std::string> describe_configs(const std::string& topic);
  /// Changes the given configs of a topic (invalid_config names a bad one).
  void alter_configs(const std::string& topic, const std::map<std::string, std::string>& configs);
  /// A partition's offset at `timestamp` (ms since 1970): the first record
  /// at or after it, or kNoOffset; kLatestOffset and kEarliestOffset ask
  /// for the log's end and start. Asked of the partition's leader; throws
  /// Error (leader_not_available, retriable) while its broker is down.
  [[nodiscard]] std::int64_t list_offset(const std::string& topic, std::uint32_t partition, std::int64_t timestamp);
  /// A topic's partition count, from the cache unless `refresh`. Throws
  /// Error (unknown_topic).
  [[nodiscard]] std::uint32_t partition_count(const std::string& topic, bool refresh = false);
  /// Throws Error (unknown_partition, naming the valid range) unless the
  /// topic has `partition`; a count that looks too small is refreshed first.
  void check_partition(const std::string& topic, std::uint32_t partition);
  /// The options it was made with. Never blocks.
  [[nodiscard]] const ClientOptions& options() const noexcept;

  /// The library's own state (opaque: defined in no public header).
  struct Impl;
  /// For Producer and Consumer; not for applications.
  [[nodiscard]] Impl& impl() noexcept { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata
