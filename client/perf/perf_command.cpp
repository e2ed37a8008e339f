// strata perf: benchmark subcommands (produce, consume, latency).
#include <iostream>

#include "client/cli/cli_util.h"
#include "client/perf/perf_benches.h"

namespace strata::cli {

namespace {
const char* kPerfUsage =
    "usage: strata perf SUBCOMMAND [OPTIONS]   (each has --help)\n"
    "\n"
    "  produce --topic T --messages N [--size BYTES] [--keys K] [--partitions P] [--producers C]\n"
    "          [--acks none|leader|durable] [--batch-bytes B] [--linger-ms MS] [--delivery-timeout T] [--json]\n"
    "      throughput (msgs/s, MB/s of value payload) and ack latency percentiles\n"
    "  consume --topic T [--messages N] [--consumers C] [--json]\n"
    "      read from offset 0 to the log end (or N messages): msgs/s, MB/s\n"
    "  latency --topic T --rate R (--messages N | --seconds S) [--size BYTES] [--acks ...] [--json]\n"
    "      end-to-end latency at a fixed rate, measured from each message's scheduled send time\n";
}  // namespace

int perf_command(const Globals& g, const Args& args) {
  if (args.empty()) throw UsageError("perf: which benchmark? produce, consume or latency (see strata perf --help)");
  const std::string& sub = args.front();
  const Args rest(args.begin() + 1, args.end());
  if (sub == "--help" || sub == "-h") {
    std::cout << kPerfUsage;
    return 0;
  }
  if (sub == "produce") return perf::produce_bench(g, rest);
  if (sub == "consume") return perf::consume_bench(g, rest);
  if (sub == "latency") return perf::latency_bench(g, rest);
  throw UsageError("perf: unknown benchmark '" + sub + "' (choose produce, consume or latency; see strata perf --help)");
}

}  // namespace strata::cli
