#include "tests/integration/client_test_util.h"

#include <mutex>
#include <new>
#include <stdexcept>

namespace strata::it {

namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

namespace {
// Storage of destroyed Producers, freed when the binary exits (after every
// Client, and so every connection reader thread, is gone).
struct Graveyard {
  std::mutex mu;
  std::vector<std::unique_ptr<unsigned char[]>> blocks;
};
Graveyard& graveyard() {
  static Graveyard g;
  return g;
}
}  // namespace

ScopedProducer::ScopedProducer(client::Client& c, client::ProducerOptions options) {
  auto block = std::make_unique<unsigned char[]>(sizeof(client::Producer) + alignof(client::Producer));
  void* p = block.get();
  std::size_t space = sizeof(client::Producer) + alignof(client::Producer);
  storage_ = std::align(alignof(client::Producer), sizeof(client::Producer), p, space);
  {
    std::lock_guard lock(graveyard().mu);
    graveyard().blocks.push_back(std::move(block));
  }
  producer_ = new (storage_) client::Producer(c, options);
}

ScopedProducer::~ScopedProducer() { producer_->~Producer(); }

ClientFixture::ClientFixture(std::vector<std::string> broker_args)
    : broker(std::move(broker_args)),
      address("127.0.0.1:" + std::to_string(broker.broker->port())),
      client(std::make_unique<client::Client>(client::ClientOptions{address})) {}

ProcessResult ClientFixture::cli(const std::vector<std::string>& args, const std::string& stdin_data,
                                 std::chrono::milliseconds timeout) const {
  return run_strata(address, args, stdin_data, timeout);
}

std::vector<std::pair<std::int64_t, std::int64_t>> ClientFixture::offsets(const std::string& topic) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  const auto count = client->partition_count(topic, true);
  for (std::uint32_t p = 0; p < count; ++p) {
    out.emplace_back(client->list_offset(topic, p, protocol::kEarliestTimestamp),
                     client->list_offset(topic, p, protocol::kLatestTimestamp));
  }
  return out;
}

std::vector<client::ConsumerRecord> consume_all(client::Client& c, const std::string& topic,
                                                const std::vector<std::uint32_t>& partitions,
                                                client::StartPosition start, client::ConsumerOptions options,
                                                std::chrono::milliseconds timeout) {
  client::Consumer consumer(c, options);
  std::vector<std::uint64_t> ends;
  for (const auto p : partitions) {
    consumer.assign(topic, p, start);
    ends.push_back(static_cast<std::uint64_t>(c.list_offset(topic, p, protocol::kLatestTimestamp)));
  }
  std::vector<client::ConsumerRecord> out;
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

const JsonValue& JsonValue::at(std::string_view key) const {
  if (type != Type::object) throw std::runtime_error("JSON value is not an object (looking for '" + std::string(key) + "')");
  for (const auto& [k, v] : members) {
    if (k == key) return v;
  }
  throw std::runtime_error("JSON object has no member '" + std::string(key) + "'");
}

std::int64_t JsonValue::as_int() const {
  if (type != Type::number) throw std::runtime_error("JSON value is not a number");
  std::size_t used = 0;
  const auto v = std::stoll(text, &used);
  if (used != text.size()) throw std::runtime_error("JSON number '" + text + "' is not an integer");
  return v;
}

namespace {

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  JsonValue document() {
    skip_ws();
    JsonValue v = value(0);
    skip_ws();
    if (at_ != s_.size()) fail("trailing bytes after the value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("invalid JSON at byte " + std::to_string(at_) + ": " + why + " in: " + printable(s_));
  }
  void skip_ws() {
    while (at_ < s_.size() && (s_[at_] == ' ' || s_[at_] == '\t' || s_[at_] == '\n' || s_[at_] == '\r')) ++at_;
  }
  char peek() const { return at_ < s_.size() ? s_[at_] : '\0'; }
  void expect(char c) {
    if (peek() != c || at_ >= s_.size()) fail(std::string("expected '") + c + "'");
    ++at_;
  }
  void literal(std::string_view word) {
    if (s_.substr(at_, word.size()) != word) fail("bad literal");
    at_ += word.size();
  }

  JsonValue value(int depth) {
    if (depth > 64) fail("nested too deep");
    JsonValue v;
    switch (peek()) {
      case '{': {
        v.type = JsonValue::Type::object;
        ++at_;
        skip_ws();
        if (peek() == '}') {
          ++at_;
          return v;
        }
        for (;;) {
          skip_ws();
          if (peek() != '"') fail("object key must be a string");
          std::string key = string();
          skip_ws();
          expect(':');
          skip_ws();
          v.members.emplace_back(std::move(key), value(depth + 1));
          skip_ws();
          if (peek() == ',') {
            ++at_;
            continue;
          }
          expect('}');
          return v;
        }
      }
      case '[': {
        v.type = JsonValue::Type::array;
        ++at_;
        skip_ws();
        if (peek() == ']') {
          ++at_;
          return v;
        }
        for (;;) {
          skip_ws();
          v.elements.push_back(value(depth + 1));
          skip_ws();
          if (peek() == ',') {
            ++at_;
            continue;
          }
          expect(']');
          return v;
        }
      }
      case '"':
        v.type = JsonValue::Type::string;
        v.text = string();
        return v;
      case 't':
        literal("true");
        v.type = JsonValue::Type::boolean;
        v.boolean = true;
        return v;
      case 'f':
        literal("false");
        v.type = JsonValue::Type::boolean;
        return v;
      case 'n':
        literal("null");
        return v;
      default:
        v.type = JsonValue::Type::number;
        v.text = number();
        return v;
    }
  }

  std::string number() {
    const std::size_t start = at_;
    auto digits = [&] {
      const std::size_t from = at_;
      while (at_ < s_.size() && s_[at_] >= '0' && s_[at_] <= '9') ++at_;
      if (at_ == from) fail("expected a digit");
    };
    if (peek() == '-') ++at_;
    if (peek() == '0') {
      ++at_;
    } else {
      digits();
    }
    if (peek() == '.') {
      ++at_;
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      ++at_;
      if (peek() == '+' || peek() == '-') ++at_;
      digits();
    }
    return std::string(s_.substr(start, at_ - start));
  }

  unsigned hex4() {
    if (s_.size() - at_ < 4) fail("short \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[at_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else fail("bad hex digit in \\u escape");
    }
    return v;
  }

  static void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string string() {
    expect('"');
    std::string out;
    for (;;) {
      if (at_ >= s_.size()) fail("unterminated string");
      const auto c = static_cast<unsigned char>(s_[at_++]);
      if (c == '"') return out;
      if (c < 0x20) fail("raw control character in a string");
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (at_ >= s_.size()) fail("unterminated escape");
      const char e = s_[at_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(at_, 2) != "\\u") fail("lone high surrogate");
            at_ += 2;
            const std::uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("bad low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("lone low surrogate");
          }
          put_utf8(out, cp);
          break;
        }
        default: fail("unknown escape");
      }
    }
  }

  std::string_view s_;
  std::size_t at_ = 0;
};

}  // namespace

JsonValue parse_json(std::string_view text) { return JsonParser(text).document(); }

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
  if (v.type == JsonValue::Type::string) return v.text;
  if (v.type == JsonValue::Type::object && v.members.size() == 1 && v.members[0].first == "base64" &&
      v.members[0].second.type == JsonValue::Type::string) {
    if (was_base64 != nullptr) *was_base64 = true;
    return base64_decode(v.members[0].second.text);
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
