#include "tests/integration/wire_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "protocol/error_code.h"

namespace strata::it {

namespace {

using Clock = std::chrono::steady_clock;
using protocol::ApiKey;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

std::string error_name(protocol::ErrorCode e) { return std::string(protocol::error_info(e).name); }

// Reads exactly n bytes before the deadline. Returns the outcome; on
// `closed`, `got` says how many bytes arrived first.
ReadOutcome read_exact(int fd, std::uint8_t* out, std::size_t n, Clock::time_point deadline, std::size_t& got) {
  got = 0;
  while (got < n) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return ReadOutcome::closed;
    if (ready == 0) return ReadOutcome::timeout;
    const ssize_t r = ::recv(fd, out + got, n - got, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r <= 0) return ReadOutcome::closed;  // EOF or reset
    got += static_cast<std::size_t>(r);
  }
  return ReadOutcome::frame;
}

}  // namespace

std::string ResponseFrame::error_message() const {
  protocol::ByteReader r(body());
  const std::string_view s = protocol::read_string(r);
  if (!r.ok() || r.remaining() != 0) throw std::runtime_error("error response body is not exactly one string");
  return std::string(s);
}

WireClient::WireClient(std::uint16_t port, std::chrono::milliseconds timeout, int receive_buffer)
    : WireClient("127.0.0.1", port, timeout, receive_buffer) {}

WireClient::WireClient(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout,
                       int receive_buffer)
    : timeout_(timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  // Before connect, so the window it advertises stays small.
  if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("not an IPv4 address: " + host);
  }
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    const int e = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(e));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

WireClient::~WireClient() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<std::uint8_t> WireClient::raw_request_frame(std::uint16_t api_key, std::uint16_t version,
                                                        std::uint32_t correlation_id, protocol::Bytes raw) {
  protocol::ByteWriter w;
  protocol::begin_request(w, {static_cast<ApiKey>(api_key), version, correlation_id, "it"});
  w.raw(raw);
  protocol::finish_frame(w);
  return w.take();
}

bool WireClient::try_send_bytes(protocol::Bytes bytes) noexcept {
  const auto deadline = Clock::now() + timeout_;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    pollfd p{fd_, POLLOUT, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

void WireClient::send_bytes(protocol::Bytes bytes) {
  if (!try_send_bytes(bytes)) {
    throw std::runtime_error("sending " + std::to_string(bytes.size()) + " bytes failed: " + std::strerror(errno));
  }
}

ReadOutcome WireClient::read_frame(ResponseFrame& out, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::uint8_t prefix[protocol::kFrameSizeBytes];
  std::size_t got = 0;
  const ReadOutcome o = read_exact(fd_, prefix, sizeof prefix, deadline, got);
  if (o != ReadOutcome::frame) return o;
  const std::uint32_t size = protocol::read_frame_size(prefix);
  if (size < protocol::kMinResponseFrame || size > (256u << 20)) {
    throw std::runtime_error("response frame size " + std::to_string(size) + " is out of range");
  }
  out.bytes.assign(size, 0);
  const ReadOutcome body = read_exact(fd_, out.bytes.data(), size, deadline, got);
  if (body == ReadOutcome::timeout) throw std::runtime_error("timed out inside a response frame");
  if (body == ReadOutcome::closed) throw std::runtime_error("connection closed inside a response frame");
  protocol::ByteReader r(out.bytes);
  out.header = protocol::read_response_header(r);
  return ReadOutcome::frame;
}

ResponseFrame WireClient::read_frame() {
  ResponseFrame f;
  switch (read_frame(f, timeout_)) {
    case ReadOutcome::frame: return f;
    case ReadOutcome::closed: throw std::runtime_error("the broker closed the connection");
    case ReadOutcome::timeout:
      throw std::runtime_error("no response within " + std::to_string(timeout_.count()) + " ms");
  }
  return f;
}

bool WireClient::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::uint8_t buf[4096];
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return true;
    if (ready == 0) return false;
    const ssize_t r = ::recv(fd_, buf, sizeof buf, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r <= 0) return true;
  }
}

const ResponseFrame& WireClient::expect_ok(const ResponseFrame& frame, std::uint32_t correlation_id) {
  if (frame.header.correlation_id != correlation_id) {
    throw std::runtime_error("response correlation id " + std::to_string(frame.header.correlation_id) +
                             ", expected " + std::to_string(correlation_id));
  }
  if (frame.header.error != protocol::ErrorCode::none) {
    throw std::runtime_error("request failed with header error " + error_name(frame.header.error) + ": " +
                             frame.error_message());
  }
  return frame;
}

protocol::ApiVersionsResponse WireClient::api_versions() {
  return call<protocol::ApiVersionsResponse>(ApiKey::api_versions, protocol::ApiVersionsRequest{});
}

protocol::MetadataResponse WireClient::metadata(std::vector<std::string> topics) {
  return call<protocol::MetadataResponse>(ApiKey::metadata, protocol::MetadataRequest{std::move(topics)});
}

