// strata cluster: the brokers of a cluster (id, address, controller,
// partitions led), from Metadata version 1 of the broker asked. A
// standalone broker has no cluster: it says so.
#include <iostream>

#include "client/cli/cli_util.h"
#include "client/cli/commands.h"
#include "client/cli/options.h"
#include "strata/client.h"

namespace strata::cli {

int cluster_command(const Globals& g, const Args& args) {
  po::options_description d("strata cluster");
  add_format_option(d);
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_args("cluster", args, d, pos, vm)) return 0;
  const bool json = json_format("cluster", vm);
  Client client(client_options(g));
  const ClusterInfo c = client.describe_cluster();
  if (json) {
    std::cout << "{\"controller\":" << c.controller << ",\"brokers\":[";
    for (std::size_t i = 0; i < c.brokers.size(); ++i) {
      const auto& b = c.brokers[i];
      std::cout << (i ? "," : "") << "{\"id\":" << b.id << ",\"host\":" << json_string(b.host)
                << ",\"port\":" << b.port << ",\"controller\":" << (b.id == c.controller ? "true" : "false")
                << ",\"partitions_led\":" << b.partitions_led << "}";
    }
    std::cout << "],\"partitions_without_leader\":" << c.partitions_without_leader << "}\n";
    return 0;
  }
  if (c.standalone()) {
    std::cout << "standalone broker (no cluster): it serves every partition itself\n";
    return 0;
  }
  std::cout << "ID\tADDRESS\tCONTROLLER\tPARTITIONS LED\n";
  for (const auto& b : c.brokers) {
    const std::string host = b.host.find(':') != std::string::npos ? "[" + b.host + "]" : b.host;
    std::cout << b.id << "\t" << host << ":" << b.port << "\t" << (b.id == c.controller ? "yes" : "") << "\t"
              << b.partitions_led << "\n";
  }
  if (c.partitions_without_leader > 0) {
    std::cout << c.partitions_without_leader << " partitions have no leader now (their broker is down)\n";
  }
  return 0;
}

}  // namespace strata::cli
