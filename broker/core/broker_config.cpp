#include "broker/core/broker_config.h"

#include <boost/program_options.hpp>

#include "strata/build_info.h"

#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "protocol/topic_config_schema.h"
#include "protocol/units.h"

namespace strata::broker {
namespace {

namespace po = boost::program_options;

// One option: its key, default, help, how to apply a value, and how to
// show the value in effect (logged at start-up).
struct Option {
  std::string key;
  std::string default_value;
  std::string help;
  std::function<std::optional<std::string>(BrokerConfig&, const std::string&)> apply;
  std::function<std::string(const BrokerConfig&)> show;
};

std::string flag_of(const std::string& key) {
  std::string f = key;
  for (char& c : f) {
    if (c == '.') c = '-';
  }
  return f;
}

std::optional<std::string> bad(const std::string& key, const std::string& value, const std::string& expected) {
  return "invalid value '" + value + "' for " + key + " (--" + flag_of(key) + "): expected " + expected;
}

// "HOST:PORT" or "[V6]:PORT" into host (without brackets) and port; false
// (both untouched) if malformed.
bool parse_host_port(const std::string& v, std::string& host, std::uint16_t& port) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  auto n = parse_int(std::string_view(v).substr(colon + 1), 0, 65535);
  if (!n) return false;
  std::string h = v.substr(0, colon);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string::npos) {
    return false;  // an IPv6 address needs its brackets
  }
  host = h;
  port = static_cast<std::uint16_t>(*n);
  return true;
}

template <typename T>
Option integer(std::string key, std::string def, std::string help, std::int64_t min, std::int64_t max,
               T BrokerConfig::*field) {
  // Keys in bytes or milliseconds take sizes and durations too ("64MiB",
  // "10m"), spelled as everywhere else (protocol/units.h).
  const bool bytes = key.ends_with(".bytes") || key.ends_with(".bytes.per.connection");
  const bool ms = key.ends_with(".ms");
  auto apply = [key, min, max, field, bytes, ms](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
    const auto n = bytes ? protocol::parse_size(v) : ms ? protocol::parse_duration_ms(v) : protocol::parse_integer(v);
    if (!n || *n < min || *n > max) {
      const std::string unit = bytes ? " bytes (or a size like 64MiB)" : ms ? " ms (or a duration like 30s)" : "";
      return bad(key, v, "an integer from " + std::to_string(min) + " to " + std::to_string(max) + unit);
    }
    c.*field = static_cast<T>(*n);
    return std::nullopt;
  };
  auto show = [field](const BrokerConfig& c) { return std::to_string(c.*field); };
  return {std::move(key), std::move(def), std::move(help), apply, show};
}

// HOST:PORT, or empty for "off" (host_field empty).
Option optional_endpoint(std::string key, std::string def, std::string help, std::string BrokerConfig::*host_field,
                         std::uint16_t BrokerConfig::*port_field) {
  auto apply = [key, host_field, port_field](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
    if (v.empty()) {
      (c.*host_field).clear();
      return std::nullopt;
    }
    if (!parse_host_port(v, c.*host_field, c.*port_field)) {
      return bad(key, v, "HOST:PORT with a port from 0 to 65535, or empty for off");
    }
    return std::nullopt;
  };
  auto show = [host_field, port_field](const BrokerConfig& c) {
    return (c.*host_field).empty() ? std::string() : c.*host_field + ":" + std::to_string(c.*port_field);
  };
  return {std::move(key), std::move(def), std::move(help), apply, show};
}

// A default for new topics: key, range and help from the topic-config schema.
Option topic_default(const protocol::TopicConfigSpec& spec) {
  const std::string key(spec.key);
  auto apply = [key](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
    if (auto err = set_topic_config(c.topic_defaults, key, v, true)) return *err + " (--" + flag_of(key) + ")";
    return std::nullopt;
  };
  auto show = [key](const BrokerConfig& c) {
    for (const auto& e : describe_topic_config(c.topic_defaults)) {
      if (e.key == key) return e.value;
    }
    return std::string();
  };
  return {key, protocol::format_topic_config(spec, spec.default_value),
          "for new topics: " + std::string(spec.doc) + "; " + protocol::allowed_values(spec), apply, show};
}

