// A blocking POSIX-socket client that speaks raw strata frames, for
// integration tests. Requests are built with protocol::begin_request /
// finish_frame; responses are read as u32 size + read_response_header.
//
// Contract: every read and write has a deadline (the client's timeout unless
// given), so a test never hangs; failures throw std::runtime_error, which
// doctest reports as a failed test. Not thread-safe: one thread per client.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/admin_messages.h"
#include "protocol/data_messages.h"
#include "protocol/frame.h"

namespace strata::it {

using namespace std::chrono_literals;

// One response frame, without its size prefix.
struct ResponseFrame {
  std::vector<std::uint8_t> bytes;
  protocol::ResponseHeader header;

  [[nodiscard]] protocol::Bytes body() const noexcept {
    return protocol::Bytes(bytes).subspan(protocol::kMinResponseFrame);
  }
  // The body of a request-level failure: one string. Throws if it is not.
  [[nodiscard]] std::string error_message() const;
};

// A Fetch response with the frame its record views point into.
struct FetchReply {
  ResponseFrame frame;
  protocol::FetchResponse response;
};

// One partition's fetch result, owning its records.
struct FetchedPartition {
  protocol::ErrorCode error = protocol::ErrorCode::none;
  std::uint64_t log_start = 0;
  std::uint64_t log_end = 0;
  std::vector<std::uint8_t> records;
};

enum class ReadOutcome { frame, closed, timeout };

class WireClient {
 public:
  // Connects to 127.0.0.1:port; throws on failure. receive_buffer > 0:
  // SO_RCVBUF of that many bytes (the kernel doubles it), which also stops
  // the kernel growing it while the client does not read.
  explicit WireClient(std::uint16_t port, std::chrono::milliseconds timeout = 15s, int receive_buffer = 0);
  // To an IPv4 `host` other than 127.0.0.1 (e.g. a NetLab host). The
  // connect itself is not bounded by `timeout`: connect only to a host
  // that is reachable.
  WireClient(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout = 15s,
             int receive_buffer = 0);
  ~WireClient();
  WireClient(const WireClient&) = delete;
  WireClient& operator=(const WireClient&) = delete;

  void set_timeout(std::chrono::milliseconds t) noexcept { timeout_ = t; }
  [[nodiscard]] std::uint32_t next_correlation() noexcept { return next_correlation_++; }

  // A whole request frame: header (client id "it") and the encoded body.
  template <typename Message>
  [[nodiscard]] static std::vector<std::uint8_t> request_frame(protocol::ApiKey key, std::uint32_t correlation_id,
                                                               const Message& body, std::uint16_t version = 0) {
    protocol::ByteWriter w;
    protocol::begin_request(w, {key, version, correlation_id, "it"});
    body.encode(w);
    protocol::finish_frame(w);
    return w.take();
  }
  // A request frame whose body is exactly `raw` (e.g. garbage).
  [[nodiscard]] static std::vector<std::uint8_t> raw_request_frame(std::uint16_t api_key, std::uint16_t version,
                                                                   std::uint32_t correlation_id, protocol::Bytes raw);

  // Sends a request and returns its correlation id.
  template <typename Message>
  std::uint32_t send(protocol::ApiKey key, const Message& body, std::uint16_t version = 0) {
    const std::uint32_t id = next_correlation();
    send_bytes(request_frame(key, id, body, version));
    return id;
  }
  // Throws if the bytes cannot all be written before the deadline.
  void send_bytes(protocol::Bytes bytes);
  // False instead of throwing (the peer may have closed).
  [[nodiscard]] bool try_send_bytes(protocol::Bytes bytes) noexcept;

  // Reads one response frame; throws on timeout, close or a malformed frame.
  [[nodiscard]] ResponseFrame read_frame();
  [[nodiscard]] ReadOutcome read_frame(ResponseFrame& out, std::chrono::milliseconds timeout);
  // Bytes received and not yet read (FIONREAD).
  [[nodiscard]] std::size_t unread_bytes() const noexcept;
  // Waits for the broker to close the connection (EOF or reset), discarding
  // anything it sends meanwhile. False if still open after `timeout`.
  [[nodiscard]] bool wait_closed(std::chrono::milliseconds timeout);

  // Request, then its response: the correlation id must match and the
  // header error be none; the body must decode exactly as Response.
  template <typename Response, typename Message>
  Response call(protocol::ApiKey key, const Message& body) {
    const std::uint32_t id = send(key, body);
    return decode_reply<Response>(expect_ok(read_frame(), id));
  }

  // Typed calls (version 0 of each API).
  protocol::ApiVersionsResponse api_versions();
  protocol::MetadataResponse metadata(std::vector<std::string> topics = {});
  protocol::StatusResponse create_topic(const std::string& name, std::uint32_t partitions,
                                        std::vector<protocol::ConfigEntry> configs = {});
  protocol::StatusResponse delete_topic(const std::string& name);
  protocol::DescribeConfigsResponse describe_configs(const std::string& name);
  protocol::StatusResponse alter_configs(const std::string& name, std::vector<protocol::ConfigEntry> configs);
  protocol::ProduceResponse produce(const protocol::ProduceRequest& request);
  // One batch to one partition with acks leader or durable.
  protocol::ProducePartitionResult produce(const std::string& topic, std::uint32_t partition,
                                           const std::vector<std::uint8_t>& batch,
                                           protocol::Acks acks = protocol::Acks::leader);
  FetchReply fetch(const protocol::FetchRequest& request);
  FetchedPartition fetch_one(const std::string& topic, std::uint32_t partition, std::uint64_t offset,
                             std::uint32_t max_bytes = 1u << 20, std::uint32_t max_wait_ms = 0);
  protocol::ListOffsetsPartitionResult list_offset(const std::string& topic, std::uint32_t partition,
                                                   std::int64_t timestamp);

  // Checks a frame answers `correlation_id` with no header error.
  static const ResponseFrame& expect_ok(const ResponseFrame& frame, std::uint32_t correlation_id);
  // Decodes a whole body as Response; throws if it is malformed or has bytes left.
  template <typename Response>
  static Response decode_reply(const ResponseFrame& frame) {
    protocol::ByteReader r(frame.body());
    Response m = Response::decode(r);
    if (!r.ok() || r.remaining() != 0) throw std::runtime_error("response body does not decode exactly");
    return m;
  }

 private:
  int fd_ = -1;
  std::chrono::milliseconds timeout_;
  std::uint32_t next_correlation_ = 1;
};

// A produce request of one batch to one partition.
[[nodiscard]] protocol::ProduceRequest produce_request(const std::string& topic, std::uint32_t partition,
                                                       const std::vector<std::uint8_t>& batch, protocol::Acks acks);
// A fetch request for one partition.
[[nodiscard]] protocol::FetchRequest fetch_request(const std::string& topic, std::uint32_t partition,
                                                   std::uint64_t offset, std::uint32_t max_wait_ms,
                                                   std::uint32_t max_bytes = 1u << 20, std::uint32_t min_bytes = 1);
[[nodiscard]] protocol::ListOffsetsRequest list_offsets_request(const std::string& topic, std::uint32_t partition,
                                                                std::int64_t timestamp);

}  // namespace strata::it
