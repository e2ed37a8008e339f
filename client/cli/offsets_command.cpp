// strata offsets.
#include <iostream>

#include "client/cli/json_output.h"
#include "client/cli/options.h"
#include "strata/client.h"

namespace strata::cli {

int offsets_command(const Globals& g, const Args& args) {
  po::options_description d("strata offsets TOPIC [--at-time TIME]");
  d.add_options()("topic", po::value<std::string>()->required(), "topic")(
      "at-time", po::value<std::string>(), "first offset at or after TIME (ISO 8601 or ms) instead of earliest/latest");
  add_format_option(d);
  po::positional_options_description pos;
  pos.add("topic", 1);
  po::variables_map vm;
  if (!parse_args("offsets", args, d, pos, vm)) return 0;
  const bool json = json_format("offsets", vm);
  const std::string topic = vm["topic"].as<std::string>();
  Client client(client_options(g));
  const std::uint32_t partitions = client.partition_count(topic);
  if (json) {
    std::vector<PartitionOffsets> rows(partitions);
    std::optional<std::int64_t> at;
    if (vm.count("at-time")) at = time_option("at-time", vm["at-time"].as<std::string>());
    for (std::uint32_t p = 0; p < partitions; ++p) {
      rows[p].partition = p;
      rows[p].at_time = at;
      if (at) {
        rows[p].offset = client.list_offset(topic, p, *at);
      } else {
        rows[p].earliest = client.list_offset(topic, p, kEarliestOffset);
        rows[p].latest = client.list_offset(topic, p, kLatestOffset);
      }
    }
    std::cout << offsets_json(topic, rows) << "\n";
    return 0;
  }
  if (vm.count("at-time")) {
    const std::int64_t at = time_option("at-time", vm["at-time"].as<std::string>());
    std::cout << "partition\toffset at " << format_time_ms(at) << "\n";
    for (std::uint32_t p = 0; p < partitions; ++p) {
      const auto o = client.list_offset(topic, p, at);
      std::cout << p << "\t" << (o == kNoOffset ? std::string("none") : std::to_string(o)) << "\n";
    }
    return 0;
  }
  std::cout << "partition\tearliest\tlatest\n";
  for (std::uint32_t p = 0; p < partitions; ++p) {
    std::cout << p << "\t" << client.list_offset(topic, p, kEarliestOffset) << "\t"
              << client.list_offset(topic, p, kLatestOffset) << "\n";
  }
  return 0;
}

}  // namespace strata::cli
