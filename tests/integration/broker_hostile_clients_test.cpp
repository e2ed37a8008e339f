// Hostile clients against a real strata-broker process. Each hostile input is
// followed by a well-behaved client on a new connection that must produce and
// consume correctly, and the broker process must still run. The error code of
// each single bad request is checked in broker_errors_test.cpp; this file adds
// what a hostile peer does in bulk or at scale: memory it tries to make the
// broker allocate, thousands of sockets, seeded garbage, batches that lie with
// a valid checksum.
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "protocol/record.h"
#include "protocol/record_batch.h"
#include "tests/integration/broker_api_test_util.h"

namespace strata::it {
namespace {

namespace fs = std::filesystem;
namespace L = protocol::batch_layout;

constexpr const char* kHealthTopic = "health";

// A broker with the health topic created; `next` is its partition 0's end.
struct HostileFixture : BrokerFixture {
  explicit HostileFixture(std::vector<std::string> args = {}) : BrokerFixture(std::move(args)) {
    REQUIRE(client()->create_topic(kHealthTopic, 1).error == ErrorCode::none);
  }

  // A new connection produces two records and reads them back at the
  // offsets they were given; the broker process still runs.
  void check_healthy() {
    REQUIRE(broker->running());
    WireClient c(broker->port());
    const auto records = make_records("h", next, 2, now_ms());
    const auto res = c.produce(kHealthTopic, 0, make_batch(records));
    REQUIRE(res.error == ErrorCode::none);
    CHECK(res.base_offset == next);
    const auto fetched = c.fetch_one(kHealthTopic, 0, next);
    REQUIRE(fetched.error == ErrorCode::none);
    check_records(decode_batches(fetched.records).records, next, records);
    next += 2;
  }

  [[nodiscard]] std::uint64_t rss_kb() const {
    const auto kb = broker->proc_status_kb("VmRSS");
    REQUIRE(kb.has_value());
    return *kb;
  }

  std::uint64_t next = 0;
};

// Raises this process's open-file soft limit to the hard limit; returns the
// soft limit now in force. Children (the broker) inherit it.
rlim_t raise_fd_limit() {
  rlimit lim{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &lim) == 0);
  lim.rlim_cur = lim.rlim_max;
  (void)::setrlimit(RLIMIT_NOFILE, &lim);
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &lim) == 0);
  return lim.rlim_cur;
}

// Rewrites the CRC so that only the lie in the header is wrong.
void reseal(std::vector<std::uint8_t>& batch) {
  protocol::store_be(batch.data() + L::kCrc, protocol::compute_crc(batch));
}

}  // namespace

TEST_CASE("hostile clients: 4 GiB and max-size length prefixes do not make the broker allocate them") {
  HostileFixture f({"--max-frame-bytes", std::to_string(16u << 20)});
  f.check_healthy();
  const std::uint64_t rss_before = f.rss_kb();

  // 20 connections at once send a 4 GiB prefix, then keep pushing bytes.
  {
    std::vector<std::unique_ptr<WireClient>> conns;
    for (std::uint32_t i = 0; i < 20; ++i) {
      conns.push_back(f.client());
      conns.back()->send_bytes(frame_head(0xFFFFFFFFu, 6, 100 + i));
    }
    const std::vector<std::uint8_t> filler(1 << 20, 0xAB);
    for (std::uint32_t i = 0; i < conns.size(); ++i) {
      const ResponseFrame r = conns[i]->read_frame();
      CHECK(r.header.correlation_id == 100 + i);
      CHECK(r.header.error == ErrorCode::frame_too_large);
      conns[i]->set_timeout(500ms);
      (void)conns[i]->try_send_bytes(filler);  // the broker reads none of it
      CHECK(conns[i]->wait_closed(3000ms));
    }
  }
  f.check_healthy();

  // 20 connections at once announce a frame of exactly --max-frame-bytes
  // (16 MiB, accepted) and send 100 bytes of it: the broker must not
  // reserve 20 x 16 MiB for bytes that never come.
  {
    std::vector<std::unique_ptr<WireClient>> conns;
    for (std::uint32_t i = 0; i < 20; ++i) {
      conns.push_back(f.client());
      auto head = frame_head(16u << 20, 6, 200 + i);
      head.resize(4 + 100, 0);
      conns.back()->send_bytes(head);
    }
    // Every connection waits for the rest of its frame; watch the broker
    // for a second while it does.
    std::uint64_t rss_peak = 0;
    (void)eventually(
        [&] {
          rss_peak = std::max(rss_peak, f.rss_kb());
          return false;
        },
        1000ms);
    MESSAGE("broker VmRSS before " << rss_before << " kB, peak with 20 half-sent 16 MiB frames " << rss_peak
                                   << " kB");
    CHECK(rss_peak < rss_before + 32 * 1024);
  }
  f.check_healthy();
  INFO("broker VmRSS before " << rss_before << " kB, at the end " << f.rss_kb() << " kB");
  CHECK(f.rss_kb() < rss_before + 32 * 1024);
}

