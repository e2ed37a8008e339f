// Reading a broker's operations listener from the client side (strata top,
// tests): one HTTP/1.1 GET with Boost.Beast, and a parser of the Prometheus
// text exposition format that /metrics serves.
#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace strata::cli {

struct HttpReply {
  int status = 0;
  std::string body;
};

// Failures to reach or read the listener; the message names the address.
struct HttpError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// GETs http://host_port/path, all of it within `timeout`. Throws HttpError.
[[nodiscard]] HttpReply http_get(const std::string& host_port, const std::string& path,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(5));

struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
  [[nodiscard]] std::string label(const std::string& key) const;  // "" if absent
};

// Every sample line (comments skipped). Malformed lines are skipped.
[[nodiscard]] std::vector<MetricSample> parse_metrics(std::string_view text);

// The value of the sample with this name whose labels include `labels`
// (all of them), summed over every such sample; 0 if none.
[[nodiscard]] double metric_sum(const std::vector<MetricSample>& samples, std::string_view name,
                                const std::map<std::string, std::string>& labels = {});

}  // namespace strata::cli
