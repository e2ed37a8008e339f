// strata produce: one message per input line.
#include <atomic>
#include <fstream>
#include <iostream>
#include <mutex>

#include "client/cli/options.h"
#include "client/producer.h"

namespace strata::cli {

int produce_command(const Globals& g, const Args& args) {
  po::options_description d("strata produce TOPIC [options]  (one message per line of stdin or --file)");
  d.add_options()("topic", po::value<std::string>()->required(), "topic")(
      "key,k", po::value<std::string>(), "the key of every message")(
      "key-separator", po::value<std::string>(), "text before the first SEP on a line is its key")(
      "partition,p", po::value<std::uint32_t>(), "send to this partition (overrides the key)")(
      "acks", po::value<std::string>()->default_value("leader"), "none, leader or durable")(
      "file,f", po::value<std::string>(), "read messages from PATH instead of stdin")(
      "linger", po::value<std::string>()->default_value("5ms"), "how long to wait to fill a batch")(
      "compression,z", po::value<std::string>()->default_value("none"),
      "compress each batch: none, gzip, snappy, lz4 or zstd");
  po::positional_options_description pos;
  pos.add("topic", 1);
  po::variables_map vm;
  if (!parse_args("produce", args, d, pos, vm)) return 0;
  if (vm.count("key") && vm.count("key-separator")) throw UsageError("produce: use --key or --key-separator, not both");
  client::ProducerOptions options;
  options.acks = acks_option("produce", vm["acks"].as<std::string>());
  options.linger_ms = static_cast<std::uint32_t>(duration_option("linger", vm["linger"].as<std::string>()));
  options.compression = compression_option("produce", vm["compression"].as<std::string>());

  std::ifstream file;
  std::istream* in = &std::cin;
  if (vm.count("file")) {
    file.open(vm["file"].as<std::string>());
    if (!file) throw UsageError("produce: cannot read --file '" + vm["file"].as<std::string>() + "'");
    in = &file;
  }
  const std::string topic = vm["topic"].as<std::string>();
  client::Client client({g.broker});
  (void)client.partition_count(topic);  // fail fast, with advice, on an unknown topic
  std::atomic<std::uint64_t> failed{0};
  std::mutex first_error_mu;
  std::string first_error;
  auto on_done = [&](const client::RecordMetadata*, const client::ClientError* e) {
    if (!e) return;
    ++failed;
    std::lock_guard lock(first_error_mu);
    if (first_error.empty()) first_error = e->what();
  };
  std::uint64_t sent = 0;
  {
    client::Producer producer(client, options);
    std::string line;
    while (std::getline(*in, line)) {
      client::ProducerRecord r;
      r.topic = topic;
      std::string_view value = line;
      if (vm.count("key")) {
        r.key = vm["key"].as<std::string>();
      } else if (vm.count("key-separator")) {
        const std::string& sep = vm["key-separator"].as<std::string>();
        if (const auto at = line.find(sep); at != std::string::npos && !sep.empty()) {
          r.key = std::string_view(line).substr(0, at);
          value = std::string_view(line).substr(at + sep.size());
        }
      }
      r.value = value;
      if (vm.count("partition")) r.partition = vm["partition"].as<std::uint32_t>();
      producer.send(r, on_done);
      ++sent;
    }
    producer.flush();
  }
  std::cerr << "sent " << (sent - failed.load()) << " of " << sent << " messages to " << topic;
  if (failed.load() > 0) std::cerr << "; " << failed.load() << " failed: " << first_error;
  std::cerr << "\n";
  return failed.load() > 0 ? 1 : 0;
}

}  // namespace strata::cli