protocol::StatusResponse WireClient::create_topic(const std::string& name, std::uint32_t partitions,
                                                  std::vector<protocol::ConfigEntry> configs) {
  return call<protocol::StatusResponse>(ApiKey::create_topic,
                                        protocol::CreateTopicRequest{name, partitions, std::move(configs)});
}

protocol::StatusResponse WireClient::delete_topic(const std::string& name) {
  return call<protocol::StatusResponse>(ApiKey::delete_topic, protocol::TopicRequest{name});
}

protocol::DescribeConfigsResponse WireClient::describe_configs(const std::string& name) {
  return call<protocol::DescribeConfigsResponse>(ApiKey::describe_configs, protocol::TopicRequest{name});
}

protocol::StatusResponse WireClient::alter_configs(const std::string& name,
                                                   std::vector<protocol::ConfigEntry> configs) {
  return call<protocol::StatusResponse>(ApiKey::alter_configs,
                                        protocol::AlterConfigsRequest{name, std::move(configs)});
}

protocol::ProduceResponse WireClient::produce(const protocol::ProduceRequest& request) {
  if (request.acks == protocol::Acks::none) throw std::logic_error("acks=none gets no response: use send()");
  return call<protocol::ProduceResponse>(ApiKey::produce, request);
}

protocol::ProducePartitionResult WireClient::produce(const std::string& topic, std::uint32_t partition,
                                                     const std::vector<std::uint8_t>& batch, protocol::Acks acks) {
  const auto response = produce(produce_request(topic, partition, batch, acks));
  if (response.topics.size() != 1 || response.topics[0].name != topic || response.topics[0].partitions.size() != 1 ||
      response.topics[0].partitions[0].partition != partition) {
    throw std::runtime_error("produce response does not mirror the request's topic and partition");
  }
  return response.topics[0].partitions[0];
}

FetchReply WireClient::fetch(const protocol::FetchRequest& request) {
  FetchReply reply;
  const std::uint32_t id = send(ApiKey::fetch, request);
  reply.frame = read_frame();
  (void)expect_ok(reply.frame, id);
  reply.response = decode_reply<protocol::FetchResponse>(reply.frame);
  return reply;
}

FetchedPartition WireClient::fetch_one(const std::string& topic, std::uint32_t partition, std::uint64_t offset,
                                       std::uint32_t max_bytes, std::uint32_t max_wait_ms) {
  const FetchReply reply = fetch(fetch_request(topic, partition, offset, max_wait_ms, max_bytes));
  const auto& topics = reply.response.topics;
  if (topics.size() != 1 || topics[0].name != topic || topics[0].partitions.size() != 1 ||
      topics[0].partitions[0].header.partition != partition) {
    throw std::runtime_error("fetch response does not mirror the request's topic and partition");
  }
  const auto& p = topics[0].partitions[0];
  return {p.header.error, p.header.log_start, p.header.log_end, {p.records.begin(), p.records.end()}};
}

protocol::ListOffsetsPartitionResult WireClient::list_offset(const std::string& topic, std::uint32_t partition,
                                                             std::int64_t timestamp) {
  const auto response =
      call<protocol::ListOffsetsResponse>(ApiKey::list_offsets, list_offsets_request(topic, partition, timestamp));
  if (response.topics.size() != 1 || response.topics[0].name != topic || response.topics[0].partitions.size() != 1 ||
      response.topics[0].partitions[0].partition != partition) {
    throw std::runtime_error("list offsets response does not mirror the request's topic and partition");
  }
  return response.topics[0].partitions[0];
}

protocol::ProduceRequest produce_request(const std::string& topic, std::uint32_t partition,
                                         const std::vector<std::uint8_t>& batch, protocol::Acks acks) {
  protocol::ProduceRequest r;
  r.acks = acks;
  r.timeout_ms = 10000;
  r.topics.push_back({topic, {{partition, protocol::Bytes(batch)}}});
  return r;
}

protocol::FetchRequest fetch_request(const std::string& topic, std::uint32_t partition, std::uint64_t offset,
                                     std::uint32_t max_wait_ms, std::uint32_t max_bytes, std::uint32_t min_bytes) {
  protocol::FetchRequest r;
  r.max_wait_ms = max_wait_ms;
  r.min_bytes = min_bytes;
  r.max_bytes = 64u << 20;
  r.topics.push_back({topic, {{partition, offset, max_bytes}}});
  return r;
}

protocol::ListOffsetsRequest list_offsets_request(const std::string& topic, std::uint32_t partition,
                                                  std::int64_t timestamp) {
  protocol::ListOffsetsRequest r;
  r.topics.push_back({topic, {{partition, timestamp}}});
  return r;
}

std::size_t WireClient::unread_bytes() const noexcept {
  int n = 0;
  if (::ioctl(fd_, FIONREAD, &n) != 0 || n < 0) return 0;
  return static_cast<std::size_t>(n);
}

}  // namespace strata::it
