// Integration tests of what outlives a request: durable acks across kill -9,
// a clean restart, live retention, and the idle timeout, against a real
// strata-broker process.
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <thread>

#include "tests/integration/test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;
using protocol::Acks;
using protocol::ApiKey;
using protocol::ErrorCode;
using Clock = std::chrono::steady_clock;

}  // namespace

TEST_CASE("broker lifecycle: acks=durable data survives kill -9") {
  BrokerFixture f;
  {
    auto admin = f.client();
    REQUIRE(admin->create_topic("durable", 2).error == ErrorCode::none);
  }
  const std::int64_t t0 = now_ms();

  // Four producers at once (group commit), each acked record noted.
  struct Acked {
    std::uint32_t partition;
    std::uint64_t base;
    std::vector<Rec> records;
  };
  constexpr int kProducers = 4;
  constexpr int kBatches = 25;
  std::vector<std::vector<Acked>> acked(kProducers);
  std::vector<std::string> failures(kProducers);
  std::vector<std::thread> threads;
  const auto port = f.broker->port();
  for (int t = 0; t < kProducers; ++t) {
    threads.emplace_back([&, t] {
      try {
        WireClient c(port);
        const auto partition = static_cast<std::uint32_t>(t % 2);
        for (int b = 0; b < kBatches; ++b) {
          auto records = make_records("t" + std::to_string(t), static_cast<std::uint64_t>(b) * 4, 4, t0 + b, 64);
          const auto res = c.produce("durable", partition, make_batch(records), Acks::durable);
          if (res.error != ErrorCode::none) {
            failures[t] = "produce failed: " + res.message;
            return;
          }
          acked[t].push_back({partition, res.base_offset, std::move(records)});
        }
      } catch (const std::exception& e) {
        failures[t] = e.what();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& failure : failures) CHECK(failure.empty());

  // Crash right after the last ack.
  const ExitStatus crashed = f.broker->kill9();
  CHECK_FALSE(crashed.exited);
  CHECK(crashed.signal == SIGKILL);

  f.restart({"--log-level", "debug"});
  // No clean-shutdown marker: both partitions are recovered, not trusted.
  CHECK(f.broker->count_log("opened after clean shutdown") == 0);
  CHECK(f.broker->count_log("recovered: ") == 2);
  auto c = f.client();
  std::map<std::uint32_t, std::map<std::uint64_t, Rec>> stored;
  for (std::uint32_t p = 0; p < 2; ++p) stored[p] = read_partition(*c, "durable", p);
  std::size_t checked = 0;
  for (const auto& per_producer : acked) {
    REQUIRE(per_producer.size() == static_cast<std::size_t>(kBatches));
    for (const Acked& a : per_producer) {
      for (std::size_t i = 0; i < a.records.size(); ++i) {
        const auto it = stored[a.partition].find(a.base + i);
        REQUIRE_MESSAGE(it != stored[a.partition].end(),
                        "acked offset " << a.base + i << " of partition " << a.partition << " is missing");
        CHECK(it->second == a.records[i]);
        ++checked;
      }
    }
  }
  CHECK(checked == kProducers * kBatches * 4);
  // Both partitions got two producers' 100 records each, and nothing else.
  CHECK(stored[0].size() == 200);
  CHECK(stored[1].size() == 200);
  // And the log continues after them.
  const auto next = c->produce("durable", 0, make_batch(make_records("after", 0, 1, t0)), Acks::durable);
  CHECK(next.error == ErrorCode::none);
  CHECK(next.base_offset == 200);
}

TEST_CASE("broker lifecycle: SIGTERM shuts down cleanly and a restart keeps topics, configs, data and offsets") {
  BrokerFixture f({"--log-level", "debug"});
  const std::int64_t t0 = now_ms();
  std::map<std::uint32_t, std::map<std::uint64_t, Rec>> before;
  protocol::MetadataResponse metadata_before;
  std::vector<protocol::ConfigEntry> configs_before;
  {
    auto c = f.client();
    REQUIRE(c->create_topic("keep", 3,
                            {{"segment.bytes", "4096"}, {"retention.ms", "86400000"}, {"max.message.bytes", "65536"}})
                .error == ErrorCode::none);
    REQUIRE(c->create_topic("other", 1).error == ErrorCode::none);
    REQUIRE(c->alter_configs("other", {{"retention.bytes", "123456789"}}).error == ErrorCode::none);
    std::uint64_t id = 0;
    for (int round = 0; round < 12; ++round) {
      for (std::uint32_t p = 0; p < 3; ++p) {
        if (p == 2 && round % 2 == 1) continue;  // uneven partitions
        const auto records = make_records("keep", id, 3, t0 + round, 200);
        id += 3;
        REQUIRE(c->produce("keep", p, make_batch(records)).error == ErrorCode::none);
      }
    }
    REQUIRE(c->produce("other", 0, make_batch(make_records("other", 0, 5, t0))).error == ErrorCode::none);
    REQUIRE(segment_bases(f.partition_dir("keep", 0)).size() > 1);  // several segments to reopen
    for (std::uint32_t p = 0; p < 3; ++p) before[p] = read_partition(*c, "keep", p);
    metadata_before = c->metadata({"keep", "other"});
    configs_before = c->describe_configs("keep").configs;
  }

  // While the broker stops, one client is connected and idle, and another
  // waits in a 10 s long poll.
  auto idle = f.client();
  REQUIRE(idle->api_versions().apis.size() == protocol::kApiKeyCount);
  auto polling = f.client();
  const auto poll_end = metadata_before.topics.at(0).partitions.at(1).log_end;
  (void)polling->send(ApiKey::fetch, fetch_request("keep", 1, poll_end, 10000));
  std::this_thread::sleep_for(100ms);
  const ExitStatus stopped = f.broker->stop(SIGTERM, 10s);
  CHECK(stopped.exited);
  CHECK(stopped.code == 0);
  CHECK(stopped.took < 5s);
  CHECK(f.broker->wait_for_log("stopped cleanly", 5s));
  CHECK(idle->wait_closed(1000ms));
  CHECK(polling->wait_closed(1000ms));  // answered or not, the connection ends with the broker
  for (std::uint32_t p = 0; p < 3; ++p) CHECK(fs::exists(f.partition_dir("keep", p)));

  f.restart({"--log-level", "debug"});
  // Every partition reopened from its clean-shutdown marker, scanning nothing.
  const auto lines = f.broker->log_lines();
  std::size_t clean = 0;
  for (const auto& line : lines) {
    if (line.find("opened after clean shutdown") == std::string::npos) continue;
    ++clean;
    CHECK_MESSAGE(line.find("scanned 0 bytes") != std::string::npos, line);
  }
  CHECK(clean == 4);  // keep/0..2 and other/0
  CHECK(f.broker->count_log("recovered") == 0);
  CHECK(f.broker->wait_for_log("loaded topic keep: 3 partitions, clean, scanned 0 bytes"));

  auto c = f.client();
  CHECK(c->metadata({"keep", "other"}).topics == metadata_before.topics);
  CHECK(c->describe_configs("keep").configs == configs_before);
  CHECK(config_value(*c, "other", "retention.bytes") == "123456789");
  for (std::uint32_t p = 0; p < 3; ++p) {
    CAPTURE(p);
    CHECK(read_partition(*c, "keep", p) == before[p]);
    const auto& md = metadata_before.topics.at(0).partitions.at(p);
    CHECK(c->list_offset("keep", p, protocol::kEarliestTimestamp).offset == static_cast<std::int64_t>(md.log_start));
    CHECK(c->list_offset("keep", p, protocol::kLatestTimestamp).offset == static_cast<std::int64_t>(md.log_end));
    CHECK(c->list_offset("keep", p, t0 + 5).offset >= 0);
  }
  // Appends continue at the old log end.
  const auto next = c->produce("keep", 0, make_batch(make_records("new", 0, 2, t0)));
  CHECK(next.error == ErrorCode::none);
  CHECK(next.base_offset == metadata_before.topics.at(0).partitions.at(0).log_end);

  // SIGINT right after traffic is just as clean.
  const ExitStatus again = f.broker->stop(SIGINT, 10s);
  CHECK(again.exited);
  CHECK(again.code == 0);
  CHECK(again.took < 5s);
}

// Issue 25 item 4: SIGHUP's default action killed the broker (status 129,
// no log line) and the next start ran crash recovery. It stops cleanly now.
TEST_CASE("broker lifecycle: SIGHUP stops the broker cleanly like SIGTERM") {
  BrokerFixture f({"--log-level", "debug"});
  {
    auto c = f.client();
    REQUIRE(c->create_topic("hup", 2).error == ErrorCode::none);
    REQUIRE(c->produce("hup", 0, make_batch(make_records("hup", 0, 5, now_ms()))).error == ErrorCode::none);
  }
  const ExitStatus stopped = f.broker->stop(SIGHUP, 10s);
  CHECK(stopped.exited);
  CHECK(stopped.code == 0);
  CHECK(f.broker->wait_for_log("received SIGHUP: shutting down"));
  CHECK(f.broker->wait_for_log("stopped cleanly"));
  f.restart({"--log-level", "debug"});
  CHECK(f.broker->wait_for_log("loaded topic hup: 2 partitions, clean, scanned 0 bytes"));
  CHECK(f.broker->count_log("recovered") == 0);
}

TEST_CASE("broker lifecycle: SIGTERM answers a pending long poll before closing the connection") {
  // PROTOCOL.md: a stopping broker answers BROKER_SHUTTING_DOWN, "closed
  // after the response"; an empty fetch answer would do as well. Either
  // way the client must learn its request ended rather than see a bare close.
  BrokerFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("lp", 1).error == ErrorCode::none);
  const std::uint32_t id = c->send(ApiKey::fetch, fetch_request("lp", 0, 0, 10000));
  ResponseFrame frame;
  REQUIRE(c->read_frame(frame, 200ms) == ReadOutcome::timeout);  // it is waiting

  const auto signalled = Clock::now();
  f.broker->signal(SIGTERM);
  const ReadOutcome outcome = c->read_frame(frame, 8000ms);
  const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - signalled);
  INFO("outcome " << static_cast<int>(outcome) << " after " << after.count() << " ms");
  CHECK(outcome == ReadOutcome::frame);
  if (outcome == ReadOutcome::frame) {
    CHECK(frame.header.correlation_id == id);
    const bool shutting_down = frame.header.error == ErrorCode::broker_shutting_down;
    const bool empty_answer =
        frame.header.error == ErrorCode::none &&
        WireClient::decode_reply<protocol::FetchResponse>(frame).topics.at(0).partitions.at(0).records.empty();
    CHECK((shutting_down || empty_answer));
    CHECK(after < 2000ms);
  }
  const ExitStatus stopped = f.broker->stop(SIGTERM, 10s);
  CHECK(stopped.exited);
  CHECK(stopped.code == 0);
  CHECK(after + stopped.took < 5000ms);
}

TEST_CASE("broker lifecycle: lowering retention with AlterConfigs deletes old segments live") {
  BrokerFixture f({"--retention-check-interval-ms", "200"});
  auto c = f.client();
  REQUIRE(c->create_topic("ret", 1, {{"segment.bytes", "1024"}}).error == ErrorCode::none);
  const std::int64_t t0 = now_ms();
  std::vector<Rec> all;
  for (int i = 0; i < 40; ++i) {
    auto records = make_records("ret", all.size(), 2, t0 + 2 * i, 150);
    const auto res = c->produce("ret", 0, make_batch(records));
    REQUIRE(res.error == ErrorCode::none);
    REQUIRE(res.base_offset == all.size());
    all.insert(all.end(), records.begin(), records.end());
  }
  const auto dir = f.partition_dir("ret", 0);
  const auto bases_before = segment_bases(dir);
  REQUIRE(bases_before.size() >= 10);
  REQUIRE(bases_before.front() == 0);

  // Unbounded retention: a few checks later, nothing has gone.
  std::this_thread::sleep_for(500ms);
  CHECK(c->list_offset("ret", 0, protocol::kEarliestTimestamp).offset == 0);
  CHECK(segment_bases(dir) == bases_before);

  const auto altered_at = Clock::now();
  REQUIRE(c->alter_configs("ret", {{"retention.bytes", "2048"}}).error == ErrorCode::none);
  std::int64_t earliest = 0;
  const bool advanced = eventually(
      [&] {
        earliest = c->list_offset("ret", 0, protocol::kEarliestTimestamp).offset;
        return earliest > 0;
      },
      5000ms);
  REQUIRE(advanced);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - altered_at);
  CHECK(took < 3000ms);

  // Retention finishes; then the disk holds only what the API reports.
  std::vector<std::uint64_t> bases;
  CHECK(eventually(
      [&] {
        bases = segment_bases(dir);
        earliest = c->list_offset("ret", 0, protocol::kEarliestTimestamp).offset;
        std::uint64_t total = 0;
        for (auto b : bases) total += fs::file_size(dir / (std::string(20 - std::to_string(b).size(), '0') +
                                                           std::to_string(b) + ".log"));
        return !bases.empty() && bases.front() == static_cast<std::uint64_t>(earliest) &&
               (total <= 2048 || bases.size() == 1);
      },
      5000ms));
  INFO("segments before " << bases_before.size() << ", after " << bases.size() << ", log start " << earliest);
  CHECK(bases.size() < bases_before.size());
  CHECK(bases.front() == static_cast<std::uint64_t>(earliest));
  // The deleted segments' files are gone (log, indexes, .deleted leftovers).
  CHECK(eventually(
      [&] {
        for (const auto& name : file_names(dir)) {
          if (name.size() < 20) continue;
          const auto stem = name.substr(0, 20);
          if (stem.find_first_not_of("0123456789") != std::string::npos) continue;
          if (std::stoull(stem) < static_cast<std::uint64_t>(earliest)) return false;
        }
        return true;
      },
      3000ms));
  for (const auto& name : file_names(dir)) CHECK(name.find(".deleted") == std::string::npos);

  // The API agrees with the disk.
  const auto md = c->metadata({"ret"}).topics.at(0).partitions.at(0);
  CHECK(md.log_start == static_cast<std::uint64_t>(earliest));
  CHECK(md.log_end == all.size());
  std::uint64_t on_disk = 0;
  for (auto b : segment_bases(dir)) {
    on_disk += fs::file_size(dir / (std::string(20 - std::to_string(b).size(), '0') + std::to_string(b) + ".log"));
  }
  CHECK(md.size_bytes == on_disk);
  CHECK(f.broker->wait_for_log("retention deleted segment", 5s));

  // What is left reads back intact from the new start; below it is gone.
  CHECK(c->fetch_one("ret", 0, 0).error == ErrorCode::offset_out_of_range);
  const auto kept = read_partition(*c, "ret", 0, static_cast<std::uint64_t>(earliest));
  REQUIRE(kept.size() == all.size() - static_cast<std::size_t>(earliest));
  for (const auto& [offset, rec] : kept) CHECK(rec == all[offset]);
}

