// A Fetch response honours its budget (KIP-74): the request's max_bytes
// bounds the records of the whole response, but the first partition with
// data may return one whole batch larger than it; no response frame passes
// max.frame.bytes. Before, each partition was read with the budget left,
// and a read always returns at least one whole batch: max_bytes=1 over 8
// partitions returned one batch per partition, and 4,100 partitions of 1 MiB
// batches made a 4.3 GB body whose 32-bit frame size wrapped.
#include <doctest/doctest.h>

#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

constexpr std::uint32_t kPartitions = 8;
constexpr std::uint64_t kBatchesPerPartition = 3;

// A topic of 8 partitions, each holding 3 batches of one ~20 KB record.
struct EightPartitions : BrokerFixture {
  explicit EightPartitions(std::vector<std::string> args = {}) : BrokerFixture(std::move(args)) {
    auto c = client();
    REQUIRE(c->create_topic("t", kPartitions).error == ErrorCode::none);
    for (std::uint32_t p = 0; p < kPartitions; ++p) {
      for (std::uint64_t b = 0; b < kBatchesPerPartition; ++b) {
        const auto batch = make_batch(make_records("p" + std::to_string(p), b, 1, now_ms(), 20'000));
        batch_bytes = batch.size();
        REQUIRE(c->produce("t", p, batch).error == ErrorCode::none);
      }
    }
  }
  std::size_t batch_bytes = 0;
};

protocol::FetchRequest fetch_all(std::uint32_t max_bytes) {
  protocol::FetchRequest request;
  request.max_wait_ms = 0;
  request.min_bytes = 0;
  request.max_bytes = max_bytes;
  auto& topic = request.topics.emplace_back();
  topic.name = "t";
  for (std::uint32_t p = 0; p < kPartitions; ++p) topic.partitions.push_back({p, 0, 1u << 20});
  return request;
}

// Batches per partition in a reply, after checking every partition has
// error NONE and the log's true end.
std::vector<std::size_t> batches_per_partition(const FetchReply& reply) {
  std::vector<std::size_t> out;
  REQUIRE(reply.response.topics.size() == 1);
  for (const auto& p : reply.response.topics[0].partitions) {
    CHECK(p.header.error == ErrorCode::none);
    CHECK(p.header.log_end == kBatchesPerPartition);
    out.push_back(decode_batches(p.records).batches.size());
  }
  return out;
}

}  // namespace

TEST_CASE("fetch budget: max_bytes=1 over 8 partitions returns exactly one batch, the others nothing") {
  EightPartitions f;
  auto c = f.client();
  const FetchReply reply = c->fetch(fetch_all(1));
  const auto batches = batches_per_partition(reply);
  REQUIRE(batches.size() == kPartitions);
  CHECK(batches[0] == 1);  // the first partition with data: one batch over the budget
  for (std::uint32_t p = 1; p < kPartitions; ++p) CHECK(batches[p] == 0);
}

TEST_CASE("fetch budget: max_bytes bounds the records of the whole response") {
  EightPartitions f;
  auto c = f.client();
  // Room for 2.5 batches: partition 0 gives two; no later batch fits the rest.
  const auto budget = static_cast<std::uint32_t>(f.batch_bytes * 5 / 2);
  const FetchReply reply = c->fetch(fetch_all(budget));
  const auto batches = batches_per_partition(reply);
  CHECK(batches[0] == 2);
  for (std::uint32_t p = 1; p < kPartitions; ++p) CHECK(batches[p] == 0);
  // A budget of 7 batches: partitions 0 and 1 whole (3 each), one batch of 2.
  const FetchReply seven = c->fetch(fetch_all(static_cast<std::uint32_t>(f.batch_bytes * 7)));
  const auto more = batches_per_partition(seven);
  CHECK(more[0] == 3);
  CHECK(more[1] == 3);
  CHECK(more[2] == 1);
  for (std::uint32_t p = 3; p < kPartitions; ++p) CHECK(more[p] == 0);
}

TEST_CASE("fetch budget: a response never passes max.frame.bytes, whatever max_bytes asks") {
  EightPartitions f({"--max-frame-bytes", "65536"});
  auto c = f.client();
  const FetchReply reply = c->fetch(fetch_all(0xFFFFFFFFu));
  INFO("response frame of " << reply.frame.bytes.size() + 4 << " bytes");
  CHECK(reply.frame.bytes.size() + 4 <= 65536);
  std::size_t total = 0;
  for (const auto n : batches_per_partition(reply)) total += n;
  CHECK(total == 65536 / f.batch_bytes);  // as many whole batches as fit
}

TEST_CASE("fetch budget: a Fetch whose headers alone pass max.frame.bytes is refused with FRAME_TOO_LARGE") {
  BrokerFixture f({"--max-frame-bytes", "65536"});
  auto c = f.client();
  REQUIRE(c->create_topic("t", 1).error == ErrorCode::none);
  protocol::FetchRequest request = fetch_all(1 << 20);
  request.topics[0].partitions.clear();
  // 3,000 partitions: a 48 KB request, and 78 KB of partition headers back.
  for (std::uint32_t p = 0; p < 3000; ++p) request.topics[0].partitions.push_back({p, 0, 1u << 20});
  const std::uint32_t id = c->send(protocol::ApiKey::fetch, request);
  const ResponseFrame r = c->read_frame();
  CHECK(r.header.correlation_id == id);
  CHECK(r.header.error == ErrorCode::frame_too_large);
  CHECK(r.error_message().find("fetch fewer partitions") != std::string::npos);
  // Not a protocol error: the connection goes on.
  CHECK(c->fetch_one("t", 0, 0).error == ErrorCode::none);
}

}  // namespace strata::it
