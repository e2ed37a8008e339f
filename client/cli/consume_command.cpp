// strata consume: print messages from one or all partitions.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <csignal>
#include <iostream>

#include "client/cli/backoff.h"
#include "client/cli/options.h"
#include "client/cli/record_format.h"
#include "strata/client.h"
#include "strata/consumer.h"

namespace strata::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

// Where to start, as the user wrote it: -o earliest|beginning, latest|end,
// N (an offset), -N (N before the end of each partition), @TIME, or
// --from-time TIME.
struct OffsetSpec {
  enum class Kind { earliest, latest, offset, from_end, time } kind = Kind::earliest;
  std::int64_t value = 0;
};

OffsetSpec offset_spec(const po::variables_map& vm) {
  const std::string offset = vm["offset"].as<std::string>();
  refuse_together("consume", vm, "offset", "from-time", "-o @TIME is --from-time TIME");
  if (vm.count("from-time")) {
    return {OffsetSpec::Kind::time, time_option("from-time", vm["from-time"].as<std::string>())};
  }
  if (offset == "earliest" || offset == "beginning") return {OffsetSpec::Kind::earliest, 0};
  if (offset == "latest" || offset == "end") return {OffsetSpec::Kind::latest, 0};
  if (offset.starts_with("@")) return {OffsetSpec::Kind::time, time_option("offset", offset.substr(1))};
  const bool from_end = offset.starts_with("-");
  const std::string digits = from_end ? offset.substr(1) : offset;
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (!digits.empty() && ec == std::errc{} && ptr == digits.data() + digits.size() && v <= INT64_MAX) {
    return {from_end ? OffsetSpec::Kind::from_end : OffsetSpec::Kind::offset, static_cast<std::int64_t>(v)};
  }
  throw UsageError("consume: --offset must be earliest, latest (or end), N, -N (N before the end) or @TIME, not '" +
                   offset + "'");
}

// The start of one partition whose log is [earliest, end). A numeric
// offset is clamped to the log when all partitions are read (each starts
// at min(N, its end)); with --partition it must lie inside it.
StartPosition start_of(const OffsetSpec& spec, bool one_partition, const std::string& topic,
                               std::uint32_t p, std::uint64_t earliest, std::uint64_t end) {
  switch (spec.kind) {
    case OffsetSpec::Kind::earliest: return StartPosition::earliest();
    case OffsetSpec::Kind::latest: return StartPosition::at(end);
    case OffsetSpec::Kind::time: return StartPosition::at_time(spec.value);
    case OffsetSpec::Kind::from_end: {
      const auto back = static_cast<std::uint64_t>(spec.value);
      return StartPosition::at(end - earliest > back ? end - back : earliest);
    }
    case OffsetSpec::Kind::offset: break;
  }
  const auto n = static_cast<std::uint64_t>(spec.value);
  if (one_partition && n > end) {
    throw broker_error(
        ErrorCode::offset_out_of_range,
        "offset " + std::to_string(n) + " is past the end of " + topic + "/" + std::to_string(p) + " (log has " +
            std::to_string(earliest) + ".." + std::to_string(end) + "): use -o end, or -o -N for the last N");
  }
  // Below the log start it is still an error (retention deleted it): the
  // consumer reports it rather than skip records silently.
  return StartPosition::at(std::min(n, end));
}

void print(const ConsumerRecord& r, bool json) {
  if (!json) {
    std::cout << (r.value ? *r.value : std::string()) << '\n';
    return;
  }
  // Built with append: GCC 12 warns falsely (-Wrestrict) on long + chains.
  std::string line;
  line.append("{\"topic\":").append(json_string(r.topic));
  line.append(",\"partition\":").append(std::to_string(r.partition));
  line.append(",\"offset\":").append(std::to_string(r.offset));
  line.append(",\"timestamp\":").append(std::to_string(r.timestamp));
  line.append(",\"key\":").append(r.key ? json_bytes(*r.key) : std::string("null"));
  line.append(",\"value\":").append(r.value ? json_bytes(*r.value) : std::string("null"));
  // Headers as [name, value] pairs: names need not be UTF-8 (or unique),
  // so they cannot be JSON object keys.
  line.append(",\"headers\":[");
  for (std::size_t i = 0; i < r.headers.size(); ++i) {
    if (i > 0) line.append(",");
    line.append("[").append(json_bytes(r.headers[i].name)).append(",").append(json_bytes(r.headers[i].value)).append("]");
  }
  line += "]}\n";
  std::cout << line;
}

}  // namespace

