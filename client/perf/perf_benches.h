// The `strata perf` subcommands, one source file each. Each parses its
// arguments (perf_options.h), runs against the broker in `g`, prints its
// figures (text, or one JSON object with --json) and returns the exit code:
// 0, or 1 when messages failed. Bad arguments throw cli::UsageError,
// broker failures strata::Error.
#pragma once

#include "client/cli/commands.h"

namespace strata::perf {

int produce_bench(const cli::Globals& g, const cli::Args& args);
int consume_bench(const cli::Globals& g, const cli::Args& args);
int latency_bench(const cli::Globals& g, const cli::Args& args);

}  // namespace strata::perf
