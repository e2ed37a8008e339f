// acks=durable on a real Shard over the fault-injecting file system: the
// produce completes only after an fdatasync covered it, and a failed fsync
// is reported as a storage error, never as success.
#include <doctest/doctest.h>

#include <future>

#include "broker/core/partition_ops.h"
#include "broker/core/shard.h"
#include "storage_test_util.h"

namespace strata::test {
namespace {

using broker::Shard;
using Acks = broker::AckLevel;
using ErrorCode = broker::Errc;

struct ShardEnv {
  StorageEnv env;
  broker::BrokerConfig config;
  broker::asio::thread_pool blocking{1};
  std::unique_ptr<Shard> shard;

  ShardEnv() {
    config.shards = 1;
    shard = std::make_unique<Shard>(0, config, env.faults, blocking);
    auto opened = shard->open_partition(env.partition_dir(), "t", 0, broker::TopicConfig{});
    REQUIRE(opened.has_value());
    shard->start();
  }
  ~ShardEnv() {
    blocking.join();
    if (!shard) return;  // a test simulated a crash
    shard->stop();
    shard->close_all();
  }

  // Produces one batch with the given acks on the shard and waits for the result.
  broker::ProduceResult produce(Acks acks, std::uint64_t id) {
    std::vector<std::uint8_t> bytes = make_batch(id, 3, 1000);
    auto valid = protocol::validate_for_append(bytes, protocol::kMaxBatchBytes);
    REQUIRE(valid.has_value());
    auto fut = broker::asio::co_spawn(shard->context(), broker::produce_on_shard(*shard, "t", 0, valid.value(), acks),
                                      broker::asio::use_future);
    REQUIRE(fut.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    return fut.get();
  }
};

TEST_CASE("broker: acks=durable completes only after an fdatasync covered the batch") {
  ShardEnv s;
  const auto syncs_before = s.env.faults.file_syncs();
  auto leader = s.produce(Acks::leader, 0);
  CHECK(leader.error == ErrorCode::none);
  CHECK(s.env.faults.file_syncs() == syncs_before);  // leader acks never wait for a sync

  auto durable = s.produce(Acks::durable, 3);
  CHECK(durable.error == ErrorCode::none);
  CHECK(durable.base_offset == 3);
  CHECK(s.env.faults.file_syncs() > syncs_before);

  // What was acknowledged durably survives a power loss: stop the shard,
  // drop its partition without a clean close, lose unsynced bytes, reopen.
  s.shard->stop();
  s.blocking.join();
  s.shard.reset();
  REQUIRE_FALSE(s.env.faults.drop_unsynced());
  auto log = s.env.open(storage::LogConfig{});
  CHECK(log->log_end() == storage::Offset(6));
}

TEST_CASE("broker: a failed fsync answers acks=durable with STORAGE_ERROR and stops writes") {
  ShardEnv s;
  s.env.faults.fail_next_sync(std::errc::io_error);
  auto durable = s.produce(Acks::durable, 0);
  CHECK(durable.error == ErrorCode::storage_error);
  auto after = s.produce(Acks::leader, 3);
  CHECK(after.error == ErrorCode::storage_error);  // read-only now
}

}  // namespace
}  // namespace strata::test
