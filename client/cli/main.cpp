// strata: the command-line client. `strata [-b HOST:PORT] COMMAND ... [-b HOST:PORT]`
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "client/cli/cli_util.h"
#include "client/cli/commands.h"
#include "strata/client.h"
#include "strata/build_info.h"

namespace {

const char* kUsage =
    "usage: strata [-b|--broker HOST:PORT[,HOST:PORT...]] COMMAND [ARGS]   (strata --version)\n"
    "\n"
    "  topic create NAME --partitions N [--retention-ms T] [--retention-bytes B]\n"
    "                    [--segment-bytes B] [--segment-ms T] [--max-message-bytes B]\n"
    "                    [--index-interval-bytes B] [--pagecache-keep-bytes B]\n"
    "  topic list | describe NAME | alter NAME --retention-ms T ... | delete NAME\n"
    "  produce TOPIC [--key K | --key-separator SEP] [--partition P] [-H NAME=VALUE] [--acks none|leader|durable]\n"
    "                [--file PATH]\n"
    "                [--max-block T] [--delivery-timeout T] [--buffer B]\n"
    "  consume TOPIC [--partition P] [-o N|-N|earliest|end|@TIME] [--from-time TIME] [--until-time TIME] [--count N]\n"
    "                [--follow] [--format text|json]\n"
    "  offsets TOPIC [--at-time TIME]\n"
    "  partition-for TOPIC KEY\n"
    "  perf produce|consume|latency --topic T ...   benchmarks (strata perf --help)\n"
    "  top [--metrics HOST:PORT] [--interval T]   live rates from the broker's /metrics\n"
    "  cluster [--format text|json]   brokers, controller and partitions led (cluster mode)\n"
    "\n"
    "-b/--broker may come anywhere on the line; HOST is a name, an IPv4 address or [IPv6];\n"
    "a comma-separated list is a bootstrap list (the first that answers is used).\n"
    "--broker defaults to $STRATA_BROKER, then 127.0.0.1:9392. Sizes take 64MiB-style\n"
    "suffixes, durations 500ms/30s/15m/1h/7d, times ISO 8601 or epoch milliseconds.\n"
    "Every command has --help.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace strata;
  cli::Globals globals{default_broker_address()};
  // -b/--broker anywhere on the line (kcat's and rpk's habit); the rest
  // keeps its order.
  std::vector<std::string> rest;
  std::optional<std::string> broker;  // as typed; given twice differently is refused
  auto set_broker = [&broker, &globals](const std::string& value) {
    if (broker && *broker != value) {
      std::cerr << "strata: -b/--broker given twice (" << *broker << " and " << value
                << "); give one, with a comma-separated list for several brokers\n";
      return false;
    }
    broker = globals.broker = value;
    return true;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--") {
      rest.insert(rest.end(), argv + i, argv + argc);
      break;
    }
    if (a == "-b" || a == "--broker") {
      if (i + 1 >= argc) {
        std::cerr << "strata: " << a << " needs HOST:PORT[,HOST:PORT...]\n";
        return 2;
      }
      if (!set_broker(argv[++i])) return 2;
    } else if (a.starts_with("--broker=")) {
      if (!set_broker(a.substr(9))) return 2;
    } else if (a.starts_with("-b") && a.size() > 2 && a[2] != '-') {
      if (!set_broker(a.substr(2))) return 2;
    } else {
      rest.push_back(a);
    }
  }
  std::size_t i = 0;
  for (; i < rest.size() && rest[i][0] == '-'; ++i) {
    const std::string& a = rest[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--version") {
      std::cout << "strata " << kVersion << " (commit " << kGitCommit << ")\n";
      return 0;
    }
    std::cerr << "strata: unknown option '" << a << "'\n" << kUsage;
    return 2;
  }
  if (i >= rest.size()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = rest[i];
  const cli::Args args(rest.begin() + static_cast<std::ptrdiff_t>(i) + 1, rest.end());
  try {    if (command == "topic") return cli::topic_command(globals, args);
    if (command == "produce") return cli::produce_command(globals, args);
    if (command == "consume") return cli::consume_command(globals, args);
    if (command == "offsets") return cli::offsets_command(globals, args);
    if (command == "partition-for") return cli::partition_for_command(globals, args);
    if (command == "perf") return cli::perf_command(globals, args);
    if (command == "top") return cli::top_command(globals, args);
    if (command == "cluster") return cli::cluster_command(globals, args);
    std::cerr << "strata: unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const cli::UsageError& e) {
    std::cerr << "strata: " << e.what() << "\n";
    return 2;
  } catch (const Error& e) {
    std::cerr << "strata: " << e.what() << "\n";
    return 1;
  }
}
