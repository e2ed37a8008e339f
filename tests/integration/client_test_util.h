// Shared helpers of the client library and CLI integration tests: a broker
// plus a connected strata::Client, reading partitions to their end with the
// Consumer, and reading `strata ... --json` output with nlohmann-json (with
// base64 decoding for {"base64":"..."} values). Uses the public client API
// (strata/*.h) only, as applications do (issue 26).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "strata/client.h"
#include "strata/consumer.h"
#include "strata/producer.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/test_util.h"

namespace strata::it {

// A broker on a fresh data directory and a Client connected to it.
struct ClientFixture {
  explicit ClientFixture(std::vector<std::string> broker_args = {});

  // `strata --broker <this broker> ARGS...`
  [[nodiscard]] ProcessResult cli(const std::vector<std::string>& args, const std::string& stdin_data = {},
                                  std::chrono::milliseconds timeout = 20s) const;
  // list_offset of every partition: {earliest, latest}.
  [[nodiscard]] std::vector<std::pair<std::int64_t, std::int64_t>> offsets(const std::string& topic);

  BrokerFixture broker;
  std::string address;  // 127.0.0.1:PORT
  std::unique_ptr<Client> client;
};

// Reads the partitions with a Consumer from `start` until each position has
// reached the log end as it was when the call began. Throws
// std::runtime_error if that takes longer than `timeout`.
[[nodiscard]] std::vector<ConsumerRecord> consume_all(Client& c, const std::string& topic,
                                                      const std::vector<std::uint32_t>& partitions,
                                                      StartPosition start, ConsumerOptions options = {},
                                                      std::chrono::milliseconds timeout = 20s);

// A Producer owned by a test: `kept->send(...)`, `*kept`. (It used to keep
// a destroyed Producer's storage for the binary's lifetime, against a late
// notify from the reader thread; the library fixed that, which
// client_producer_lifetime_test proves on the library's own Producer.)
class ScopedProducer {
 public:
  explicit ScopedProducer(Client& c, ProducerOptions options = {})
      : producer_(std::make_unique<Producer>(c, options)) {}
  Producer& operator*() noexcept { return *producer_; }
  Producer* operator->() noexcept { return producer_.get(); }

 private:
  std::unique_ptr<Producer> producer_;
};

// A JSON document as nlohmann-json parses it (strict RFC 8259).
using JsonValue = nlohmann::json;

// Parses exactly one JSON value; throws std::runtime_error naming the text.
[[nodiscard]] JsonValue parse_json(std::string_view text);

// The integer a JSON value holds; throws std::runtime_error if it is not an
// integer (a string, a fraction, ...).
[[nodiscard]] std::int64_t as_int(const JsonValue& v);

// Standard base64 with padding; throws std::runtime_error on bad input.
[[nodiscard]] std::string base64_decode(std::string_view text);

// The bytes a `--format json` field stands for: a string's bytes, or the
// decoded {"base64":"..."}; nullopt for null. `was_base64` says which form.
[[nodiscard]] std::optional<std::string> json_field_bytes(const JsonValue& v, bool* was_base64 = nullptr);

// "\x00\xff" style rendering of bytes, for failure messages.
[[nodiscard]] std::string printable(std::string_view bytes);

}  // namespace strata::it
