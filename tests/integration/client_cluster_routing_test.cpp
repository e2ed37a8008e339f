// The client library and the CLI against three real brokers and a real etcd
// (issue 17): bootstrapped from one broker, they send each partition's
// requests to its leader; a broker killed -9 fails only its partitions
// (LEADER_NOT_AVAILABLE once the delivery timeout passes) while the others
// keep working from the same client, which recovers when it returns.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/broker_cluster_fixture.h"
#include "tests/integration/client_library_test_util.h"
#include "tests/integration/client_test_util.h"

namespace strata::it {

using library::Ack;
using library::make_record;
using library::record_ack;
using Clock = std::chrono::steady_clock;

namespace {

std::string address(const ThreeBrokers& c, int id) { return "127.0.0.1:" + std::to_string(c.port(id)); }

// Waits (bounded) until broker `via` sees all three brokers live, so a
// topic created next is spread over all of them.
bool all_three_joined(const ThreeBrokers& c, int via) {
  ClientOptions options;
  options.broker = address(c, via);
  Client admin(options);
  return eventually([&] { return admin.describe_cluster().brokers.size() == 3; }, 20s);
}

ProducerRecord to_partition(const std::string& topic, std::uint32_t partition, const std::string& value) {
  ProducerRecord r = make_record(topic, std::nullopt, value);
  r.partition = partition;
  return r;
}

// Sends one record and waits for its outcome (bounded).
Ack send_one(Producer& p, const ProducerRecord& r, std::chrono::milliseconds wait = 30s) {
  std::vector<Ack> acks(1);
  p.send(r, record_ack(acks, 0));
  (void)p.flush_for(wait);
  return acks[0];
}

}  // namespace

TEST_CASE("a client bootstrapped from one broker produces to and consumes every partition of three brokers") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  REQUIRE(all_three_joined(c, 1));
  REQUIRE(create_everywhere(c, 1, "spread", 6));
  const std::vector<int> leaders = leaders_by_produce(c, "spread", 6);  // one probe record each
  std::map<int, int> led;
  for (int l : leaders) ++led[l];
  REQUIRE_MESSAGE(led.size() == 3, "leaders " << leaders[0] << leaders[1] << leaders[2] << leaders[3] << leaders[4]
                                              << leaders[5]);  // the client must reach all three

  ClientOptions options;
  options.broker = address(c, 1);
  Client client(options);
  {
    ProducerOptions po;
    po.delivery_timeout_ms = 20000;
    Producer producer(client, po);
    std::vector<Ack> acks(60);
    for (std::uint32_t i = 0; i < 60; ++i) {
      producer.send(to_partition("spread", i % 6, "v" + std::to_string(i)), record_ack(acks, i));
    }
    REQUIRE(producer.flush_for(30s));
    for (std::uint32_t i = 0; i < 60; ++i) {
      CHECK_MESSAGE(acks[i].error.empty(), "record " << i << ": " << acks[i].error);
      CHECK(acks[i].offset == 1 + i / 6);  // after the probe
    }
  }
  for (std::uint32_t p = 0; p < 6; ++p) CHECK(client.list_offset("spread", p, kLatestOffset) == 11);
  const auto records = consume_all(client, "spread", library::all_partitions(6), StartPosition::at(1));
  REQUIRE(records.size() == 60);
  std::map<std::uint32_t, int> per_partition;
  for (const auto& r : records) {
    ++per_partition[r.partition];
    CHECK(std::stoi(r.value->substr(1)) % 6 == static_cast<int>(r.partition));
  }
  for (std::uint32_t p = 0; p < 6; ++p) CHECK(per_partition[p] == 10);
  // Retention too comes from each leader (the asked broker's copies of the
  // partitions it does not lead are empty).
  const auto retention = client.describe_retention("spread");
  REQUIRE(retention.size() == 6);
  for (const auto& r : retention) CHECK_MESSAGE(r.oldest_size_bytes > 0, "partition " << r.partition);

