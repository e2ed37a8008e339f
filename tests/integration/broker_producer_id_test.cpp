// InitProducerId against a real broker: ids are unique, also across a clean
// restart and a kill -9 (the block file); an id presented with its epoch
// gets the next epoch, whose first batch fences the old epoch at the
// partition (PRODUCER_FENCED), also after a restart; a new epoch must start
// at sequence 0; an id the broker never allocated is UNKNOWN_PRODUCER_ID.
#include <doctest/doctest.h>

#include <csignal>
#include <set>

#include "protocol/batch_builder.h"
#include "protocol/producer_id_messages.h"
#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

protocol::InitProducerIdResponse init(WireClient& c, std::int64_t id = -1, std::int16_t epoch = -1) {
  return c.call<protocol::InitProducerIdResponse>(protocol::ApiKey::init_producer_id,
                                                  protocol::InitProducerIdRequest{id, epoch});
}

std::vector<std::uint8_t> batch_of(std::int64_t id, std::int16_t epoch, std::int32_t seq, const std::string& v) {
  protocol::BatchBuilder builder;
  builder.set_producer(id, epoch, seq);
  builder.add(now_ms(), std::nullopt, protocol::as_bytes(v));
  return builder.finish();
}

}  // namespace

TEST_CASE("InitProducerId: ids are unique across clean restarts and kill -9") {
  BrokerFixture f;
  std::set<std::int64_t> seen;
  auto take = [&](int n) {
    auto c = f.client();
    for (int i = 0; i < n; ++i) {
      const auto r = init(*c);
      REQUIRE(r.error == ErrorCode::none);
      CHECK(r.producer_epoch == 0);
      CHECK(r.producer_id >= 0);
      CHECK(seen.insert(r.producer_id).second);
    }
  };
  take(5);
  f.broker->stop();
  f.restart();
  take(5);
  f.broker->kill9();
  f.restart();
  take(5);
  CHECK(seen.size() == 15);
}

TEST_CASE("InitProducerId: the next epoch fences the old one at the partition, also after a restart") {
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("fence", 1).error == ErrorCode::none);
  const auto first = init(*c);
  REQUIRE(first.error == ErrorCode::none);
  const std::int64_t id = first.producer_id;
  REQUIRE(c->produce("fence", 0, batch_of(id, 0, 0, "a")).error == ErrorCode::none);
  REQUIRE(c->produce("fence", 0, batch_of(id, 0, 1, "b")).error == ErrorCode::none);

  const auto bumped = init(*c, id, 0);
  REQUIRE(bumped.error == ErrorCode::none);
  CHECK(bumped.producer_id == id);
  CHECK(bumped.producer_epoch == 1);
  // Asking again with the old epoch never hands out the same epoch twice.
  CHECK(init(*c, id, 0).producer_epoch == 2);

  // A new epoch starts at sequence 0.
  CHECK(c->produce("fence", 0, batch_of(id, 1, 2, "c")).error == ErrorCode::out_of_order_sequence);
  REQUIRE(c->produce("fence", 0, batch_of(id, 1, 0, "c")).error == ErrorCode::none);
  // The old instance, even with the sequence it would use next, is fenced.
  const auto stale = c->produce("fence", 0, batch_of(id, 0, 2, "zombie"));
  CHECK(stale.error == ErrorCode::producer_fenced);
  CHECK(stale.message.find("newer epoch") != std::string::npos);

  f.broker->stop();
  f.restart();
  c = f.client();
  CHECK(c->produce("fence", 0, batch_of(id, 0, 2, "zombie")).error == ErrorCode::producer_fenced);
  CHECK(c->produce("fence", 0, batch_of(id, 1, 1, "d")).error == ErrorCode::none);
  CHECK(c->list_offset("fence", 0, protocol::kLatestTimestamp).offset == 4);
}

TEST_CASE("InitProducerId: an id never allocated, or an id without its epoch, is refused by name") {
  BrokerFixture f;
  auto c = f.client();
  const auto never = init(*c, 123456789, 0);
  CHECK(never.error == ErrorCode::unknown_producer_id);
  CHECK(never.message.find("123456789") != std::string::npos);
  const auto ok = init(*c);
  REQUIRE(ok.error == ErrorCode::none);
  CHECK(init(*c, ok.producer_id, -1).error == ErrorCode::invalid_request);
}

}  // namespace strata::it
