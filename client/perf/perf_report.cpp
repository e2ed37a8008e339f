#include "client/perf/perf_report.h"

#include <cmath>
#include <cstdio>

namespace strata::perf {

namespace {
std::string number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);  // never exponent form
  return buf;
}
double ms(std::int64_t units, double ns_per_unit) { return static_cast<double>(units) * ns_per_unit / 1e6; }
}  // namespace

JsonObject& JsonObject::add(const std::string& key, std::uint64_t value) {
  body_.append(body_.empty() ? "" : ",").append("\"").append(key).append("\":").append(std::to_string(value));
  return *this;
}

JsonObject& JsonObject::add(const std::string& key, double value) {
  body_.append(body_.empty() ? "" : ",").append("\"").append(key).append("\":").append(number(value));
  return *this;
}

JsonObject& JsonObject::add(const std::string& key, std::optional<double> value) {
  if (value) return add(key, *value);
  body_.append(body_.empty() ? "" : ",").append("\"").append(key).append("\":null");
  return *this;
}

std::string JsonObject::str() const { return "{" + body_ + "}\n"; }

void Throughput::add_to(JsonObject& json) const {
  json.add("messages", messages).add("bytes", bytes).add("seconds", seconds);
  json.add("msgs_per_sec", msgs_per_sec()).add("mb_per_sec", mb_per_sec());
}

std::string Throughput::text() const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%.0f msgs/s, %.1f MB/s (MB = 10^6 bytes of value payload), %llu messages in %.3f s",
                msgs_per_sec(), mb_per_sec(), static_cast<unsigned long long>(messages), seconds);
  return buf;
}

void add_percentiles(JsonObject& json, const LatencyHistogram* h, double ns_per_unit, const std::string& prefix) {
  auto at = [h, ns_per_unit](double q) -> std::optional<double> {
    if (!h) return std::nullopt;
    return ms(q < 1 ? h->percentile(q) : h->max(), ns_per_unit);
  };
  json.add(prefix + "p50_ms", at(0.5))
      .add(prefix + "p99_ms", at(0.99))
      .add(prefix + "p999_ms", at(0.999))
      .add(prefix + "max_ms", at(1.0));
}

std::string percentiles_text(const LatencyHistogram& h, double ns_per_unit) {
  const double k = ns_per_unit;
  char buf[256];
  std::snprintf(buf, sizeof buf, "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (%llu samples)",
                ms(h.percentile(0.5), k), ms(h.percentile(0.99), k), ms(h.percentile(0.999), k), ms(h.max(), k),
                static_cast<unsigned long long>(h.count()));
  return buf;
}

}  // namespace strata::perf
