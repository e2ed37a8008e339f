// kafka-codec-server: a test double that speaks Kafka's protocol through
// strata's Kafka codecs (protocol/kafka) over an in-memory store, so real
// Kafka clients (kcat, confluent-kafka, kafkajs) check the codecs' bytes
// before the broker's Kafka front door exists. Not the broker: no storage,
// no validation beyond framing, one thread per connection, loopback only.
//
//   kafka-codec-server [PORT] [--log-requests]
//                                  listens on 127.0.0.1:PORT (0 or none: any
//                                  free port); prints "listening PORT"; runs
//                                  until killed; --log-requests prints each
//                                  request's API and version to stderr. A request it cannot decode
//                                  closes the connection, as Kafka does, and
//                                  is logged to stderr.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "protocol/kafka/request.h"
#include "tests/kafka/codec_server/handlers.h"

namespace {

using namespace strata::kafka;
using namespace strata::kafka::test;

constexpr std::uint32_t kMaxFrame = 100u << 20;

bool read_all(int fd, std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t got = ::read(fd, p, n);
    if (got <= 0) return false;
    p += got;
    n -= static_cast<std::size_t>(got);
  }
  return true;
}

bool write_all(int fd, const std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t put = ::write(fd, p, n);
    if (put <= 0) return false;
    p += put;
    n -= static_cast<std::size_t>(put);
  }
  return true;
}

// Fetch goes out in pieces: the encoded parts and, at each slot, the records
// (the order the front door will use with sendfile).
bool send_fetch(int fd, std::int32_t correlation_id, const ApiVersionRange& api, std::int16_t version,
                const FetchResponse& resp) {
  Writer w = begin_response(correlation_id, api, version);
  const std::vector<RecordsSlot> slots = resp.encode_without_records(w, version);
  std::size_t records = 0;
  for (const auto& s : slots) records += s.size;
  const std::vector<std::uint8_t> head = finish_response(std::move(w), records);
  for (const FetchPiece& piece : split_at_slots(head, slots)) {
    if (!write_all(fd, piece.bytes.data(), piece.bytes.size())) return false;
    if (!piece.slot) continue;
    const RecordsSlot& s = slots[*piece.slot];
    const Bytes r = resp.topics[s.topic].partitions[s.partition].records;
    if (!write_all(fd, r.data(), r.size())) return false;
  }
  return true;
}

void serve(int fd, Store* store, ServerInfo info) {
  std::vector<std::uint8_t> frame;
  for (;;) {
    std::uint8_t size_bytes[kFrameSizeBytes];
    if (!read_all(fd, size_bytes, sizeof size_bytes)) break;
    const auto size = decode_frame_size(size_bytes, kMaxFrame);
    if (!size) {
      std::fprintf(stderr, "kafka-codec-server: %s\n", size.error().message().c_str());
      break;
    }
    frame.resize(size.value());
    if (!read_all(fd, frame.data(), frame.size())) break;
    const auto header = decode_request_header({frame.data(), frame.size()});
    if (!header) {
      std::fprintf(stderr, "kafka-codec-server: header: %s\n", header.error().message().c_str());
      break;
    }
    const RequestHeader& h = header.value().header;
    if (info.log_requests) {
      const std::string_view name = header.value().api ? header.value().api->name : "unknown";
      std::fprintf(stderr, "request %.*s v%d\n", static_cast<int>(name.size()), name.data(), h.api_version);
    }
    if (h.api_key == static_cast<std::int16_t>(ApiKey::api_versions)) {
      const auto out = encode_api_versions_frame(h.correlation_id, h.api_version);
      if (!write_all(fd, out.data(), out.size())) break;
      continue;
    }
    const Bytes body{frame.data() + header.value().body_offset, frame.size() - header.value().body_offset};
    const auto request = decode_request(h, body);
    if (!request) {
      std::fprintf(stderr, "kafka-codec-server: api %d v%d: %s\n", h.api_key, h.api_version,
                   request.error().message().c_str());
      break;
    }
    const ApiVersionRange& api = *header.value().api;
    // What to write after handling, outside the store's lock: `bytes`, or a
    // Fetch response in pieces; nothing for Produce with acks=0.
    struct Reply {
      std::vector<std::uint8_t> bytes;
      std::optional<FetchResponse> fetch;
    } reply;
    std::vector<std::vector<std::uint8_t>> keepalive;
    {
      std::lock_guard lock(store->mu);
      std::visit(
          [&](const auto& r) {
            using R = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<R, MetadataRequest>) {
              reply.bytes = encode_response(h.correlation_id, api, h.api_version, handle(*store, info, r));
            } else if constexpr (std::is_same_v<R, FetchRequest>) {
              reply.fetch = handle(*store, r, h.api_version, keepalive);
            } else if constexpr (std::is_same_v<R, ProduceRequest>) {
              const ProduceResponse resp = handle(*store, r);
              if (r.acks != 0) reply.bytes = encode_response(h.correlation_id, api, h.api_version, resp);
            } else if constexpr (!std::is_same_v<R, ApiVersionsRequest>) {
              reply.bytes = encode_response(h.correlation_id, api, h.api_version, handle(*store, r));
            }
          },
          request.value());
    }
    const bool written = reply.fetch ? send_fetch(fd, h.correlation_id, api, h.api_version, *reply.fetch)
                                     : write_all(fd, reply.bytes.data(), reply.bytes.size());
    if (!written) break;
  }
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 0;
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 64) != 0) {
    std::perror("kafka-codec-server: bind/listen");
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  ServerInfo info{ntohs(addr.sin_port), argc > 2 && std::string_view(argv[2]) == "--log-requests"};
  std::printf("listening %d\n", info.port);
  std::fflush(stdout);
  static Store store;
  for (;;) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) continue;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::thread(serve, fd, &store, info).detach();
  }
}