TEST_CASE("broker lifecycle: --idle-timeout-ms closes a silent half-frame connection, others unaffected") {
  BrokerFixture f({"--idle-timeout-ms", "500"});
  auto busy = f.client();
  REQUIRE(busy->api_versions().apis.size() == protocol::kApiKeyCount);

  // Half a frame: a size prefix of 30 and 6 bytes of header, then silence.
  auto silent = f.client();
  auto frame = WireClient::request_frame(ApiKey::api_versions, 5, protocol::ApiVersionsRequest{});
  protocol::store_le<std::uint32_t>(frame.data(), 30);
  frame.resize(10);
  silent->send_bytes(frame);
  // A connection that never sends anything.
  auto mute = f.client();
  const auto started = Clock::now();

  // The busy client keeps talking meanwhile and is never cut off.
  bool silent_closed = false;
  bool mute_closed = false;
  int busy_requests = 0;
  while (Clock::now() - started < 5s && !(silent_closed && mute_closed)) {
    CHECK(busy->api_versions().apis.size() == protocol::kApiKeyCount);
    ++busy_requests;
    if (!silent_closed) silent_closed = silent->wait_closed(100ms);
    if (!mute_closed) mute_closed = mute->wait_closed(1ms);
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  CHECK(silent_closed);
  CHECK(mute_closed);
  CHECK(elapsed >= 400ms);   // not before the timeout
  CHECK(elapsed < 3000ms);   // but within a few seconds of it
  CHECK(busy_requests > 3);
  CHECK(busy->api_versions().apis.size() == protocol::kApiKeyCount);
  // The close can reach us before the broker's log line reaches the reader.
  CHECK(f.broker->wait_for_log("idle for 500 ms", 5s));
  // A new client is served as usual.
  CHECK(f.client()->api_versions().apis.size() == protocol::kApiKeyCount);
}

}  // namespace strata::it
