// The strata CLI's subcommands. Each takes the arguments after its name,
// prints to stdout/stderr, and returns the process exit code; it throws
// UsageError for bad arguments and ClientError for failures.
#pragma once

#include <string>
#include <vector>

namespace strata::cli {

struct Globals {
  std::string broker;  // HOST:PORT
};

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
