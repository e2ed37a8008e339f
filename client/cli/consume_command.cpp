// strata consume: print messages from one or all partitions.
#include <charconv>
#include <csignal>
#include <iostream>

#include "client/cli/options.h"
#include "client/consumer.h"

namespace strata::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

client::StartPosition start_from(const po::variables_map& vm) {
  if (vm.count("from-time")) return client::StartPosition::at_time(time_option("from-time", vm["from-time"].as<std::string>()));
  const std::string offset = vm["offset"].as<std::string>();
  if (offset == "earliest") return client::StartPosition::earliest();
  if (offset == "latest") return client::StartPosition::latest();
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(offset.data(), offset.data() + offset.size(), v);
  if (ec == std::errc{} && ptr == offset.data() + offset.size()) return client::StartPosition::at(v);
  throw UsageError("consume: --offset must be a number, earliest or latest, not '" + offset + "'");
}

void print(const client::ConsumerRecord& r, bool json) {
  if (!json) {
    std::cout << (r.value ? *r.value : std::string()) << '\n';
    return;
  }
  // Built with append: GCC 12 warns falsely (-Wrestrict) on long + chains.
  std::string line;
  line.append("{\"topic\":").append(json_string(r.topic));
  line.append(",\"partition\":").append(std::to_string(r.partition));
  line.append(",\"offset\":").append(std::to_string(r.offset));
  line.append(",\"timestamp\":").append(std::to_string(r.timestamp));
  line.append(",\"key\":").append(r.key ? json_bytes(*r.key) : std::string("null"));
  line.append(",\"value\":").append(r.value ? json_bytes(*r.value) : std::string("null"));
  // Headers as [name, value] pairs: names need not be UTF-8 (or unique),
  // so they cannot be JSON object keys.
  line.append(",\"headers\":[");
  for (std::size_t i = 0; i < r.headers.size(); ++i) {
    if (i > 0) line.append(",");
    line.append("[").append(json_bytes(r.headers[i].name)).append(",").append(json_bytes(r.headers[i].value)).append("]");
  }
  line += "]}\n";
  std::cout << line;
}

}  // namespace

int consume_command(const Globals& g, const Args& args) {
  po::options_description d("strata consume TOPIC [options]");
  d.add_options()("topic", po::value<std::string>()->required(), "topic")(
      "partition,p", po::value<std::uint32_t>(), "only this partition (default: all)")(
      "offset,o", po::value<std::string>()->default_value("earliest"), "start: a number, earliest or latest")(
      "from-time", po::value<std::string>(), "start at the first message at or after TIME (ISO 8601 or ms)")(
      "count,n", po::value<std::uint64_t>(), "stop after N messages")(
      "follow,F", po::bool_switch(), "keep printing new messages until interrupted")(
      "format", po::value<std::string>()->default_value("text"), "text (values) or json (one object per line)");
  po::positional_options_description pos;
  pos.add("topic", 1);
  po::variables_map vm;
  if (!parse_args("consume", args, d, pos, vm)) return 0;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") throw UsageError("consume: --format must be text or json");
  const bool json = format == "json";
  const bool follow = vm["follow"].as<bool>();
  const auto limit = vm.count("count") ? vm["count"].as<std::uint64_t>() : UINT64_MAX;
  const std::string topic = vm["topic"].as<std::string>();

  client::Client client({g.broker});
  const std::uint32_t partitions = client.partition_count(topic);
  client::Consumer consumer(client);
  const auto start = start_from(vm);
  std::vector<std::uint32_t> assigned;
  if (vm.count("partition")) {
    assigned.push_back(vm["partition"].as<std::uint32_t>());
  } else {
    for (std::uint32_t p = 0; p < partitions; ++p) assigned.push_back(p);
  }
  // Without --follow, stop at the log end as it is now.
  std::vector<std::uint64_t> stop_at;
  for (auto p : assigned) {
    consumer.assign(topic, p, start);
    stop_at.push_back(static_cast<std::uint64_t>(client.list_offset(topic, p, protocol::kLatestTimestamp)));
    if (start.kind == client::StartPosition::Kind::offset && static_cast<std::uint64_t>(start.value) > stop_at.back()) {
      throw client::ClientError::from_broker(
          protocol::ErrorCode::offset_out_of_range,
          "offset " + std::to_string(start.value) + " is past the end of " + topic + "/" + std::to_string(p) +
              " (log has " + std::to_string(client.list_offset(topic, p, protocol::kEarliestTimestamp)) + ".." +
              std::to_string(stop_at.back()) + ")");
    }
  }
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::uint64_t printed = 0;
  auto done = [&] {
    if (printed >= limit || g_interrupted) return true;
    if (follow) return false;
    for (std::size_t i = 0; i < assigned.size(); ++i) {
      if (consumer.position(topic, assigned[i]) < stop_at[i]) return false;
    }
    return true;
  };
  while (!done()) {
    for (const auto& r : consumer.poll(follow ? 500 : 100)) {
      if (!follow) {
        const auto idx = static_cast<std::size_t>(std::find(assigned.begin(), assigned.end(), r.partition) - assigned.begin());
        if (r.offset >= stop_at[idx]) continue;
      }
      print(r, json);
      if (++printed >= limit) break;
    }
    std::cout.flush();
  }
  return 0;
}

}  // namespace strata::cli
