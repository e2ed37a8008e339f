// strata cluster: the brokers of a cluster (id, address, controller,
// partitions led), from Metadata version 1 of the broker asked. A
// standalone broker has no cluster: it says so.
#include <iostream>
#include <map>

#include "client/cli/cli_util.h"
#include "client/cli/commands.h"
#include "client/cli/options.h"
#include "client/client.h"

namespace strata::cli {

int cluster_command(const Globals& g, const Args& args) {
  po::options_description d("strata cluster");
  add_format_option(d);
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_args("cluster", args, d, pos, vm)) return 0;
  const bool json = json_format("cluster", vm);
  client::Client client({g.broker});
  const protocol::MetadataResponseV1 m = client.cluster_metadata();
  std::map<std::int32_t, std::size_t> led;
  for (const auto& topic : m.leaders) {
    for (const std::int32_t l : topic) ++led[l];
  }
  if (json) {
    std::cout << "{\"controller\":" << m.controller << ",\"brokers\":[";
    for (std::size_t i = 0; i < m.brokers.size(); ++i) {
      const auto& b = m.brokers[i];
      std::cout << (i ? "," : "") << "{\"id\":" << b.node_id << ",\"host\":" << json_string(b.host)
                << ",\"port\":" << b.port << ",\"controller\":" << (b.node_id == m.controller ? "true" : "false")
                << ",\"partitions_led\":" << led[b.node_id] << "}";
    }
    std::cout << "],\"partitions_without_leader\":" << led[-1] << "}\n";
    return 0;
  }
  if (m.brokers.empty()) {
    std::cout << "standalone broker (no cluster): it serves every partition itself\n";
    return 0;
  }
  std::cout << "ID\tADDRESS\tCONTROLLER\tPARTITIONS LED\n";
  for (const auto& b : m.brokers) {
    const std::string host = b.host.find(':') != std::string::npos ? "[" + b.host + "]" : b.host;
    std::cout << b.node_id << "\t" << host << ":" << b.port << "\t" << (b.node_id == m.controller ? "yes" : "")
              << "\t" << led[b.node_id] << "\n";
  }
  if (led[-1] > 0) std::cout << led[-1] << " partitions have no leader now (their broker is down)\n";
  return 0;
}

}  // namespace strata::cli