// A replica count for new topics: 1 to 16, or -1 = chosen by the broker
// (replication_config.h says how).
Option replicas_default(std::string key, std::string help, std::int64_t BrokerConfig::*field) {
  auto apply = [key, field](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
    const auto n = protocol::parse_integer(v);
    if (!n || (*n != -1 && (*n < 1 || *n > 16))) return bad(key, v, "an integer from 1 to 16, or -1 = automatic");
    c.*field = *n;
    return std::nullopt;
  };
  auto show = [field](const BrokerConfig& c) { return std::to_string(c.*field); };
  return {std::move(key), "-1", std::move(help), apply, show};
}

// Cluster mode's options (broker/cluster/cluster_options.h checks them together at start).
void add_cluster_options(std::vector<Option>& o) {
  o.push_back(integer("node.id", "-1", "cluster mode: this broker's id, unique in the cluster (required there)", -1,
                      2147483647, &BrokerConfig::node_id));
  o.push_back({"etcd.endpoints", "", "http://HOST:PORT[,...] of etcd; setting it turns cluster mode on",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 c.etcd_endpoints = v;
                 return std::nullopt;
               },
               [](const BrokerConfig& c) { return c.etcd_endpoints; }});
  o.push_back({"cluster.name", "strata", "cluster mode: the etcd key prefix, so clusters can share an etcd",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 c.cluster_name = v;
                 return std::nullopt;
               },
               [](const BrokerConfig& c) { return c.cluster_name; }});
  o.push_back({"advertised.listen", "", "cluster mode: HOST:PORT clients and brokers reach listen at; empty = listen",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 if (v.empty()) {
                   c.advertised_host.clear();
                   return std::nullopt;
                 }
                 if (!parse_host_port(v, c.advertised_host, c.advertised_port) || c.advertised_port == 0) {
                   return bad("advertised.listen", v, "HOST:PORT with a port from 1 to 65535, or empty");
                 }
                 return std::nullopt;
               },
               [](const BrokerConfig& c) {
                 return c.advertised_host.empty() ? std::string()
                                                  : c.advertised_host + ":" + std::to_string(c.advertised_port);
               }});
  o.push_back(integer("lease.ttl.s", "3", "cluster mode: etcd lease TTL in whole seconds (etcd may grant more)", 1,
                      300, &BrokerConfig::lease_ttl_s));
  o.push_back(replicas_default("default.replication.factor",
                               "for new topics without replication.factor: -1 = 1 standalone, and in cluster mode 3 "
                               "capped at the brokers alive once replicated partitions are built (1 until then)",
                               &BrokerConfig::default_replication_factor));
  o.push_back(replicas_default("min.insync.replicas",
                               "for new topics without min.insync.replicas (capped at their replication.factor): "
                               "-1 = 2 when replication.factor is at least 3, else 1",
                               &BrokerConfig::default_min_insync_replicas));
}

