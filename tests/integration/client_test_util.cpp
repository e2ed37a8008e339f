#include "tests/integration/client_test_util.h"

#include <stdexcept>

namespace strata::it {

namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

ClientFixture::ClientFixture(std::vector<std::string> broker_args)
    : broker(std::move(broker_args)),
      address("127.0.0.1:" + std::to_string(broker.broker->port())),
      client(std::make_unique<Client>(ClientOptions{address})) {}

ProcessResult ClientFixture::cli(const std::vector<std::string>& args, const std::string& stdin_data,
                                 std::chrono::milliseconds timeout) const {
  return run_strata(address, args, stdin_data, timeout);
}

std::vector<std::pair<std::int64_t, std::int64_t>> ClientFixture::offsets(const std::string& topic) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  const auto count = client->partition_count(topic, true);
  for (std::uint32_t p = 0; p < count; ++p) {
    out.emplace_back(client->list_offset(topic, p, kEarliestOffset),
                     client->list_offset(topic, p, kLatestOffset));
  }
  return out;
}

std::vector<ConsumerRecord> consume_all(Client& c, const std::string& topic,
                                        const std::vector<std::uint32_t>& partitions, StartPosition start,
                                        ConsumerOptions options, std::chrono::milliseconds timeout) {
  Consumer consumer(c, options);
  std::vector<std::uint64_t> ends;
  for (const auto p : partitions) {
    consumer.assign(topic, p, start);
    ends.push_back(static_cast<std::uint64_t>(c.list_offset(topic, p, kLatestOffset)));
  }
  std::vector<ConsumerRecord> out;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    bool done = true;
    for (std::size_t i = 0; i < partitions.size(); ++i) {
      done = done && consumer.position(topic, partitions[i]) >= ends[i];
    }
    if (done) return out;
    if (Clock::now() >= deadline) {
      throw std::runtime_error("consume_all: " + topic + " not read to its end within the timeout (" +
                               std::to_string(out.size()) + " records so far)");
    }
    for (auto& r : consumer.poll(200)) out.push_back(std::move(r));
  }
}

JsonValue parse_json(std::string_view text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(std::string(e.what()) + " in: " + printable(text));
  }
}

std::int64_t as_int(const JsonValue& v) {
  if (!v.is_number_integer()) throw std::runtime_error("JSON value " + v.dump() + " is not an integer");
  return v.get<std::int64_t>();
}

std::string base64_decode(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) throw std::runtime_error("base64 length is not a multiple of 4");
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && last && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) throw std::runtime_error("base64 data after padding");
      v[k] = value_of(c);
      if (v[k] < 0) throw std::runtime_error(std::string("bad base64 character '") + c + "'");
    }
    const std::uint32_t n = (static_cast<std::uint32_t>(v[0]) << 18) | (static_cast<std::uint32_t>(v[1]) << 12) |
                            (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

std::optional<std::string> json_field_bytes(const JsonValue& v, bool* was_base64) {
  if (was_base64 != nullptr) *was_base64 = false;
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return v.get<std::string>();
  if (v.is_object() && v.size() == 1 && v.contains("base64") && v.at("base64").is_string()) {
    if (was_base64 != nullptr) *was_base64 = true;
    return base64_decode(v.at("base64").get<std::string>());
  }
  throw std::runtime_error("JSON field is neither null, a string nor {\"base64\":\"...\"}");
}

std::string printable(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += ch;
    } else {
      out.append("\\x");
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace strata::it
