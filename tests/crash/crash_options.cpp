#include "tests/crash/crash_options.h"

#include <charconv>
#include <string_view>

namespace strata::crash {

namespace {

template <typename T>
bool parse_number(std::string_view text, T& out, T min) {
  T v{};
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || ptr != text.data() + text.size() || v < min) return false;
  out = v;
  return true;
}

// "kill,pause,partition" (any non-empty subset).
bool parse_faults(std::string_view text, CrashOptions& o) {
  o.fault_kill = o.fault_pause = o.fault_partition = false;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view f = text.substr(0, comma);
    if (f == "kill") {
      o.fault_kill = true;
    } else if (f == "pause") {
      o.fault_pause = true;
    } else if (f == "partition") {
      o.fault_partition = true;
    } else {
      return false;
    }
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return o.fault_kill || o.fault_pause || o.fault_partition;
}

}  // namespace

std::string crash_usage() {
  return "Usage: strata-crash-test [OPTIONS]\n"
         "Produces to a real strata-broker with several threads, SIGKILLs it at random moments, restarts it\n"
         "on the same port and data directory, and checks the log against every acknowledged send.\n"
         "  --acks durable|leader   durable: no acknowledged message may be lost (default durable)\n"
         "  --rounds N              kills (default 20)\n"
         "  --seed S                random seed, printed at start (default: random)\n"
         "  --producers N           producer threads (default 4)\n"
         "  --brokers N             1: one standalone broker; more: a cluster with its own etcd, one broker\n"
         "                          killed per round (default 1)\n"
         "  --faults LIST           what a round does to one broker, picked at random from LIST, a comma list of\n"
         "                          kill, pause (SIGSTOP/SIGCONT), partition (network namespaces; needs root);\n"
         "                          pause and partition need --brokers > 1 (default kill)\n"
         "  --outage-max-ms T       longest pause or partition (default 4000)\n"
         "  --partitions N          partitions of the topic (default 4)\n"
         "  --segment-bytes B       segment.bytes of the topic, >= 1024 (default 65536)\n"
         "  --kill-min-ms T         earliest kill after the broker is ready (default 50)\n"
         "  --kill-max-ms T         latest kill after the broker is ready (default 500)\n"
         "  --down-max-ms T         longest time the broker stays dead (default 150)\n"
         "  --max-outstanding N     unanswered sends per producer (default 512)\n"
         "  --rate N                sends per second per producer, 0 = unlimited (default 0)\n"
         "  --start-timeout-ms T    a restart slower than this fails the test (default 30000)\n"
         "  --final-check-only      read and check the log only at the end\n"
         "  --no-idempotence        producers without sequence numbers: retry duplicates allowed\n"
         "  --keep-dir DIR          where the data and logs go on failure (default <tmp>/strata-crash-<seed>)\n";
}

ParsedOptions parse_crash_options(int argc, char** argv) {
  ParsedOptions out;
  CrashOptions& o = out.options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      out.help = true;
      return out;
    }
    if (flag == "--final-check-only") {
      o.check_every_round = false;
      continue;
    }
    if (flag == "--no-idempotence") {
      o.idempotence = false;
      continue;
    }
    if (i + 1 >= argc) {
      out.error = "option " + std::string(flag) + " needs a value (or is unknown); see --help";
      return out;
    }
    const std::string_view value = argv[++i];
    bool ok = true;
    if (flag == "--acks") {
      if (value == "durable") {
        o.acks = strata::Acks::durable;
      } else if (value == "leader") {
        o.acks = strata::Acks::leader;
      } else {
        ok = false;
      }
    } else if (flag == "--rounds") {
      ok = parse_number(value, o.rounds, 1u);
    } else if (flag == "--seed") {
      ok = parse_number(value, o.seed, std::uint64_t{1});
    } else if (flag == "--producers") {
      ok = parse_number(value, o.producers, 1u);
    } else if (flag == "--brokers") {
      ok = parse_number(value, o.brokers, 1u);
    } else if (flag == "--faults") {
      ok = parse_faults(value, o);
    } else if (flag == "--outage-max-ms") {
      ok = parse_number(value, o.outage_max_ms, 0u);
    } else if (flag == "--partitions") {
      ok = parse_number(value, o.partitions, 1u);
    } else if (flag == "--segment-bytes") {
      ok = parse_number(value, o.segment_bytes, std::uint64_t{1024});
    } else if (flag == "--kill-min-ms") {
      ok = parse_number(value, o.kill_min_ms, 0u);
    } else if (flag == "--kill-max-ms") {
      ok = parse_number(value, o.kill_max_ms, 0u);
    } else if (flag == "--down-max-ms") {
      ok = parse_number(value, o.down_max_ms, 0u);
    } else if (flag == "--max-outstanding") {
      ok = parse_number(value, o.max_outstanding, 1u);
    } else if (flag == "--rate") {
      ok = parse_number(value, o.rate, 0u);
    } else if (flag == "--start-timeout-ms") {
      ok = parse_number(value, o.start_timeout_ms, 1u);
    } else if (flag == "--keep-dir") {
      o.keep_dir = std::string(value);
    } else {
      out.error = "unknown option " + std::string(flag) + "; see --help";
      return out;
    }
    if (!ok) {
      out.error = "bad value '" + std::string(value) + "' for " + std::string(flag) + "; see --help";
      return out;
    }
  }
  if (o.kill_max_ms < o.kill_min_ms) out.error = "--kill-max-ms must be >= --kill-min-ms";
  if ((o.fault_pause || o.fault_partition) && o.brokers < 2) out.error = "--faults pause/partition need --brokers 2 or more";
  return out;
}

std::string describe(const CrashOptions& o) {
  std::string s = "strata-crash-test --acks ";
  s += o.acks == strata::Acks::durable ? "durable" : "leader";
  s += " --rounds " + std::to_string(o.rounds) + " --seed " + std::to_string(o.seed) + " --producers " +
       std::to_string(o.producers) + " --brokers " + std::to_string(o.brokers) + " --partitions " + std::to_string(o.partitions) + " --segment-bytes " +
       std::to_string(o.segment_bytes) + " --kill-min-ms " + std::to_string(o.kill_min_ms) + " --kill-max-ms " +
       std::to_string(o.kill_max_ms) + " --down-max-ms " + std::to_string(o.down_max_ms) +
       " --max-outstanding " + std::to_string(o.max_outstanding) + " --rate " + std::to_string(o.rate) +
       " --start-timeout-ms " + std::to_string(o.start_timeout_ms);
  std::string faults;
  if (o.fault_kill) faults += ",kill";
  if (o.fault_pause) faults += ",pause";
  if (o.fault_partition) faults += ",partition";
  s += " --faults " + faults.substr(1) + " --outage-max-ms " + std::to_string(o.outage_max_ms);
  if (!o.check_every_round) s += " --final-check-only";
  if (!o.idempotence) s += " --no-idempotence";
  return s;
}

}  // namespace strata::crash
