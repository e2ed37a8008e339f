// strata partition-for: the partition the native client's partitioner
// (XXH3-64 of the key) picks for a key.
#include <iostream>

#include "client/cli/json_output.h"
#include "client/cli/options.h"
#include "strata/client.h"
#include "strata/producer.h"

namespace strata::cli {

int partition_for_command(const Globals& g, const Args& args) {
  po::options_description d("strata partition-for TOPIC KEY");
  d.add_options()("topic", po::value<std::string>()->required(), "topic")("key", po::value<std::string>()->required(),
                                                                           "key");
  po::positional_options_description pos;
  add_format_option(d);
  pos.add("topic", 1).add("key", 1);
  po::variables_map vm;
  if (!parse_args("partition-for", args, d, pos, vm)) return 0;
  const bool json = json_format("partition-for", vm);
  Client client(client_options(g));
  const std::string topic = vm["topic"].as<std::string>();
  const std::string key = vm["key"].as<std::string>();
  const auto count = client.partition_count(topic);
  const auto partition = partition_for_key(key, count);
  if (json) {
    std::cout << "{\"topic\":" << json_string(topic) << ",\"key\":" << json_bytes(key)
              << ",\"partition\":" << partition << ",\"partitions\":" << count << "}\n";
  } else {
    std::cout << partition << "\n";
  }
  return 0;
}

}  // namespace strata::cli
