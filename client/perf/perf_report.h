// How the perf benches print: one flat JSON object (keys in insertion
// order, numbers or null) for --json, and the human-readable figures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "client/perf/latency_histogram.h"

namespace strata::perf {

class JsonObject {
 public:
  JsonObject& add(const std::string& key, std::uint64_t value);
  JsonObject& add(const std::string& key, double value);
  // null when absent
  JsonObject& add(const std::string& key, std::optional<double> value);
  // "{...}\n"
  [[nodiscard]] std::string str() const;

 private:
  std::string body_;
};

struct Throughput {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;  // value payload
  double seconds = 0;
  [[nodiscard]] double msgs_per_sec() const noexcept { return seconds > 0 ? static_cast<double>(messages) / seconds : 0; }
  // MB = 10^6 bytes of value payload
  [[nodiscard]] double mb_per_sec() const noexcept { return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0; }
  void add_to(JsonObject& json) const;
  // "1234567 msgs/s, 123.5 MB/s (MB = 10^6 bytes of value payload), 5000000 messages in 4.05 s"
  [[nodiscard]] std::string text() const;
};

// Adds PREFIXp50_ms, PREFIXp99_ms, PREFIXp999_ms, PREFIXmax_ms (null when
// `h` is absent); `h` holds values in units of `ns_per_unit` nanoseconds.
void add_percentiles(JsonObject& json, const LatencyHistogram* h, double ns_per_unit = 1.0,
                     const std::string& prefix = "");
// "p50 0.412 ms, p99 1.020 ms, p99.9 3.100 ms, max 7.900 ms (N samples)"
[[nodiscard]] std::string percentiles_text(const LatencyHistogram& h, double ns_per_unit = 1.0);

}  // namespace strata::perf