std::vector<Option> options() {
  std::vector<Option> o;
  o.push_back({"listen", "127.0.0.1:9392", "HOST:PORT to accept strata's own protocol on",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 if (!parse_host_port(v, c.listen_host, c.listen_port)) {
                   return bad("listen", v, "HOST:PORT with a port from 0 to 65535");
                 }
                 return std::nullopt;
               },
               [](const BrokerConfig& c) { return c.listen_host + ":" + std::to_string(c.listen_port); }});
  o.push_back(optional_endpoint("kafka.listen", "127.0.0.1:9092",
                                "HOST:PORT to accept Apache Kafka clients on (Kafka's wire protocol); empty turns it off",
                                &BrokerConfig::kafka_listen_host, &BrokerConfig::kafka_listen_port));
  o.push_back(optional_endpoint("kafka.advertised.listen", "",
                                "HOST:PORT Kafka clients are told to connect to (Metadata); empty: the bound "
                                "kafka.listen address",
                                &BrokerConfig::kafka_advertised_host, &BrokerConfig::kafka_advertised_port));
  o.push_back({"data.dir", "./data", "directory holding one folder per topic",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 if (v.empty()) return bad("data.dir", v, "a directory path");
                 c.data_dir = v;
                 return std::nullopt;
               },
               [](const BrokerConfig& c) { return c.data_dir; }});
  o.push_back(integer("shards", "0", "event-loop threads; 0 = one per core", 0, 256, &BrokerConfig::shards));
  o.push_back(integer("recovery.threads", "0",
                      "threads opening (and after a crash recovering) partitions at start-up; 0 = one per core", 0,
                      1024, &BrokerConfig::recovery_threads));
  o.push_back(integer("retention.check.interval.ms", "30000", "how often retention runs", 1, 86'400'000,
                      &BrokerConfig::retention_check_interval_ms));
  o.push_back(integer("flush.interval.ms", "1000",
                      "fdatasync partitions with unsynced appends this often in the background (bounds crash "
                      "recovery); 0 = only for acks=durable and at shutdown",
                      0, 86'400'000, &BrokerConfig::flush_interval_ms));
  o.push_back(integer("delete.topic.wait.ms", "1000",
                      "DeleteTopic answers when the deletion is done or after this long, whichever is first; the "
                      "rest goes on in the background and the name answers TOPIC_BEING_DELETED until it ends",
                      0, 600'000, &BrokerConfig::delete_topic_wait_ms));
  o.push_back({"auto.create.topics", "false", "create unknown topics on produce (true/false)",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 if (v != "true" && v != "false") return bad("auto.create.topics", v, "true or false");
                 c.auto_create_topics = v == "true";
                 return std::nullopt;
               },
               [](const BrokerConfig& c) { return std::string(c.auto_create_topics ? "true" : "false"); }});
  o.push_back({"test.durability.journal", "",
               "tests only: journal what each sync made durable to this file, for power-loss simulation (it "
               "costs a write per sync); empty = off",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 c.durability_journal = v;
                 return std::nullopt;
               },
               [](const BrokerConfig& c) { return c.durability_journal; }});
  o.push_back(integer("max.connections", "10000", "client connections at once; more are refused", 1, 1'000'000,
                      &BrokerConfig::max_connections));
  o.push_back(integer("max.inflight.bytes.per.connection", "67108864",
                      "bytes of unanswered requests plus unsent replies a connection may have before the "
                      "broker stops reading it",
                      1024, std::int64_t{1} << 40, &BrokerConfig::max_inflight_bytes_per_connection));
  o.push_back(integer("max.inflight.requests.per.connection", "128",
                      "unanswered requests a connection may have before the broker stops reading it", 1, 1'000'000,
                      &BrokerConfig::max_inflight_requests_per_connection));
  o.push_back(integer("max.inflight.bytes", "536870912",
                      "bytes of unanswered requests plus unsent replies over all connections before the broker "
                      "stops reading requests (but one small request of a connection with nothing pending)",
                      1 << 20, std::int64_t{1} << 44, &BrokerConfig::max_inflight_bytes));
  o.push_back(integer("idle.timeout.ms", "600000",
                      "close a connection silent this long with nothing pending, or whose pending replies made "
                      "no write progress this long (a client that stopped reading)",
                      100, std::int64_t{1} << 40, &BrokerConfig::idle_timeout_ms));
  o.push_back(integer("max.frame.bytes", "67108864", "largest request frame accepted", 1024,
                      std::int64_t{1} << 31, &BrokerConfig::max_frame_bytes));
  o.push_back(integer("file.cache.size", "1024", "open segment files kept per shard", 16, 1'000'000,
                      &BrokerConfig::file_cache_size));
  o.push_back({"log.level", "info", "debug, info, warn or error",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 static const std::map<std::string, LogLevel> levels{
                     {"debug", LogLevel::debug}, {"info", LogLevel::info}, {"warn", LogLevel::warn},
                     {"error", LogLevel::error}};
                 auto it = levels.find(v);
                 if (it == levels.end()) return bad("log.level", v, "debug, info, warn or error");
                 c.log_level = it->second;
                 return std::nullopt;
               },
               [](const BrokerConfig& c) {
                 static const char* const names[] = {"debug", "info", "warn", "error"};
                 return std::string(names[static_cast<int>(c.log_level)]);
               }});
  o.push_back(optional_endpoint("metrics.listen", "127.0.0.1:9644",
                                "HOST:PORT serving /metrics, /healthz and /readyz over HTTP; empty turns it off",
                                &BrokerConfig::metrics_listen_host, &BrokerConfig::metrics_listen_port));
  o.push_back({"metrics.partition.level", "true",
               "also report offsets, size and segments per partition on /metrics (false: per topic only, for "
               "brokers with very many partitions)",
               [](BrokerConfig& c, const std::string& v) -> std::optional<std::string> {
                 if (v != "true" && v != "false") return bad("metrics.partition.level", v, "true or false");
                 c.metrics_partition_level = v == "true";
                 return std::nullopt;
               },
               [](const BrokerConfig& c) { return std::string(c.metrics_partition_level ? "true" : "false"); }});
  add_cluster_options(o);
  for (const auto& spec : protocol::topic_config_schema()) {
    // These two depend on the replication factor: default.replication.factor
    // and min.insync.replicas above.
    if (spec.key == "replication.factor" || spec.key == "min.insync.replicas") continue;
    o.push_back(topic_default(spec));
  }
  return o;
}

