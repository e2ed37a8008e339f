// The strata CLI's subcommands. Each takes the arguments after its name,
// prints to stdout/stderr, and returns the process exit code; it throws
// UsageError for bad arguments and strata::Error for failures. The CLI
// uses only the public client API (strata/*.h); its one other include is
// protocol/topic_config_schema.h, the broker's config table that the topic
// flags and their help come from.
#pragma once

#include "strata/client.h"

#include <string>
#include <vector>

namespace strata::cli {

struct Globals {
  std::string broker;  // HOST:PORT
};

// What the commands connect with: the public client's options for g.broker.
[[nodiscard]] inline ClientOptions client_options(const Globals& g) {
  ClientOptions o;
  o.broker = g.broker;
  return o;
}

using Args = std::vector<std::string>;

int topic_command(const Globals& g, const Args& args);
int produce_command(const Globals& g, const Args& args);
int consume_command(const Globals& g, const Args& args);
int offsets_command(const Globals& g, const Args& args);
int partition_for_command(const Globals& g, const Args& args);
int perf_command(const Globals& g, const Args& args);  // client/perf/
int cluster_command(const Globals& g, const Args& args);  // Metadata v1: brokers and leaders
int top_command(const Globals& g, const Args& args);   // reads metrics.listen, not --broker

}  // namespace strata::cli
