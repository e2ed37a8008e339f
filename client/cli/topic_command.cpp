// strata topic create|list|describe|alter|delete
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>

#include "client/cli/json_output.h"
#include "client/cli/options.h"
#include "strata/client.h"
#include "protocol/topic_config_schema.h"

namespace strata::cli {

namespace {

// Every alterable topic config is an option (--segment-bytes for
// segment.bytes); its help is the broker's schema row, so the help never
// offers a value the broker refuses.
std::string flag(std::string_view key) {
  std::string f(key);
  for (char& c : f) c = c == '.' ? '-' : c;
  return f;
}

std::string help_of(const protocol::TopicConfigSpec& spec) {
  std::string help(spec.doc);
  if (spec.unit == protocol::TopicConfigSpec::Unit::ms) help += "; a duration like 7d, 12h, 500ms";
  if (spec.unit == protocol::TopicConfigSpec::Unit::bytes) help += "; a size like 64MiB";
  return help + ": " + protocol::allowed_values(spec) + " [default: " +
         protocol::format_topic_config(spec, spec.default_value) + "]";
}

void add_config_options(po::options_description& d) {
  for (const auto& spec : protocol::topic_config_schema()) {
    if (spec.alterable) d.add_options()(flag(spec.key).c_str(), po::value<std::string>(), help_of(spec).c_str());
  }
}

std::map<std::string, std::string> config_entries(const po::variables_map& vm) {
  std::map<std::string, std::string> out;
  for (const auto& spec : protocol::topic_config_schema()) {
    const std::string f = flag(spec.key);
    if (!spec.alterable || !vm.count(f)) continue;
    const std::string text = vm[f].as<std::string>();
    if (spec.unit == protocol::TopicConfigSpec::Unit::choice) {
      out.emplace(std::string(spec.key), text);  // the broker checks the name against the schema
      continue;
    }
    const std::int64_t v =
        spec.unit == protocol::TopicConfigSpec::Unit::ms ? duration_option(f, text) : size_option(f, text);
    out.emplace(std::string(spec.key), std::to_string(v));
  }
  return out;
}

Client connect(const Globals& g) { return Client(client_options(g)); }

int create(const Globals& g, const Args& args) {
  po::options_description d("strata topic create NAME --partitions N [configs]");
  d.add_options()("name", po::value<std::string>()->required(), "topic name")(
      "partitions,p", po::value<std::uint32_t>()->required(), "number of partitions");
  add_config_options(d);
  po::positional_options_description pos;
  pos.add("name", 1);
  po::variables_map vm;
  if (!parse_args("topic create", args, d, pos, vm)) return 0;
  auto client = connect(g);
  const auto name = vm["name"].as<std::string>();
  client.create_topic(name, vm["partitions"].as<std::uint32_t>(), config_entries(vm));
  std::cout << "created topic " << name << " with " << vm["partitions"].as<std::uint32_t>() << " partitions\n";
  return 0;
}

int alter(const Globals& g, const Args& args) {
  po::options_description d("strata topic alter NAME [--partitions N | --retention-ms T --retention-bytes B ...]");
  d.add_options()("name", po::value<std::string>()->required(), "topic name")(
      "partitions,p", po::value<std::uint32_t>(),
      "grow the topic to N partitions (never fewer); keys then map to other partitions");
  add_config_options(d);
  po::positional_options_description pos;
  pos.add("name", 1);
  po::variables_map vm;
  if (!parse_args("topic alter", args, d, pos, vm)) return 0;
  auto entries = config_entries(vm);
  const auto name = vm["name"].as<std::string>();
  if (vm.count("partitions")) {
    if (!entries.empty()) throw UsageError("topic alter: change --partitions alone, not with other configs");
    const auto n = vm["partitions"].as<std::uint32_t>();
    auto client = connect(g);
    const auto had = client.partition_count(name, true);
    client.alter_configs(name, {{"partitions", std::to_string(n)}});
    std::cout << "altered topic " << name << ": partitions=" << n;
    if (n > had) {
      std::cout << " (was " << had << "; a key now maps to hash mod " << n
                << ", so new records of a key may go to another partition than its old ones)";
    }
    std::cout << "\n";
    return 0;
  }
  if (entries.empty()) throw UsageError("topic alter: name at least one config to change (see --help)");
  auto client = connect(g);
  client.alter_configs(name, entries);
  std::cout << "altered topic " << name << ":";
  for (const auto& [key, value] : entries) std::cout << " " << key << "=" << value;
  std::cout << "\n";
  return 0;
}

int named(const Globals& g, const std::string& sub, const Args& args, std::string& name) {
  po::options_description d("strata topic " + sub + " NAME");
  d.add_options()("name", po::value<std::string>()->required(), "topic name");
  po::positional_options_description pos;
  pos.add("name", 1);
  po::variables_map vm;
  if (!parse_args("topic " + sub, args, d, pos, vm)) return 0;
  name = vm["name"].as<std::string>();
  (void)g;
  return 1;
}

void print_retention(const std::vector<PartitionRetention>& partitions) {
  std::cout << std::left << std::setw(10) << "partition" << std::right << std::setw(21) << "oldest segment"
            << std::setw(26) << "largest timestamp" << std::setw(14) << "bytes" << "  kept by\n";
  for (const auto& p : partitions) {
    std::cout << std::left << std::setw(10) << p.partition << std::right << std::setw(21) << p.oldest_base_offset
              << std::setw(26) << (p.oldest_max_timestamp ? format_time_ms(*p.oldest_max_timestamp) : std::string("-")) << std::setw(14) << p.oldest_size_bytes
              << "  " << p.reason_text << "\n";
  }
}

// One object for the topic: {"topic":..., "partitions":[{...}, ...]}.
std::string retention_json(const std::string& topic, const std::vector<PartitionRetention>& partitions) {
  std::string out = "{\"topic\":" + json_string(topic) + ",\"partitions\":[";
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    const auto& p = partitions[i];
    out += std::string(i ? "," : "") + "{\"partition\":" + std::to_string(p.partition) +
           ",\"oldest_base_offset\":" + std::to_string(p.oldest_base_offset) +
           ",\"oldest_size_bytes\":" + std::to_string(p.oldest_size_bytes) + ",\"oldest_max_timestamp\":" +
           (p.oldest_max_timestamp ? std::to_string(*p.oldest_max_timestamp) : std::string("null")) +
           ",\"segments\":" + std::to_string(p.segments) + ",\"reason\":" +
           json_string(p.reason) + ",\"reason_time\":" +
           (p.reason_time ? std::to_string(*p.reason_time) : std::string("null")) +
           ",\"reason_text\":" + json_string(p.reason_text) + "}";
  }
  return out + "]}";
}

int describe(const Globals& g, const Args& args) {
  po::options_description d("strata topic describe NAME [--retention] [--format text|json]");
  d.add_options()("name", po::value<std::string>()->required(), "topic name")(
      "retention", "per partition: the oldest segment, its largest timestamp and size, and the rule that keeps it")(
      "format", po::value<std::string>()->default_value("text"), "text or json");
  po::positional_options_description pos;
  pos.add("name", 1);
  po::variables_map vm;
  if (!parse_args("topic describe", args, d, pos, vm)) return 0;
  const auto name = vm["name"].as<std::string>();
  const auto format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") throw UsageError("topic describe: --format must be text or json");
  auto client = connect(g);
  if (vm.count("retention")) {
    const auto partitions = client.describe_retention(name);
    if (format == "json") {
      std::cout << retention_json(name, partitions) << "\n";
    } else {
      std::cout << "topic " << name << " (" << partitions.size() << " partitions): what keeps the oldest segment\n";
      print_retention(partitions);
    }
    return 0;
  }
  const TopicInfo t = client.describe_topic(name);
  // Cluster mode names each partition's leader.
  const bool clustered = std::any_of(t.details.begin(), t.details.end(), [](const PartitionInfo& p) {
    return p.leader >= 0 || p.error == ErrorCode::leader_not_available;
  });
  if (format == "json") {
    std::cout << topic_describe_json(t, client.describe_configs(name), clustered) << "\n";
    return 0;
  }
  std::cout << "topic " << t.name << " (" << t.partitions << " partitions)\n";
  std::cout << std::left << std::setw(10) << "partition" << std::right << std::setw(16) << "earliest"
            << std::setw(16) << "latest" << std::setw(16) << "messages" << std::setw(16) << "bytes"
            << (clustered ? "  leader" : "") << "\n";
  for (const auto& p : t.details) {
    std::cout << std::left << std::setw(10) << p.partition << std::right;
    if (p.error == ErrorCode::none) {
      std::cout << std::setw(16) << p.earliest << std::setw(16) << p.latest << std::setw(16)
                << (p.latest - p.earliest) << std::setw(16) << p.size_bytes;
    } else {  // cluster mode: its broker is down
      std::cout << std::setw(64) << error_name(p.error);
    }
    if (clustered) std::cout << "  " << p.leader;
    std::cout << "\n";
  }
  std::cout << "configs:\n";
  for (const auto& [key, value] : client.describe_configs(name)) std::cout << "  " << key << " = " << value << "\n";
  return 0;
}

int list(const Globals& g, const Args& args) {
  po::options_description d("strata topic list [--format text|json]");
  add_format_option(d);
  po::variables_map vm;
  if (!parse_args("topic list", args, d, {}, vm)) return 0;
  const bool json = json_format("topic list", vm);
  auto client = connect(g);
  for (const auto& t : client.list_topics()) {
    if (json) {
      std::cout << topic_list_json(t) << "\n";
      continue;
    }
    if (t.being_deleted) {
      std::cout << t.name << "\tbeing deleted\n";
      continue;
    }
    std::cout << t.name << "\t" << t.partitions << " partitions\t" << t.size_bytes << " bytes\n";
  }
  return 0;
}

int remove(const Globals& g, const Args& args) {
  std::string name;
  if (!named(g, "delete", args, name)) return 0;
  auto client = connect(g);
  client.delete_topic(name);
  std::cout << "deleted topic " << name << "\n";
  return 0;
}

}  // namespace

int topic_command(const Globals& g, const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: strata topic create|list|describe|alter|delete ... (each has --help)\n";
    return args.empty() ? 2 : 0;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "create") return create(g, rest);
  if (args[0] == "list") return list(g, rest);
  if (args[0] == "describe") return describe(g, rest);
  if (args[0] == "alter") return alter(g, rest);
  if (args[0] == "delete") return remove(g, rest);
  throw UsageError("topic: unknown subcommand '" + args[0] + "' (create, list, describe, alter, delete)");
}

}  // namespace strata::cli
