// strata top: a live view of a broker from its /metrics (metrics.listen):
// records and bytes per second in and out by topic, requests and errors per
// second by API with their mean latency, and the largest partitions.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <thread>

#include "client/cli/metrics_text.h"
#include "client/cli/options.h"

namespace strata::cli {

namespace {

using Samples = std::vector<MetricSample>;

double rate(const Samples& now, const Samples& before, double seconds, std::string_view name,
            const std::map<std::string, std::string>& labels) {
  return std::max(0.0, metric_sum(now, name, labels) - metric_sum(before, name, labels)) / seconds;
}

std::set<std::string> label_values(const Samples& s, std::string_view name, const std::string& key) {
  std::set<std::string> out;
  for (const auto& m : s) {
    if (m.name == name) out.insert(m.label(key));
  }
  return out;
}

void print_screen(const std::string& address, const Samples& now, const Samples& before, double seconds,
                  std::size_t largest) {
  char line[256];
  std::string build;
  for (const auto& m : now) {
    if (m.name == "strata_build_info") build = m.label("version") + " (" + m.label("commit") + ")";
  }
  std::snprintf(line, sizeof line, "strata-broker %s at %s: %s, %.0f connections, %.0f/%.0f open files\n",
                build.c_str(), address.c_str(), metric_sum(now, "strata_ready") > 0 ? "ready" : "NOT READY",
                metric_sum(now, "strata_connections_open"), metric_sum(now, "strata_open_fds"),
                metric_sum(now, "strata_open_fds_limit"));
  std::cout << line << "\n";
  std::snprintf(line, sizeof line, "%-30s %12s %12s %12s %12s %12s\n", "TOPIC", "msg/s in", "MB/s in", "msg/s out",
                "MB/s out", "MB on disk");
  std::cout << line;
  for (const auto& topic : label_values(now, "strata_topic_partitions", "topic")) {
    const std::map<std::string, std::string> t{{"topic", topic}};
    std::snprintf(line, sizeof line, "%-30s %12.1f %12.3f %12.1f %12.3f %12.1f\n", topic.c_str(),
                  rate(now, before, seconds, "strata_messages_in_total", t),
                  rate(now, before, seconds, "strata_bytes_in_total", t) / 1e6,
                  rate(now, before, seconds, "strata_messages_out_total", t),
                  rate(now, before, seconds, "strata_bytes_out_total", t) / 1e6,
                  metric_sum(now, "strata_topic_size_bytes", t) / 1e6);
    std::cout << line;
  }
  std::snprintf(line, sizeof line, "\n%-16s %12s %12s %14s\n", "API", "requests/s", "errors/s", "mean latency");
  std::cout << line;
  for (const auto& api : label_values(now, "strata_requests_total", "api")) {
    const std::map<std::string, std::string> a{{"api", api}};
    const double count = metric_sum(now, "strata_request_duration_seconds_count", a) -
                         metric_sum(before, "strata_request_duration_seconds_count", a);
    const double sum = metric_sum(now, "strata_request_duration_seconds_sum", a) -
                       metric_sum(before, "strata_request_duration_seconds_sum", a);
    std::snprintf(line, sizeof line, "%-16s %12.1f %12.1f %11.3f ms\n", api.c_str(),
                  rate(now, before, seconds, "strata_requests_total", a),
                  rate(now, before, seconds, "strata_request_errors_total", a), count > 0 ? sum / count * 1e3 : 0.0);
    std::cout << line;
  }
  bool header = false;
  for (const auto& m : now) {
    if (m.name != "strata_request_errors_total") continue;
    if (!header) std::cout << "\nERRORS (since start)\n";
    header = true;
    std::cout << "  " << m.label("api") << " " << m.label("error") << ": " << static_cast<std::uint64_t>(m.value)
              << "\n";
  }
  std::vector<const MetricSample*> sizes;
  for (const auto& m : now) {
    if (m.name == "strata_partition_size_bytes") sizes.push_back(&m);
  }
  const std::size_t shown = std::min(largest, sizes.size());
  std::partial_sort(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(shown), sizes.end(),
                    [](const MetricSample* a, const MetricSample* b) { return a->value > b->value; });
  if (shown > 0) std::cout << "\nLARGEST PARTITIONS\n";
  for (std::size_t i = 0; i < shown; ++i) {
    std::snprintf(line, sizeof line, "  %s/%s %.1f MB\n", sizes[i]->label("topic").c_str(),
                  sizes[i]->label("partition").c_str(), sizes[i]->value / 1e6);
    std::cout << line;
  }
  std::cout << std::flush;
}

}  // namespace

int top_command(const Globals&, const Args& args) {
  const char* env = std::getenv("STRATA_METRICS");
  po::options_description d("strata top [--metrics HOST:PORT] [--interval T] [--iterations N] [--largest N]");
  d.add_options()("metrics", po::value<std::string>()->default_value(env ? env : "127.0.0.1:9644"),
                  "the broker's metrics.listen (default $STRATA_METRICS, then 127.0.0.1:9644)")(
      "interval", po::value<std::string>()->default_value("2s"), "time between screens")(
      "iterations", po::value<std::uint64_t>()->default_value(0), "stop after N screens; 0 = until interrupted")(
      "largest", po::value<std::size_t>()->default_value(10), "largest partitions shown");
  po::variables_map vm;
  if (!parse_args("top", args, d, {}, vm)) return 0;
  const std::string address = vm["metrics"].as<std::string>();
  const std::int64_t interval_ms = duration_option("interval", vm["interval"].as<std::string>());
  if (interval_ms <= 0) throw UsageError("--interval must be positive");
  const auto iterations = vm["iterations"].as<std::uint64_t>();
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  try {
    auto fetch = [&] {
      HttpReply r = http_get(address, "/metrics");
      if (r.status != 200) throw HttpError("GET http://" + address + "/metrics answered " + std::to_string(r.status));
      return parse_metrics(r.body);
    };
    Samples before = fetch();
    auto before_at = std::chrono::steady_clock::now();
    for (std::uint64_t n = 0; iterations == 0 || n < iterations; ++n) {
      std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
      Samples now = fetch();
      const auto now_at = std::chrono::steady_clock::now();
      if (tty) std::cout << "\x1b[H\x1b[2J";  // home, clear
      print_screen(address, now, before, std::chrono::duration<double>(now_at - before_at).count(),
                   vm["largest"].as<std::size_t>());
      if (!tty) std::cout << "\n";
      before = std::move(now);
      before_at = now_at;
    }
  } catch (const HttpError& e) {
    std::cerr << "strata top: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace strata::cli