TEST_CASE("hostile clients: frames cut mid-way then silence are closed after the idle timeout") {
  HostileFixture f({"--idle-timeout-ms", "300"});
  f.check_healthy();
  std::vector<std::vector<std::uint8_t>> cuts;
  const auto whole = WireClient::request_frame(ApiKey::produce, 9,
                                               produce_request(kHealthTopic, 0, make_batch(make_records("c", 0, 3, now_ms())),
                                                               Acks::leader));
  for (std::size_t n : {std::size_t{1}, std::size_t{3}, std::size_t{4}, std::size_t{7}, std::size_t{12},
                        whole.size() / 2, whole.size() - 1}) {
    cuts.emplace_back(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
  }
  auto big = frame_head(1u << 20, 6, 10);  // 1 MiB announced, 64 KiB sent
  big.resize(64 * 1024, 0);
  cuts.push_back(big);

  for (const auto& cut : cuts) {
    CAPTURE(cut.size());
    WireClient c(f.broker->port());
    c.send_bytes(cut);
    CHECK(c.wait_closed(5000ms));
    f.check_healthy();
  }
  // The cut produce appended nothing: only the health checks' records.
  CHECK(f.client()->list_offset(kHealthTopic, 0, protocol::kLatestTimestamp).offset ==
        static_cast<std::int64_t>(f.next));
}

TEST_CASE("hostile clients: 2000 connections beyond --max-connections 50 are refused, those in are unaffected") {
  const rlim_t fds = raise_fd_limit();
  if (fds < 2300) {
    MESSAGE("skipped: RLIMIT_NOFILE is " << fds << ", fewer than the 2300 descriptors this test needs");
    return;
  }
  HostileFixture f({"--max-connections", "50"});
  f.check_healthy();  // its connection is closed again
  std::vector<std::unique_ptr<WireClient>> held;
  REQUIRE(eventually(
      [&] {
        // The health check's connection may not have been counted out yet.
        while (held.size() < 50) {
          auto c = f.client();
          ResponseFrame r;
          const std::uint32_t id = c->send(ApiKey::api_versions, protocol::ApiVersionsRequest{});
          if (c->read_frame(r, 3000ms) != ReadOutcome::frame || r.header.error != ErrorCode::none ||
              r.header.correlation_id != id) {
            return false;
          }
          held.push_back(std::move(c));
        }
        return true;
      },
      5000ms));

  std::vector<std::unique_ptr<WireClient>> flood;
  for (int i = 0; i < 2000; ++i) flood.push_back(std::make_unique<WireClient>(f.broker->port(), 3000ms));
  const auto request = WireClient::request_frame(ApiKey::api_versions, 4040, protocol::ApiVersionsRequest{});
  std::size_t refused = 0;
  std::size_t closed = 0;
  for (auto& c : flood) {
    // Accepted and refused (a frame or a close), never served.
    (void)c->try_send_bytes(request);
    ResponseFrame r;
    const ReadOutcome o = c->read_frame(r, 3000ms);
    REQUIRE(o != ReadOutcome::timeout);
    if (o == ReadOutcome::frame) {
      CHECK(r.header.error == ErrorCode::too_many_connections);
      CHECK(r.header.correlation_id == 4040);
      ++refused;
    } else {
      ++closed;
    }
  }
  MESSAGE("of 2000 extra connections, " << refused << " answered TOO_MANY_CONNECTIONS, " << closed
                                        << " closed before their request");
  CHECK(refused + closed == 2000);
  CHECK(refused > 0);
  for (auto& c : flood) CHECK(c->wait_closed(3000ms));
  flood.clear();

  // The 50 already in are served as before, and data flows through one.
  for (auto& c : held) CHECK(c->api_versions().apis.size() == protocol::kApiKeyCount);
  const auto records = make_records("in", f.next, 3, now_ms());
  REQUIRE(held.front()->produce(kHealthTopic, 0, make_batch(records)).base_offset == f.next);
  check_records(decode_batches(held.front()->fetch_one(kHealthTopic, 0, f.next).records).records, f.next, records);
  f.next += 3;

  // Once they leave, new clients get in.
  held.clear();
  REQUIRE(eventually(
      [&] {
        WireClient c(f.broker->port());
        ResponseFrame r;
        (void)c.send(ApiKey::api_versions, protocol::ApiVersionsRequest{});
        return c.read_frame(r, 3000ms) == ReadOutcome::frame && r.header.error == ErrorCode::none;
      },
      10000ms));
  f.check_healthy();
}

TEST_CASE("hostile clients: unknown API keys and versions as the first request of a connection") {
  HostileFixture f;
  const std::uint8_t body[] = {0xff, 0xff, 0xff, 0xff, 0, 1};
  struct Case {
    std::uint16_t key;
    std::uint16_t version;
    ErrorCode error;
  };
  constexpr std::uint16_t kFirstUnknown = protocol::kApiKeyCount;
  const Case cases[] = {{kFirstUnknown, 0, ErrorCode::unsupported_api},
                        {kFirstUnknown + 1, 0, ErrorCode::unsupported_api},
                        {0x7FFF, 0, ErrorCode::unsupported_api}, {0xFFFF, 0xFFFF, ErrorCode::unsupported_api},
                        {0, 1, ErrorCode::unsupported_version},  {6, 0x8000, ErrorCode::unsupported_version},
                        {7, 0xFFFF, ErrorCode::unsupported_version}};
  for (const Case& k : cases) {
    CAPTURE(k.key);
    CAPTURE(k.version);
    WireClient c(f.broker->port());
    c.send_bytes(WireClient::raw_request_frame(k.key, k.version, 31337, body));
    const ResponseFrame r = c.read_frame();
    CHECK(r.header.correlation_id == 31337);
    CHECK(r.header.error == k.error);
    // The connection stays usable after either answer.
    CHECK(c.api_versions().apis.size() == protocol::kApiKeyCount);
    f.check_healthy();
  }
}

TEST_CASE("hostile clients: bad topic names and partition counts create nothing, inside or outside the data dir") {
  HostileFixture f;
  const auto outside_before = file_names(f.data.path());
  const auto inside_before = file_names(f.data_dir());
  const std::string names[] = {"../etc", "", std::string(300, 'x'), "a/b", "/tmp/x", "..", "../../../../tmp/pwn",
                               std::string("nul\0byte", 8), "\xc3\xa9t\xc3\xa9", "back\\slash"};
  for (const auto& name : names) {
    CAPTURE(name);
    auto c = f.client();
    CHECK(c->create_topic(name, 1).error == ErrorCode::invalid_topic);
    CHECK(c->produce(name, 0, make_batch(make_records("x", 0, 1, now_ms()))).error == ErrorCode::invalid_topic);
    f.check_healthy();
  }
  // The count is a u32 on the wire: 0x80000000 and 0xFFFFFFFF are what a
  // client sends for INT32_MIN and -1.
  for (std::uint32_t n : {0u, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFEu, 1000000u, 10001u}) {
    CAPTURE(n);
    CHECK(f.client()->create_topic("parts", n).error == ErrorCode::invalid_partitions);
    f.check_healthy();
  }
  CHECK(f.client()->metadata().topics.size() == 1);
  CHECK(file_names(f.data.path()) == outside_before);
  CHECK(file_names(f.data_dir()) == inside_before);
  CHECK_FALSE(fs::exists("/tmp/pwn"));
  CHECK_FALSE(fs::exists(f.data.path() / "etc"));
}

TEST_CASE("hostile clients: batches that lie under a valid checksum are refused, the partition unchanged") {
  HostileFixture f;
  auto c = f.client();
  REQUIRE(c->create_topic("lies", 1).error == ErrorCode::none);
  const auto good_records = make_records("good", 0, 4, now_ms());
  REQUIRE(c->produce("lies", 0, make_batch(good_records)).error == ErrorCode::none);
  const auto before = c->metadata({"lies"}).topics.at(0).partitions.at(0);
  const auto log_file = f.partition_dir("lies", 0) / "00000000000000000000.log";
  const auto size_before = fs::file_size(log_file);
  const auto bytes_before = c->fetch_one("lies", 0, 0).records;

  const auto valid = make_batch(make_records("bad", 4, 4, now_ms(), 20));
  struct Lie {
    const char* what;
    std::uint32_t record_count;
    bool reseal;
  };
  const Lie lies[] = {
      {"wrong checksum", 4, false},      {"count 3 of 4", 3, true},         {"count 5 of 4", 5, true},
      {"count 1 of 4", 1, true},         {"count 0", 0, true},              {"count 0xFFFFFFFF", 0xFFFFFFFFu, true},
      {"count 0x80000000", 0x80000000u, true},
  };
  for (const Lie& lie : lies) {
    CAPTURE(lie.what);
    auto bad = valid;
    protocol::store_be(bad.data() + L::kRecordCount, lie.record_count);
    if (lie.reseal) reseal(bad);
    if (!lie.reseal) bad[L::kCrc] ^= 0x5A;
    CHECK(c->produce("lies", 0, bad).error == ErrorCode::corrupt_batch);
    f.check_healthy();
  }
  {
    // A batch length that lies, resealed over what it now claims to cover.
    auto shorter = valid;
    protocol::store_be(shorter.data() + L::kBatchLength, static_cast<std::uint32_t>(valid.size() - 12 - 5));
    protocol::store_be(shorter.data() + L::kCrc, protocol::compute_crc(protocol::Bytes(shorter).first(valid.size() - 5)));
    CHECK(c->produce("lies", 0, shorter).error == ErrorCode::corrupt_batch);
    // Two valid batches glued into one produce entry.
    auto two = valid;
    two.insert(two.end(), valid.begin(), valid.end());
    CHECK(c->produce("lies", 0, two).error == ErrorCode::corrupt_batch);
  }
  CHECK(c->metadata({"lies"}).topics.at(0).partitions.at(0) == before);
  CHECK(fs::file_size(log_file) == size_before);
  CHECK(c->fetch_one("lies", 0, 0).records == bytes_before);
  check_records(decode_batches(bytes_before).records, 0, good_records);
  f.check_healthy();
}

TEST_CASE("hostile clients: 200 connections of seeded random garbage, the broker stays up") {
  HostileFixture f({"--idle-timeout-ms", "300"});
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> length(1, 4096);
  for (int round = 0; round < 10; ++round) {
    std::vector<std::unique_ptr<WireClient>> conns;
    for (int i = 0; i < 20; ++i) {
      std::vector<std::uint8_t> junk(length(rng));
      for (auto& b : junk) b = static_cast<std::uint8_t>(byte(rng));
      if (i % 2 == 1 && junk.size() >= 12) {
        // Half carry a plausible header (its size, a real API key, v0) in
        // front of random bytes, so they reach the request decoders.
        protocol::store_le(junk.data(), static_cast<std::uint32_t>(junk.size() - 4));
        protocol::store_le(junk.data() + 4, static_cast<std::uint16_t>(i % 9));
        protocol::store_le(junk.data() + 6, std::uint16_t{0});
      }
      conns.push_back(f.client());
      (void)conns.back()->try_send_bytes(junk);
    }
    // Every connection ends: refused, answered and closed, or idle.
    for (auto& c : conns) CHECK(c->wait_closed(5000ms));
    f.check_healthy();
  }
  CHECK(f.client()->metadata().topics.size() == 1);
  CHECK(f.broker->count_log("request from") == 0);  // no handler threw
}

}  // namespace strata::it
