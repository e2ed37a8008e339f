#include "client/perf/perf_options.h"

#include "client/cli/options.h"

namespace strata::perf {

namespace po = boost::program_options;
using cli::UsageError;

namespace {

void add_send_options(po::options_description& d, SendOptions& o, const char* default_size,
                      std::uint32_t default_linger) {
  d.add_options()("topic,t", po::value<std::string>(&o.topic)->required(), "topic (created if missing)")(
      "size,s", po::value<std::string>()->default_value(default_size), "value bytes per message (64KiB-style suffixes)")(
      "partitions", po::value<std::uint32_t>(&o.partitions)->default_value(1), "partitions when the topic is created")(
      "acks", po::value<std::string>()->default_value("leader"), "none, leader or durable")(
      "batch-bytes", po::value<std::string>()->default_value(std::to_string(o.batch_bytes)), "producer batch size")(
      "linger-ms", po::value<std::uint32_t>(&o.linger_ms)->default_value(default_linger),
      "how long a batch may wait to fill")(
      "compression", po::value<std::string>()->default_value("none"), "none, gzip, snappy, lz4 or zstd")(
      "delivery-timeout", po::value<std::string>()->default_value("120s"),
      "how long a message may wait for its acknowledgement, retries included")("json", po::bool_switch(&o.json), "print one JSON object on stdout");
}

void finish_send_options(const std::string& command, const po::variables_map& vm, SendOptions& o) {
  o.acks = cli::acks_option(command, vm["acks"].as<std::string>());
  o.compression = cli::compression_option(command, vm["compression"].as<std::string>());
  o.delivery_timeout_ms = cli::ms_option(command, "delivery-timeout", vm["delivery-timeout"].as<std::string>());
  const auto size = cli::size_option("size", vm["size"].as<std::string>());
  const auto batch = cli::size_option("batch-bytes", vm["batch-bytes"].as<std::string>());
  if (size < 0 || size > (64 << 20)) throw UsageError(command + ": --size must be 0..64MiB");
  if (batch <= 0) throw UsageError(command + ": --batch-bytes must be positive");
  o.size = static_cast<std::size_t>(size);
  o.batch_bytes = static_cast<std::size_t>(batch);
  if (o.partitions == 0) throw UsageError(command + ": --partitions must be at least 1");
}

}  // namespace

ProducerOptions SendOptions::producer_options() const {
  ProducerOptions p;
  p.acks = acks;
  p.batch_bytes = batch_bytes;
  p.linger_ms = linger_ms;
  p.compression = compression;
  p.delivery_timeout_ms = delivery_timeout_ms;
  return p;
}

const char* acks_name(Acks acks) noexcept {
  switch (acks) {
    case Acks::none: return "none";
    case Acks::leader: return "leader";
    case Acks::durable: return "durable";
  }
  return "?";
}

std::optional<ProduceOptions> parse_produce(const cli::Args& args) {
  const std::string command = "perf produce";
  ProduceOptions o;
  po::options_description d("strata perf produce --topic T --messages N [options]  (throughput and ack latency)");
  add_send_options(d, o, "100", 5);
  d.add_options()("messages,n", po::value<std::uint64_t>(&o.messages)->required(), "messages to send")(
      "keys", po::value<std::uint32_t>(&o.keys), "16-byte keys drawn from K distinct keys (default: keyless)")(
      "producers", po::value<std::uint32_t>(&o.producers)->default_value(1),
      "producer threads, each with its own connection, splitting --messages")(
      "payload", po::value<std::string>()->default_value("letters"),
      "letters (one value of a-z repeated) or json (4,096 distinct JSON-like values: compressible text)");
  po::variables_map vm;
  if (!cli::parse_args(command, args, d, {}, vm)) return std::nullopt;
  finish_send_options(command, vm, o);
  if (o.producers == 0) throw UsageError(command + ": --producers must be at least 1");
  const std::string payload = vm["payload"].as<std::string>();
  if (payload != "letters" && payload != "json") {
    throw UsageError(command + ": --payload must be letters or json, not '" + payload + "'");
  }
  o.payload = payload == "json" ? Payload::json : Payload::letters;
  if (vm.count("keys") && o.keys == 0) throw UsageError(command + ": --keys must be at least 1");
  return o;
}

std::optional<ConsumeOptions> parse_consume(const cli::Args& args) {
  const std::string command = "perf consume";
  ConsumeOptions o;
  po::options_description d("strata perf consume --topic T [options]  (read from offset 0, all partitions)");
  d.add_options()("topic,t", po::value<std::string>(&o.topic)->required(), "topic")(
      "messages,n", po::value<std::uint64_t>(), "stop after N messages (default: the log end at start)")(
      "consumers", po::value<std::uint32_t>(&o.consumers)->default_value(1),
      "consumer threads, each with its own connection, splitting the partitions")(
      "json", po::bool_switch(&o.json), "print one JSON object on stdout");
  po::variables_map vm;
  if (!cli::parse_args(command, args, d, {}, vm)) return std::nullopt;
  if (vm.count("messages")) o.messages = vm["messages"].as<std::uint64_t>();
  if (o.consumers == 0) throw UsageError(command + ": --consumers must be at least 1");
  return o;
}

std::optional<LatencyOptions> parse_latency(const cli::Args& args) {
  const std::string command = "perf latency";
  LatencyOptions o;
  po::options_description d(
      "strata perf latency --topic T --rate R (--messages N | --seconds S) [options]  (end-to-end latency)");
  add_send_options(d, o, "100", 0);
  d.add_options()("rate,r", po::value<std::uint64_t>(&o.rate)->required(), "messages per second, on a fixed schedule")(
      "messages,n", po::value<std::uint64_t>(), "messages to send")(
      "seconds", po::value<double>(), "send for this long (messages = rate x seconds)");
  po::variables_map vm;
  if (!cli::parse_args(command, args, d, {}, vm)) return std::nullopt;
  finish_send_options(command, vm, o);
  if (o.rate == 0) throw UsageError(command + ": --rate must be at least 1");
  if (vm.count("messages") == vm.count("seconds")) throw UsageError(command + ": give --messages or --seconds (one)");
  if (vm.count("messages")) {
    o.messages = vm["messages"].as<std::uint64_t>();
  } else {
    const double s = vm["seconds"].as<double>();
    if (!(s > 0) || s > 86400) throw UsageError(command + ": --seconds must be in (0, 86400]");
    if (s * static_cast<double>(o.rate) > 1e12) {
      throw UsageError(command + ": --rate x --seconds is over 10^12 messages; lower one of them");
    }
    o.messages = static_cast<std::uint64_t>(s * static_cast<double>(o.rate));
  }
  if (o.messages == 0) throw UsageError(command + ": nothing to send (--messages or rate x seconds is 0)");
  if (o.size < 8) throw UsageError(command + ": --size must be at least 8 (the value carries the send time)");
  return o;
}

}  // namespace strata::perf
