// Descriptors stay within budget with thousands of partitions (DESIGN
// decision 8): segment files come from each shard's FileCache of
// file.cache.size entries, and the background flush runs at most
// Shard::kMaxBackgroundSyncs tickets at a time (a ticket holds its active
// log open). Before that bound, one flush pass queued a ticket, and so a
// descriptor, for every dirty partition at once: 10,000 partitions with one
// message each held 11,000 descriptors against a budget of 2,048.
#include <doctest/doctest.h>

#include <dirent.h>

#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

using protocol::ErrorCode;

std::size_t open_descriptors(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fd";
  DIR* d = ::opendir(path.c_str());
  REQUIRE(d != nullptr);
  std::size_t n = 0;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(d);
  return n;
}

}  // namespace

TEST_CASE("descriptor budget: 2,000 partitions written at once stay within file.cache.size") {
  constexpr unsigned kTopics = 200;
  constexpr unsigned kPartitions = 10;
  constexpr std::size_t kCache = 16;  // per shard; the broker runs 2 shards here
  BrokerFixture f({"--file-cache-size", std::to_string(kCache), "--flush-interval-ms", "50"});
  auto c = f.client();
  const std::size_t idle = open_descriptors(f.broker->pid());  // sockets, epoll, pipes, ...
  for (unsigned t = 0; t < kTopics; ++t) {
    REQUIRE(c->create_topic("t" + std::to_string(t), kPartitions).error == ErrorCode::none);
  }
  std::size_t peak = 0;
  for (unsigned t = 0; t < kTopics; ++t) {
    for (unsigned p = 0; p < kPartitions; ++p) {
      const auto batch = make_batch(make_records("m", p, 1, now_ms(), 50));
      REQUIRE(c->produce("t" + std::to_string(t), p, batch).error == ErrorCode::none);
    }
    peak = std::max(peak, open_descriptors(f.broker->pid()));
  }
  // Every background flush pass over the 2,000 dirty partitions, sampled.
  const auto until = std::chrono::steady_clock::now() + 1500ms;
  while (std::chrono::steady_clock::now() < until) {
    peak = std::max(peak, open_descriptors(f.broker->pid()));
    std::this_thread::sleep_for(5ms);
  }
  // Two caches, up to 4 background tickets per shard, a little slack.
  const std::size_t budget = idle + 2 * kCache + 2 * 4 + 8;
  CHECK_MESSAGE(peak <= budget, "peak " << peak << " descriptors, budget " << budget << " (idle " << idle << ")");
  // And the data is all there.
  CHECK(c->list_offset("t" + std::to_string(kTopics - 1), kPartitions - 1, protocol::kLatestTimestamp).offset == 1);
}

}  // namespace strata::it
