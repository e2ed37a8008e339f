// strata: the command-line client. `strata [--broker HOST:PORT] COMMAND ...`
#include <cstring>
#include <iostream>

#include "client/cli/cli_util.h"
#include "client/cli/commands.h"
#include "client/client.h"
#include "strata/build_info.h"

namespace {

const char* kUsage =
    "usage: strata [--broker HOST:PORT] COMMAND [ARGS]   (strata --version)\n"
    "\n"
    "  topic create NAME --partitions N [--retention-ms T] [--retention-bytes B]\n"
    "                    [--segment-bytes B] [--segment-ms T] [--max-message-bytes B]\n"
    "                    [--index-interval-bytes B] [--pagecache-keep-bytes B]\n"
    "  topic list | describe NAME | alter NAME --retention-ms T ... | delete NAME\n"
    "  produce TOPIC [--key K | --key-separator SEP] [--partition P] [--acks none|leader|durable] [--file PATH]\n"
    "                [--max-block T] [--delivery-timeout T] [--buffer B]\n"
    "  consume TOPIC [--partition P] [--offset N|earliest|latest] [--from-time TIME] [--count N]\n"
    "                [--follow] [--format text|json]\n"
    "  offsets TOPIC [--at-time TIME]\n"
    "  partition-for TOPIC KEY\n"
    "  perf produce|consume|latency --topic T ...   benchmarks (strata perf --help)\n"
    "  top [--metrics HOST:PORT] [--interval T]   live rates from the broker's /metrics\n"
    "\n"
    "--broker defaults to $STRATA_BROKER, then 127.0.0.1:9092. Sizes take 64MiB-style\n"
    "suffixes, durations 500ms/30s/15m/1h/7d, times ISO 8601 or epoch milliseconds.\n"
    "Every command has --help.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace strata;
  cli::Globals globals{client::default_broker_address()};
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--version") {
      std::cout << "strata " << kVersion << " (commit " << kGitCommit << ")\n";
      return 0;
    }
    if (a == "--broker" && i + 1 < argc) {
      globals.broker = argv[++i];
    } else if (a.rfind("--broker=", 0) == 0) {
      globals.broker = a.substr(9);
    } else {
      std::cerr << "strata: unknown option '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  if (i >= argc) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[i];
  const cli::Args args(argv + i + 1, argv + argc);
  try {
    if (command == "topic") return cli::topic_command(globals, args);
    if (command == "produce") return cli::produce_command(globals, args);
    if (command == "consume") return cli::consume_command(globals, args);
    if (command == "offsets") return cli::offsets_command(globals, args);
    if (command == "partition-for") return cli::partition_for_command(globals, args);
    if (command == "perf") return cli::perf_command(globals, args);
    if (command == "top") return cli::top_command(globals, args);
    std::cerr << "strata: unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const cli::UsageError& e) {
    std::cerr << "strata: " << e.what() << "\n";
    return 2;
  } catch (const client::ClientError& e) {
    std::cerr << "strata: " << e.what() << "\n";
    return 1;
  }
}
