// An idempotent producer across an outage longer than its delivery timeout
// (issue 22): the broker appends batches whose replies are lost, stays
// unreachable until the first record's time runs out, and comes back. A
// batch keeps its producer id and sequence once sent, so its resend is
// recognised and every record is in the log once; the caller of the
// expired record is told it may or may not be in the log.
//
// Deterministic: a LossyProxy drops the replies and cuts the connection at
// chosen points, each step waits for an observable state (the broker's log
// end, a callback), and the one pause only spreads the two records'
// deadlines apart.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <thread>

#include "tests/integration/client_library_test_util.h"
#include "tests/integration/lossy_proxy.h"

namespace strata::it {
using namespace library;
using namespace std::chrono_literals;

namespace {

std::uint16_t port_of(const std::string& address) {
  return static_cast<std::uint16_t>(std::stoul(address.substr(address.rfind(':') + 1)));
}

// Waits (bounded) until partition 0 of `topic` ends at `end`, asking the broker directly.
void wait_for_log_end(Client& direct, const std::string& topic, std::int64_t end) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (direct.list_offset(topic, 0, kLatestOffset) < end) {
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the broker never appended record " << end);
    std::this_thread::sleep_for(10ms);
  }
}

std::future<RecordMetadata> send_value(Producer& producer, const std::string& topic, std::string_view value) {
  ProducerRecord r = make_record(topic, std::nullopt, value);
  r.partition = 0;
  return producer.send_future(r);
}

// The Error a finished send ended with ("" if it succeeded), after waiting (bounded) for it.
std::optional<Error> error_of(std::future<RecordMetadata>& sent) {
  REQUIRE(sent.wait_for(30s) == std::future_status::ready);
  try {
    (void)sent.get();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// A broker, a topic of one partition, and a producer that reaches the
// broker only through a LossyProxy, its metadata already known.
struct OutageFixture {
  OutageFixture(const std::string& topic_name, ProducerOptions options) : topic(topic_name) {
    f.client->create_topic(topic, 1);
    proxy.emplace(port_of(f.address));
    ClientOptions co;
    co.broker = "127.0.0.1:" + std::to_string(proxy->port());
    co.connect_timeout_ms = 2000;
    through_proxy = std::make_unique<Client>(co);
    options.linger_ms = 0;
    options.retry_backoff_ms = 20;
    kept = std::make_unique<ScopedProducer>(*through_proxy, options);
    // The topic's metadata and configs now, while replies come back.
    REQUIRE((*kept)->partition_for(topic, std::nullopt) == 0);
  }
  std::future<RecordMetadata> send(std::string_view value) { return send_value(**kept, topic, value); }
  // Sends with replies lost from now on, and waits until the broker holds the record at `offset`.
  std::future<RecordMetadata> send_unanswered(std::string_view value, std::int64_t offset) {
    proxy->drop_replies();
    auto sent = send(value);
    wait_for_log_end(*f.client, topic, offset + 1);
    return sent;
  }
  [[nodiscard]] std::vector<std::string> log_values() {
    std::vector<std::string> out;
    for (const auto& r : consume_all(*f.client, topic, {0}, StartPosition::earliest())) out.push_back(r.value.value_or("<null>"));
    return out;
  }

  std::string topic;
  ClientFixture f;
  std::optional<LossyProxy> proxy;
  std::unique_ptr<Client> through_proxy;
  std::unique_ptr<ScopedProducer> kept;
};

}  // namespace

TEST_CASE("client library: a record sent, written and unanswered past the delivery timeout is in the log once") {
  ProducerOptions options;
  options.delivery_timeout_ms = 3000;
  OutageFixture o("outage", options);
  auto a = o.send_unanswered("a", 0);
  // b's delivery timeout runs out 1.5 s after a's: the broker comes back in between.
  std::this_thread::sleep_for(1500ms);
  auto b = o.send_unanswered("b", 1);  // both written, neither answered
  o.proxy->down();

  const auto a_error = error_of(a);
  REQUIRE(a_error);
  CHECK(a_error->kind() == Error::Kind::timeout);
  CHECK(a_error->code() == ErrorCode::request_timed_out);
  const std::string message = a_error->what();
  CHECK_MESSAGE(message.find("delivery_timeout_ms (3000 ms)") != std::string::npos, message);
  CHECK_MESSAGE(message.find("may or may not be in the log") != std::string::npos, message);
  o.proxy->up();

  // b's resend keeps its numbers: the broker answers with its first offset
  // instead of appending it again under a new producer id.
  REQUIRE(b.wait_for(30s) == std::future_status::ready);
  CHECK(b.get().offset == 1);
  auto c = o.send("c");
  REQUIRE(c.wait_for(30s) == std::future_status::ready);
  CHECK(c.get().offset == 2);
  CHECK(o.log_values() == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("client library: a record never sent before its delivery timeout says it is not in the log") {
  ProducerOptions options;
  options.delivery_timeout_ms = 1000;
  options.max_in_flight_per_partition = 1;
  OutageFixture o("unsent", options);
  auto a = o.send_unanswered("a", 0);
  auto b = o.send("b");  // waits behind a: one batch in flight
  o.proxy->down();
  const auto b_error = error_of(b);
  REQUIRE(b_error);
  CHECK_MESSAGE(std::string(b_error->what()).find("never sent, so it is not in the log") != std::string::npos,
                b_error->what());
  CHECK(error_of(a));
  o.proxy->up();
  // a's outcome is unknown and nothing acknowledged follows it: the
  // partition starts over under a new producer id, and is accepted.
  auto c = o.send("c");
  REQUIRE(c.wait_for(30s) == std::future_status::ready);
  CHECK(c.get().offset == 1);
  CHECK(o.log_values() == std::vector<std::string>{"a", "c"});
}

}  // namespace strata::it