int consume_command(const Globals& g, const Args& args) {
  po::options_description d("strata consume TOPIC [options]");
  d.add_options()("topic", po::value<std::string>()->required(), "topic")(
      "partition,p", po::value<std::uint32_t>(), "only this partition (default: all)")(
      "offset,o", po::value<std::string>()->default_value("earliest"),
      "start: earliest, latest (end), N, -N (N before each partition's end) or @TIME; a number past a "
      "partition's end starts it at its end")(
      "from-time", po::value<std::string>(), "start at the first message at or after TIME (ISO 8601 or ms)")(
      "until-time", po::value<std::string>(), "stop each partition before its first message after TIME")(
      "count,n", po::value<std::uint64_t>(), "stop after N messages")(
      "follow,F", po::bool_switch(), "keep printing new messages until interrupted")(
      "format", po::value<std::string>()->default_value("text"),
      "text (values), json (one object per line), or a kcat-style string: %t %p %o %k %s %T %h, \\n");
  po::positional_options_description pos;
  pos.add("topic", 1);
  // "-o -10" is an offset, not an option named "-1": glue it to its flag.
  Args glued;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool flag = args[i] == "-o" || args[i] == "--offset";
    if (flag && i + 1 < args.size() && args[i + 1].size() > 1 && args[i + 1][0] == '-' &&
        std::isdigit(static_cast<unsigned char>(args[i + 1][1]))) {
      glued.push_back("--offset=" + args[++i]);
    } else {
      glued.push_back(args[i]);
    }
  }
  po::variables_map vm;
  if (!parse_args("consume", glued, d, pos, vm)) return 0;
  const std::string format = vm["format"].as<std::string>();
  const bool custom = is_record_format(format);
  if (custom) check_record_format(format);
  if (!custom && format != "text" && format != "json") {
    throw UsageError("consume: --format must be text, json or a format string with %s etc., not '" + format + "'");
  }
  const bool json = format == "json";
  const bool follow = vm["follow"].as<bool>();
  const auto limit = vm.count("count") ? vm["count"].as<std::uint64_t>() : UINT64_MAX;
  const std::string topic = vm["topic"].as<std::string>();

  Client client(client_options(g));
  const std::uint32_t partitions = client.partition_count(topic);
  Consumer consumer(client);
  const OffsetSpec spec = offset_spec(vm);
  std::optional<std::int64_t> until;
  if (vm.count("until-time")) until = time_option("until-time", vm["until-time"].as<std::string>());
  if (until && spec.kind == OffsetSpec::Kind::time && *until < spec.value) {
    throw UsageError("consume: --until-time is before the start time (-o @TIME or --from-time): nothing to read");
  }
  std::vector<std::uint32_t> assigned;
  if (vm.count("partition")) {
    assigned.push_back(vm["partition"].as<std::uint32_t>());
  } else {
    for (std::uint32_t p = 0; p < partitions; ++p) assigned.push_back(p);
  }
  // Without --follow, stop at the log end as it is now; with --until-time,
  // at the first record after it.
  std::vector<std::uint64_t> stop_at;
  for (auto p : assigned) {
    client.check_partition(topic, p);
    const auto end = static_cast<std::uint64_t>(client.list_offset(topic, p, kLatestOffset));
    const auto earliest = static_cast<std::uint64_t>(client.list_offset(topic, p, kEarliestOffset));
    consumer.assign(topic, p, start_of(spec, vm.count("partition") > 0, topic, p, earliest, end));
    stop_at.push_back(end);
    if (until) {
      const std::int64_t after = client.list_offset(topic, p, *until + 1);
      if (after != kNoOffset) stop_at.back() = static_cast<std::uint64_t>(after);
    }
  }
  const bool follow_on = follow && !until;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::uint64_t printed = 0;
  auto done = [&] {
    if (printed >= limit || g_interrupted) return true;
    if (follow_on) return false;
    for (std::size_t i = 0; i < assigned.size(); ++i) {
      if (consumer.position(topic, assigned[i]) < stop_at[i]) return false;
    }
    return true;
  };
  Backoff backoff;
  bool reconnecting = false;
  while (!done()) {
    std::vector<ConsumerRecord> records;
    try {
      records = consumer.poll(follow_on ? 500 : 100);
    } catch (const Error& e) {
      // --follow rides out a broker restart (in cluster mode its partitions
      // are LEADER_NOT_AVAILABLE meanwhile); the positions are kept (an
      // error hands nothing over), so it resumes at the next offset.
      const bool lost = e.kind() == Error::Kind::network || e.kind() == Error::Kind::timeout ||
                        e.code() == ErrorCode::leader_not_available;
      if (e.code() == ErrorCode::offset_out_of_range) {  // the hint for the CLI, not the library
        throw Error(e.kind(), e.code(),
                    std::string(e.what()) + "; here: -o earliest starts at the log start, -o end at its end (strata "
                                            "offsets TOPIC shows both)");
      }
      if (!follow_on || !lost) throw;
      const auto wait = backoff.next();
      std::cerr << "strata: " << e.what() << "; reconnecting in " << wait.count() << " ms\n";
      Backoff::sleep(wait, [] { return g_interrupted != 0; });
      reconnecting = true;
      continue;
    }
    if (reconnecting) {
      std::cerr << "strata: reconnected to " << g.broker << "; resuming at the next offset\n";
      reconnecting = false;
      backoff.reset();
    }
    for (const auto& r : records) {
      if (!follow_on) {
        const auto idx = static_cast<std::size_t>(std::find(assigned.begin(), assigned.end(), r.partition) - assigned.begin());
        if (r.offset >= stop_at[idx]) continue;
      }
      if (custom) {
        std::cout << render_record(format, r);
      } else {
        print(r, json);
      }
      if (++printed >= limit) break;
    }
    std::cout.flush();
  }
  return 0;
}

}  // namespace strata::cli
