// strata-broker: parse options, recover topics, listen, serve until SIGINT,
// SIGTERM or SIGHUP, then drain, sync and close every partition cleanly.
// SIGHUP stops like SIGTERM (its default action ended the process with no
// clean shutdown, so the next start ran crash recovery); the broker has no
// configuration to reload, and a closed terminal should stop it cleanly.
#include <signal.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "broker/clustered/cluster_mode.h"
#include "broker/core/broker.h"
#include "broker/net/descriptor_budget.h"
#include "broker/runtime/logger.h"
#include "broker/ops/metrics_server.h"
#include "broker/kafka/kafka_codec.h"
#include "broker/native/native_codec.h"
#include "broker/net/listener.h"

using namespace strata::broker;

int main(int argc, char** argv) {
  // Block the stop signals before any thread exists so that only sigwait
  // below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  ParsedConfig parsed = parse_broker_config(argc, argv);
  if (parsed.exit_now) return 0;
  if (!parsed.error.empty()) {
    std::cerr << "strata-broker: " << parsed.error << "\n";
    return 2;
  }
  BrokerConfig& config = parsed.config;
  set_log_level(config.log_level);
  if (auto error = apply_descriptor_budget(config); !error.empty()) {
    log_error(error);
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  log_info("strata-broker is starting (data directory " + config.data_dir + ", shards: " + std::to_string(config.shards) +
           ")");
  for (const auto& [key, value] : effective_settings(config)) log_info("config " + key + " = " + value);

  Broker broker(config);
  // Every front door shares one connection count (max.connections).
  auto connections = std::make_shared<ConnectionTracker>();
  const NativeCodec native;
  Listener server(broker, native, config.listen_host, config.listen_port, connections);
  // The Kafka front door (kafka.listen; empty: off), on the same connection count.
  kafka::KafkaCodec kafka_codec;
  std::unique_ptr<Listener> kafka_server;
  if (!config.kafka_listen_host.empty()) {
    kafka_server = std::make_unique<Listener>(broker, kafka_codec, config.kafka_listen_host, config.kafka_listen_port,
                                              connections);
  }
  // The operations listener comes up first, so /healthz answers (and
  // /readyz says "not yet") while the partitions recover.
  std::unique_ptr<MetricsServer> metrics;
  if (!config.metrics_listen_host.empty()) {
    const std::uint64_t budget = std::uint64_t{config.file_cache_size} * config.shards + config.max_connections +
                                 descriptor_reserve(config.shards, open_descriptors());
    metrics = std::make_unique<MetricsServer>(broker, [&connections] { return connections->count(); }, budget);
    if (auto ec = metrics->listen()) {
      log_error("cannot listen for metrics on " + config.metrics_listen_host + ":" +
                std::to_string(config.metrics_listen_port) + ": " + ec.message() +
                "; pick another metrics.listen, or set it empty to turn the listener off");
      return 1;
    }
    metrics->start();
    const auto mep = metrics->endpoint();
    log_info("serving metrics on http://" + mep.address().to_string() + ":" + std::to_string(mep.port()) + "/metrics");
  }
  if (auto ec = broker.load()) {
    log_error("cannot load data from " + config.data_dir + ": " + ec.message());
    return 1;
  }
  const std::chrono::duration<double> recovery = std::chrono::steady_clock::now() - started;
  if (auto ec = server.listen()) {
    log_error("cannot listen on " + config.listen_host + ":" + std::to_string(config.listen_port) + ": " +
              ec.message());
    return 1;
  }
  if (kafka_server) {
    if (auto ec = kafka_server->listen()) {
      log_error("cannot listen for Kafka clients on " + config.kafka_listen_host + ":" +
                std::to_string(config.kafka_listen_port) + ": " + ec.message() +
                "; pick another kafka.listen, or set it empty to turn the Kafka listener off");
      return 1;
    }
    const auto kep = kafka_server->endpoint();
    kafka::AdvertisedAddress advertised{config.kafka_advertised_host, config.kafka_advertised_port};
    if (advertised.host.empty()) {
      advertised = {kep.address().to_string(), kep.port()};
      if (kep.address().is_unspecified()) {
        log_warn("Kafka clients will be told to connect to " + advertised.host +
                 ", which they cannot reach: set kafka.advertised.listen to the broker's reachable HOST:PORT");
      }
    }
    log_info("Kafka clients on " + kep.address().to_string() + ":" + std::to_string(kep.port()) + " (advertised as " +
             advertised.host + ":" + std::to_string(advertised.port) + ")");
    kafka_codec.set_advertised(std::move(advertised));
  }
  // Cluster mode joins after load() (which holds the data directory's lock)
  // and listen() (whose bound port it advertises), before serving.
  std::unique_ptr<ClusterMode> cluster;
  if (!config.etcd_endpoints.empty()) {
    std::string refusal;
    std::vector<strata::cluster::AdvertisedEndpoint> others;
    if (kafka_server) {
      const auto& k = kafka_codec.advertised();
      others.push_back({"kafka", k.host, static_cast<std::uint16_t>(k.port)});
    }
    auto joined = ClusterMode::start(broker, server.endpoint().address().to_string(), server.endpoint().port(),
                                     std::move(others), refusal);
    if (!joined) {
      log_error("cannot join the cluster: " + (refusal.empty() ? joined.error().message() : refusal));
      return 1;
    }
    cluster = std::move(joined).value();
  }
  broker.start_shards();
  server.start();
  if (kafka_server) kafka_server->start();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  const auto ep = server.endpoint();
  if (metrics) {
    metrics->set_recovery_seconds(recovery.count());
    metrics->set_ready(true);
  }
  const std::string shown = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
  log_info("listening on " + shown + ":" + std::to_string(ep.port()) + " (ready in " +
           std::to_string(ms.count()) + " ms)");

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  const char* name = signal_number == SIGINT ? "SIGINT" : signal_number == SIGHUP ? "SIGHUP" : "SIGTERM";
  log_info(std::string("received ") + name +
           ": shutting down; new connections are refused and open ones get 3 s to finish their requests");
  if (metrics) metrics->set_ready(false);
  broker.begin_stopping();
  server.begin_shutdown();
  if (kafka_server) kafka_server->begin_shutdown();
  const auto drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (connections->count() > 0 && std::chrono::steady_clock::now() < drain_deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (metrics) metrics->stop();  // before the shards stop: a scrape visits them
  broker.shutdown();
  cluster.reset();  // then leave: the registration goes at once, not at lease expiry
  log_info("the broker stopped cleanly");
  return 0;
}
