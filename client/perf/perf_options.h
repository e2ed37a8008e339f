// Command-line options of `strata perf produce|consume|latency`, parsed
// into plain structs (Boost.Program_options glue from client/cli/options.h).
// parse_* return nullopt when --help was printed; bad input throws
// cli::UsageError naming the subcommand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "client/cli/commands.h"
#include "strata/producer.h"

namespace strata::perf {

// What messages carry (perf produce --payload).
enum class Payload { letters, json };

// What every sending bench shares.
struct SendOptions {
  std::string topic;
  std::uint32_t partitions = 1;  // when the topic is created
  std::size_t size = 100;        // value bytes
  Acks acks = Acks::leader;
  std::size_t batch_bytes = ProducerOptions{}.batch_bytes;
  std::uint32_t linger_ms = ProducerOptions{}.linger_ms;
  Compression compression = Compression::none;
  std::uint32_t delivery_timeout_ms = ProducerOptions{}.delivery_timeout_ms;
  bool json = false;

  [[nodiscard]] ProducerOptions producer_options() const;
};

struct ProduceOptions : SendOptions {
  std::uint64_t messages = 0;
  Payload payload = Payload::letters;
  std::uint32_t keys = 0;  // 0: keyless
  std::uint32_t producers = 1;
};

struct ConsumeOptions {
  std::string topic;
  std::optional<std::uint64_t> messages;  // default: up to the log end at start
  std::uint32_t consumers = 1;
  bool json = false;
};

struct LatencyOptions : SendOptions {
  std::uint64_t rate = 0;  // messages per second
  std::uint64_t messages = 0;
};

[[nodiscard]] std::optional<ProduceOptions> parse_produce(const cli::Args& args);
[[nodiscard]] std::optional<ConsumeOptions> parse_consume(const cli::Args& args);
[[nodiscard]] std::optional<LatencyOptions> parse_latency(const cli::Args& args);

[[nodiscard]] const char* acks_name(Acks acks) noexcept;

}  // namespace strata::perf
