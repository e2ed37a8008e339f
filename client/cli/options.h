// Boost.Program_options glue for subcommands: parse a subcommand's
// arguments with named and positional options, turning every parse error
// into a UsageError that names the subcommand.
#pragma once

#include <boost/program_options.hpp>

#include <cctype>
#include <iostream>
#include <string>

#include "client/cli/cli_util.h"
#include "client/cli/commands.h"

namespace strata::cli {

namespace po = boost::program_options;

// Returns false when --help was printed (the caller exits 0).
inline bool parse_args(const std::string& command, const Args& args, po::options_description& named,
                       const po::positional_options_description& positional, po::variables_map& vm) {
  named.add_options()("help,h", "show this help");
  try {
    po::store(po::command_line_parser(args).options(named).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: strata " << command << "\n" << named << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::required_option& e) {
    // A missing positional is named as the usage line writes it ("missing
    // TOPIC"), not as the option behind it ("the option '--topic' ...").
    std::string option = e.get_option_name();
    option.erase(0, option.find_first_not_of('-'));
    for (unsigned i = 0; i < 8 && i < positional.max_total_count(); ++i) {
      if (positional.name_for_position(i) != option) continue;
      for (char& c : option) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      throw UsageError(command + ": missing " + option + " (see strata " + command + " --help)");
    }
    throw UsageError(command + ": " + e.what() + " (see strata " + command + " --help)");
  } catch (const po::error& e) {
    throw UsageError(command + ": " + e.what() + " (see strata " + command + " --help)");
  }
  return true;
}

// Whether the user typed the option (a default value or an unset switch
// does not count).
inline bool given(const po::variables_map& vm, const std::string& option) {
  if (!vm.count(option) || vm[option].defaulted()) return false;
  const auto* flag = boost::any_cast<bool>(&vm[option].value());
  return !flag || *flag;
}

// Refuses two options that contradict each other, given together:
// "COMMAND: use --A or --B, not both (HINT)".
inline void refuse_together(const std::string& command, const po::variables_map& vm, const std::string& a,
                            const std::string& b, const std::string& hint = {}) {
  if (!given(vm, a) || !given(vm, b)) return;
  throw UsageError(command + ": use --" + a + " or --" + b + ", not both" + (hint.empty() ? "" : " (" + hint + ")"));
}

// Adds --format text|json; json_format() reads it (UsageError otherwise).
inline void add_format_option(po::options_description& d) {
  d.add_options()("format", po::value<std::string>()->default_value("text"), "text or json (one object per line)");
}
inline bool json_format(const std::string& command, const po::variables_map& vm) {
  const std::string& f = vm["format"].as<std::string>();
  if (f != "text" && f != "json") throw UsageError(command + ": --format must be text or json, not '" + f + "'");
  return f == "json";
}

}  // namespace strata::cli