  // One broker's long poll does not hold back another's records: with all
  // six partitions at their end, a record on one comes back long before
  // the poll's 8 s (the other two brokers' fetches stay out meanwhile).
  Consumer tail(client);
  for (std::uint32_t p = 0; p < 6; ++p) tail.assign("spread", p, StartPosition::latest());
  (void)tail.poll(0);  // positions resolved, fetches sent
  {
    Producer one(client);
    REQUIRE(send_one(one, to_partition("spread", 4, "late")).error.empty());
  }
  const auto asked = Clock::now();
  std::vector<ConsumerRecord> late;
  for (int i = 0; i < 3 && late.empty(); ++i) late = tail.poll(8000);
  CHECK(Clock::now() - asked < 4s);
  REQUIRE(late.size() == 1);
  CHECK(late[0].partition == 4);
  CHECK(late[0].value == "late");

  // The CLI, bootstrapped from another single broker: keyed lines land on
  // every partition (XXH3 of k0..k59 over 6 covers all), each sent to its
  // leader; consume and offsets read every partition from its leader.
  std::string lines;
  for (int i = 0; i < 60; ++i) lines += "k" + std::to_string(i) + ":line" + std::to_string(i) + "\n";
  const ProcessResult produced = run_strata(address(c, 2), {"produce", "spread", "--key-separator", ":"}, lines, 30s);
  REQUIRE_MESSAGE(produced.code == 0, produced.describe());
  CHECK_MESSAGE(produced.err.find("sent 60 of 60") != std::string::npos, produced.describe());
  const ProcessResult consumed = run_strata(address(c, 3), {"consume", "spread", "--format", "json"}, {}, 30s);
  REQUIRE_MESSAGE(consumed.code == 0, consumed.describe());
  std::map<std::uint32_t, int> cli_partitions;
  int lines_read = 0;
  for (std::size_t at = 0, nl; (nl = consumed.out.find('\n', at)) != std::string::npos; at = nl + 1) {
    const JsonValue j = parse_json(std::string_view(consumed.out).substr(at, nl - at));
    ++cli_partitions[static_cast<std::uint32_t>(as_int(j.at("partition")))];
    if (j.at("value").get<std::string>().rfind("line", 0) == 0) ++lines_read;
  }
  CHECK(lines_read == 60);
  CHECK(cli_partitions.size() == 6);
  const ProcessResult offsets = run_strata(address(c, 3), {"offsets", "spread", "--format", "json"});
  REQUIRE_MESSAGE(offsets.code == 0, offsets.describe());
  std::int64_t total = 0;
  const JsonValue rows = parse_json(offsets.out);
  for (const auto& row : rows.at("partitions")) total += as_int(row.at("latest"));
  CHECK_MESSAGE(total == 6 + 60 + 1 + 60, offsets.out);
}

