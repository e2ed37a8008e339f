// Broker settings from `--config FILE` and command-line flags. Every option
// has one key (as in broker.conf, e.g. retention.check.interval.ms) and one
// flag (the key with dots turned into dashes); a flag overrides the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/core/topic_config.h"

namespace strata::broker {

enum class LogLevel { debug, info, warn, error };

struct BrokerConfig {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 9392;  // strata's own protocol
  // The Kafka front door (broker/kafka); kafka_listen_host empty: off.
  std::string kafka_listen_host = "127.0.0.1";
  std::uint16_t kafka_listen_port = 9092;
  // The address Metadata gives Kafka clients; empty host: the bound kafka.listen.
  std::string kafka_advertised_host;
  std::uint16_t kafka_advertised_port = 0;
  std::string data_dir = "./data";
  unsigned shards = 0;  // 0: one per core
  // Partitions opened (recovered after a crash) at once at start-up; 0: one per core.
  unsigned recovery_threads = 0;
  std::int64_t retention_check_interval_ms = 30000;
  // Background fdatasync of partitions with unsynced appends; 0 = never.
  // Bounds what a crash recovery scans, and what a power loss can take from
  // acks=leader data, to about this much time.
  std::int64_t flush_interval_ms = 1000;
  bool auto_create_topics = false;
  // Tests only (power-loss simulation): a file journalling what every sync
  // made durable (storage/journaling_file_system.h); empty: off.
  std::string durability_journal;
  // DeleteTopic answers once the deletion is durable and done, or after
  // this long, the rest going on in the background (TOPIC_BEING_DELETED).
  std::int64_t delete_topic_wait_ms = 1000;
  std::uint32_t max_connections = 10000;
  // Per connection: request bytes unanswered plus reply bytes unsent, and
  // requests unanswered; broker-wide: the bytes over every connection
  // (connection_budget.h, inflight_budget.h).
  std::uint64_t max_inflight_bytes_per_connection = 64u << 20;
  std::uint32_t max_inflight_requests_per_connection = 128;
  std::uint64_t max_inflight_bytes = 512u << 20;
  std::int64_t idle_timeout_ms = 600000;
  std::uint32_t max_frame_bytes = 64u << 20;
  std::uint32_t file_cache_size = 1024;  // open segment files per shard
  LogLevel log_level = LogLevel::info;
  // The operations listener (metrics_server.h); metrics_listen_host empty: off.
  std::string metrics_listen_host = "127.0.0.1";
  std::uint16_t metrics_listen_port = 9644;
  // Per-partition series on /metrics besides per-topic ones.
  bool metrics_partition_level = true;
  TopicConfig topic_defaults;
  // Cluster mode (issue 17; checked by cluster::check_cluster_options when
  // etcd_endpoints is non-empty; empty: standalone, as before).
  std::int64_t node_id = -1;  // -1: not given
  std::string etcd_endpoints;
  std::string cluster_name = "strata";
  // HOST:PORT clients and other brokers reach `listen` at; empty: the listen address.
  std::string advertised_host;
  std::uint16_t advertised_port = 0;
  std::int64_t lease_ttl_s = 3;
  // New topics' replication.factor and min.insync.replicas when not given;
  // -1: automatic (broker/core/replication_config.h).
  std::int64_t default_replication_factor = -1;
  std::int64_t default_min_insync_replicas = -1;
};

struct ParsedConfig {
  BrokerConfig config;
  bool exit_now = false;  // --help or --version was answered
  std::string error;      // non-empty: refuse to start, message names the option
};

[[nodiscard]] ParsedConfig parse_broker_config(int argc, const char* const* argv);
// Every option's key and the value in effect, in --help order (the broker
// logs them once at start-up, as Kafka does).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> effective_settings(const BrokerConfig& config);

}  // namespace strata::broker
