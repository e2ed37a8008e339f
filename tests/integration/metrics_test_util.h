// Helpers of the metrics tests: the metrics port a broker logged, a scrape
// of its /metrics (parsed with the CLI's parser), and one sample's value.
// client/cli/metrics_text.h is the strata CLI's code (what `strata top`
// reads /metrics with), not the client library's: reused here instead of a
// hand-written Prometheus parser, and a named exception of the
// public-headers check (tests/tools/public_headers_check.cmake).
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "client/cli/metrics_text.h"
#include "tests/integration/broker_process.h"

namespace strata::it {

// The port of "metrics on http://127.0.0.1:PORT/metrics" in the log; throws
// std::runtime_error if the broker did not log it.
[[nodiscard]] inline std::uint16_t metrics_port(const BrokerProcess& broker) {
  const std::string needle = "metrics on http://127.0.0.1:";
  for (const auto& line : broker.log_lines()) {
    if (auto at = line.find(needle); at != std::string::npos) {
      return static_cast<std::uint16_t>(std::stoul(line.substr(at + needle.size())));
    }
  }
  throw std::runtime_error("the broker logged no metrics port:\n" + broker.log_text());
}

[[nodiscard]] inline std::string metrics_address(const BrokerProcess& broker) {
  return "127.0.0.1:" + std::to_string(metrics_port(broker));
}

// GET /metrics; REQUIREs a 200.
[[nodiscard]] inline std::string scrape_text(const BrokerProcess& broker) {
  const cli::HttpReply reply = cli::http_get(metrics_address(broker), "/metrics");
  REQUIRE(reply.status == 200);
  return reply.body;
}

[[nodiscard]] inline std::vector<cli::MetricSample> scrape(const BrokerProcess& broker) {
  return cli::parse_metrics(scrape_text(broker));
}

}  // namespace strata::it