TEST_CASE("kill -9 of a broker: its partition fails LEADER_NOT_AVAILABLE after the delivery timeout, the others "
          "keep working, and the same producer and consumer recover when it returns") {
  if (!etcd_installed()) return;
  ThreeBrokers c;
  REQUIRE(all_three_joined(c, 1));
  REQUIRE(create_everywhere(c, 1, "t", 3));
  const std::vector<int> leaders = leaders_by_produce(c, "t", 3);  // one probe record each
  const int victim = leaders[0];
  REQUIRE(victim > 0);
  REQUIRE((leaders[1] != victim && leaders[2] != victim));  // three partitions, one each
  const int bootstrap = victim % 3 + 1;  // a survivor
  ClientOptions options;
  options.broker = address(c, bootstrap);
  Client client(options);
  ProducerOptions po;
  po.delivery_timeout_ms = 3000;
  Producer producer(client, po);
  for (std::uint32_t p = 0; p < 3; ++p) {
    const Ack a = send_one(producer, to_partition("t", p, "before"));
    REQUIRE_MESSAGE(a.error.empty(), a.error);
  }
  Consumer consumer(client);
  for (std::uint32_t p = 0; p < 3; ++p) consumer.assign("t", p, StartPosition::at(2));  // after probe and "before"
  // A client bootstrapped from the broker about to die, which has learnt
  // the cluster from it.
  ClientOptions on_victim;
  on_victim.broker = address(c, victim);
  Client orphan(on_victim);
  REQUIRE(orphan.list_offset("t", 1, kLatestOffset) == 2);

  c.kill9(victim);
  // Once its lease is gone (TTL 2 s), the cluster says the partition's
  // broker is down.
  auto survivor = c.client(bootstrap);
  REQUIRE(eventually([&] {
    return survivor->produce("t", 0, make_batch(make_records("x", 0, 1, now_ms()))).error ==
           protocol::ErrorCode::leader_not_available;
  }, 20s));

  // Its partition: retried until the delivery timeout, then a clear error.
  std::vector<Ack> acks(3);
  const auto sent = Clock::now();
  producer.send(to_partition("t", 0, "while-down"), record_ack(acks, 0));
  producer.send(to_partition("t", 1, "while-down"), record_ack(acks, 1));
  producer.send(to_partition("t", 2, "while-down"), record_ack(acks, 2));
  REQUIRE(producer.flush_for(30s));
  const auto took = Clock::now() - sent;
  CHECK(acks[1].error.empty());
  CHECK(acks[2].error.empty());
  CHECK_MESSAGE(acks[0].error.find("LEADER_NOT_AVAILABLE") != std::string::npos, acks[0].error);
  CHECK_MESSAGE(acks[0].error.find("t/0") != std::string::npos, acks[0].error);
  CHECK_MESSAGE(acks[0].error.find("broker " + std::to_string(victim) + ", which is down") != std::string::npos,
                acks[0].error);
  CHECK_MESSAGE(acks[0].error.find("delivery_timeout_ms (3000 ms)") != std::string::npos, acks[0].error);
  CHECK(took >= 2900ms);
  CHECK(took < 20s);
  // The consumer of all three keeps reading the two that are up.
  std::map<std::uint32_t, int> got;
  bool unavailable_said = false;
  for (int i = 0; i < 100 && (got[1] == 0 || got[2] == 0 || !unavailable_said); ++i) {
    try {
      for (const auto& r : consumer.poll(200)) ++got[r.partition];
    } catch (const Error& e) {
      CHECK_MESSAGE((e.code() == ErrorCode::leader_not_available || e.kind() == Error::Kind::network), e.what());
      unavailable_said = unavailable_said || e.code() == ErrorCode::leader_not_available;
    }
  }
  CHECK(got[1] == 1);
  CHECK(got[2] == 1);
  CHECK(got[0] == 0);
  CHECK(unavailable_said);
  // Its bootstrap broker is gone: it asks a live broker it learnt of.
  CHECK(orphan.list_offset("t", 1, kLatestOffset) == 3);
  CHECK(orphan.partition_count("t", true) == 3);
  // The CLI says the same, and its other partitions still take lines.
  const ProcessResult down = run_strata(address(c, bootstrap), {"produce", "t", "--partition", "0",
                                                                "--delivery-timeout", "2s"}, "x\n", 30s);
  CHECK(down.code != 0);
  CHECK_MESSAGE(down.err.find("LEADER_NOT_AVAILABLE") != std::string::npos, down.describe());
  const ProcessResult up = run_strata(address(c, bootstrap), {"produce", "t", "--partition", "1"}, "y\n", 30s);
  CHECK_MESSAGE(up.code == 0, up.describe());

  // Back: the same producer and consumer find it again.
  c.restart(victim);
  bool recovered = false;
  for (int i = 0; i < 40 && !recovered; ++i) {
    const Ack a = send_one(producer, to_partition("t", 0, "after"), 10s);
    recovered = a.done && a.error.empty();
  }
  CHECK(recovered);
  bool read_back = false;
  for (int i = 0; i < 100 && !read_back; ++i) {
    try {
      for (const auto& r : consumer.poll(200)) read_back = read_back || (r.partition == 0 && r.value == "after");
    } catch (const Error& e) {
      CHECK_MESSAGE(e.retriable(), e.what());
    }
  }
  CHECK(read_back);
}

}  // namespace strata::it
