// Shared helpers of the client library and CLI integration tests: a broker
// plus a connected client::Client, reading partitions to their end with the
// Consumer, and a small strict JSON reader for `strata consume --format
// json` lines (with base64 decoding for {"base64":"..."} values).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/client.h"
#include "client/consumer.h"
#include "client/producer.h"
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
  std::unique_ptr<client::Client> client;
};

// Reads the partitions with a Consumer from `start` until each position has
// reached the log end as it was when the call began. Throws
// std::runtime_error if that takes longer than `timeout`.
[[nodiscard]] std::vector<client::ConsumerRecord> consume_all(client::Client& c, const std::string& topic,
                                                              const std::vector<std::uint32_t>& partitions,
                                                              client::StartPosition start,
                                                              client::ConsumerOptions options = {},
                                                              std::chrono::milliseconds timeout = 20s);

// A Producer destroyed in place whose storage is kept until the test binary
// exits. Producer::on_reply notifies its condition variables after the
// accounting that lets flush() and so the destructor return: a late notify
// can land in the storage of a Producer already destroyed (see the test "a
// Producer is not touched after its destructor returns"). If that storage
// were freed and reused (a stack frame, a heap block), the notify would
// corrupt it; keeping it keeps the other tests deterministic.
class ScopedProducer {
 public:
  explicit ScopedProducer(client::Client& c, client::ProducerOptions options = {});
  ~ScopedProducer();
  ScopedProducer(const ScopedProducer&) = delete;
  ScopedProducer& operator=(const ScopedProducer&) = delete;
  client::Producer& operator*() noexcept { return *producer_; }
  client::Producer* operator->() noexcept { return producer_; }

 private:
  void* storage_;
  client::Producer* producer_;
};

// A JSON value. Strings hold their decoded bytes (UTF-8); numbers their text.
struct JsonValue {
  enum class Type { null, boolean, number, string, object, array };
  Type type = Type::null;
  bool boolean = false;
  std::string text;  // string contents, or the number as written
  std::vector<std::pair<std::string, JsonValue>> members;  // object, in order
  std::vector<JsonValue> elements;                         // array

  // The member named `key`; throws std::runtime_error if absent or not an object.
  [[nodiscard]] const JsonValue& at(std::string_view key) const;
  [[nodiscard]] bool is_null() const noexcept { return type == Type::null; }
  [[nodiscard]] std::int64_t as_int() const;
};

// Parses exactly one JSON value (RFC 8259, strict: no raw control
// characters in strings, no trailing bytes but whitespace); throws
// std::runtime_error saying where it failed.
[[nodiscard]] JsonValue parse_json(std::string_view text);

// Standard base64 with padding; throws std::runtime_error on bad input.
[[nodiscard]] std::string base64_decode(std::string_view text);

// The bytes a `--format json` field stands for: a string's bytes, or the
// decoded {"base64":"..."}; nullopt for null. `was_base64` says which form.
[[nodiscard]] std::optional<std::string> json_field_bytes(const JsonValue& v, bool* was_base64 = nullptr);

// "\x00\xff" style rendering of bytes, for failure messages.
[[nodiscard]] std::string printable(std::string_view bytes);

}  // namespace strata::it