// "key = value" lines; '#' starts a comment. A key given twice is refused
// (naming both lines) rather than letting the last one win unnoticed.
std::optional<std::string> read_config_file(const std::string& path, std::map<std::string, std::string>& out) {
  std::ifstream in(path);
  if (!in) return "cannot read config file '" + path + "'";
  std::map<std::string, int> line_of;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    auto trim = [](std::string s) {
      const auto b = s.find_first_not_of(" \t\r");
      const auto e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    line = trim(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      return path + ":" + std::to_string(number) + ": expected 'key = value', got '" + line + "'";
    }
    const std::string key = trim(line.substr(0, eq));
    if (const auto [it, first] = line_of.emplace(key, number); !first) {
      return path + ":" + std::to_string(number) + ": '" + key + "' is set twice (lines " +
             std::to_string(it->second) + " and " + std::to_string(number) + "); keep one";
    }
    out[key] = trim(line.substr(eq + 1));
  }
  return std::nullopt;
}

}  // namespace

ParsedConfig parse_broker_config(int argc, const char* const* argv) {
  ParsedConfig result;
  const auto opts = options();
  po::options_description desc(
      "strata-broker: a partitioned message broker\n\n"
      "Usage: strata-broker [--config FILE] [--OPTION VALUE ...]\n"
      "Every option can also be set in the config file as its key (dots for dashes)");
  desc.add_options()("help,h", "print this help and exit")("version", "print the version and exit")("config", po::value<std::string>(),
                                                           "read options from FILE (key = value lines)");
  for (const auto& o : opts) {
    desc.add_options()(flag_of(o.key).c_str(), po::value<std::string>()->value_name("V"),
                       (o.help + " [default: " + o.default_value + "]").c_str());
  }
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
  } catch (const po::error& e) {
    result.error = std::string(e.what()) + "; see strata-broker --help";
    return result;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    result.exit_now = true;
    return result;
  }
  if (vm.count("version")) {
    std::cout << "strata-broker " << kVersion << " (commit " << kGitCommit << ")\n";
    result.exit_now = true;
    return result;
  }
  std::map<std::string, std::string> values;
  if (vm.count("config")) {
    if (auto err = read_config_file(vm["config"].as<std::string>(), values)) {
      result.error = *err;
      return result;
    }
    for (const auto& [key, value] : values) {
      bool known = false;
      for (const auto& o : opts) known = known || o.key == key;
      if (!known) {
        result.error = "unknown option '" + key + "' in " + vm["config"].as<std::string>() +
                       "; see strata-broker --help";
        return result;
      }
    }
  }
  for (const auto& o : opts) {
    if (vm.count(flag_of(o.key))) values[o.key] = vm[flag_of(o.key)].as<std::string>();
  }
  for (const auto& o : opts) {
    auto it = values.find(o.key);
    if (it == values.end()) continue;
    if (auto err = o.apply(result.config, it->second)) {
      result.error = *err;
      return result;
    }
  }
  if (result.config.shards == 0) result.config.shards = std::max(1u, std::thread::hardware_concurrency());
  if (result.config.recovery_threads == 0) {
    result.config.recovery_threads = std::max(1u, std::thread::hardware_concurrency());
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> effective_settings(const BrokerConfig& config) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& o : options()) out.emplace_back(o.key, o.show(config));
  return out;
}

}  // namespace strata::broker
