// The API table drives both dispatch and ApiVersions: a stub API added to a
// copy of strata's table (and nowhere else) is listed by ApiVersions with its
// version range, reached by dispatch inside that range, and refused with
// UNSUPPORTED_VERSION outside it; keys in no table are UNSUPPORTED_API.
#include <doctest/doctest.h>

#include <algorithm>
#include <future>

#include "broker/native/request_handlers.h"
#include "protocol/wire_coding.h"
#include "tests/support/temp_dir.h"

namespace strata::test {
namespace {

using broker::ApiRequest;
using broker::ApiTable;
using test::TempDir;
using protocol::ErrorCode;

constexpr std::uint16_t kStubKey = 42;

broker::awaitable<broker::Response> stub_api(ApiRequest r) {
  co_return broker::encode_response(
      r.header.correlation_id,
      protocol::StatusResponse{ErrorCode::none, "stub v" + std::to_string(r.header.api_version)});
}

struct Env {
  TempDir dir;
  std::unique_ptr<broker::Broker> broker;
  Env() {
    broker::BrokerConfig config;
    config.data_dir = (dir.path() / "data").string();
    config.shards = 1;
    broker = std::make_unique<broker::Broker>(config);
  }

  // The answer frame (without its size prefix) to a request of key/version.
  std::vector<std::uint8_t> ask(const ApiTable& table, std::uint16_t key, std::uint16_t version) {
    protocol::ByteWriter w;
    protocol::begin_request(w, {static_cast<protocol::ApiKey>(key), version, 7, "test"});
    protocol::finish_frame(w);
    std::vector<std::uint8_t> frame = w.take();
    frame.erase(frame.begin(), frame.begin() + protocol::kFrameSizeBytes);
    broker::asio::io_context io;
    auto done = broker::asio::co_spawn(io, broker::handle_request(*broker, protocol::MutableBytes(frame), table),
                                       broker::asio::use_future);
    io.run();
    broker::Response response = done.get();
    REQUIRE(response.chunks.size() == 1);
    std::vector<std::uint8_t> out = std::move(response.chunks[0].bytes);
    out.erase(out.begin(), out.begin() + protocol::kFrameSizeBytes);
    return out;
  }
};

protocol::ResponseHeader header_of(const std::vector<std::uint8_t>& /*reply*/, protocol::ByteReader& r) {
  return protocol::read_response_header(r);
}

}  // namespace

TEST_CASE("api table: a stub API appears in ApiVersions and dispatch with no other change") {
  Env env;
  ApiTable table = broker::strata_api_table();
  table.add({kStubKey, 1, 3, &stub_api});

  const auto versions_reply = env.ask(table, 0, 0);
  protocol::ByteReader r(versions_reply);
  REQUIRE(header_of(versions_reply, r).error == ErrorCode::none);
  const auto versions = protocol::ApiVersionsResponse::decode(r);
  REQUIRE(r.ok());
  const auto stub = std::find_if(versions.apis.begin(), versions.apis.end(),
                                 [](const auto& a) { return static_cast<std::uint16_t>(a.api_key) == kStubKey; });
  REQUIRE(stub != versions.apis.end());
  CHECK(stub->min_version == 1);
  CHECK(stub->max_version == 3);
  CHECK(versions.apis.size() == broker::strata_api_table().versions().size() + 1);

  for (const std::uint16_t v : {std::uint16_t{1}, std::uint16_t{2}, std::uint16_t{3}}) {
    CAPTURE(v);
    const auto reply = env.ask(table, kStubKey, v);
    protocol::ByteReader rr(reply);
    REQUIRE(header_of(reply, rr).error == ErrorCode::none);
    CHECK(protocol::StatusResponse::decode(rr).message == "stub v" + std::to_string(v));
  }
  for (const std::uint16_t v : {std::uint16_t{0}, std::uint16_t{4}}) {
    const auto reply = env.ask(table, kStubKey, v);
    protocol::ByteReader rr(reply);
    CHECK(header_of(reply, rr).error == ErrorCode::unsupported_version);
    CHECK(std::string(protocol::read_string(rr)).find("versions 1 to 3") != std::string::npos);
  }
  {
    const auto reply = env.ask(table, static_cast<std::uint16_t>(kStubKey + 1), 0);
    protocol::ByteReader rr(reply);
    CHECK(header_of(reply, rr).error == ErrorCode::unsupported_api);
  }
  // strata's own table is untouched: the stub is not there.
  const auto plain = env.ask(broker::strata_api_table(), kStubKey, 2);
  protocol::ByteReader pr(plain);
  CHECK(header_of(plain, pr).error == ErrorCode::unsupported_api);
}

}  // namespace strata::test
