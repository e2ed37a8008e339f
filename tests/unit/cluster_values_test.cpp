#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include <set>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/cluster_values.h"

namespace strata::cluster {

namespace {
const std::error_code kBad = make_error_code(ClusterErrc::bad_value);

template <typename Decode>
std::string refusal(Decode decode, const std::string& json) {
  std::string why;
  const auto r = decode(json, why);
  if (r) return "(accepted)";
  CHECK(r.error() == kBad);
  return why;
}
}  // namespace

TEST_CASE("cluster values: uuids are 16 random non-zero bytes shown as Kafka shows them") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const Uuid id = random_uuid();
    CHECK(id != Uuid{});
    const std::string text = uuid_text(id);
    CHECK(text.size() == 22);
    CHECK(text.find_first_of("+/=") == std::string::npos);
    CHECK(parse_uuid(text).value() == id);
    seen.insert(text);
  }
  CHECK(seen.size() == 100);
  // 16 bytes of 0xff, as Kafka's Uuid.toString writes them (URL-safe, unpadded).
  Uuid all_ones{};
  all_ones.fill(0xff);
  CHECK(uuid_text(all_ones) == "_____________________w");
  CHECK(parse_uuid("AAAAAAAAAAAAAAAAAAAAAA").error() == kBad);  // all zero
  CHECK_FALSE(parse_uuid("_____________________w=="));
  CHECK_FALSE(parse_uuid("____________________/w"));
  CHECK_FALSE(parse_uuid("_____________________x"));  // non-canonical last char
  CHECK_FALSE(parse_uuid(""));
}

TEST_CASE("cluster values: a broker registration round-trips") {
  const BrokerRegistration b{3, random_uuid(), {{"strata", "127.0.0.1", 9092}, {"kafka", "::1", 19092}}};
  std::string why;
  CHECK(decode_broker_registration(encode(b), why).value() == b);
}

TEST_CASE("cluster values: a bad broker registration is refused naming the field") {
  const std::string inc = uuid_text(random_uuid());
  const auto dec = [](std::string_view j, std::string& w) { return decode_broker_registration(j, w); };
  CHECK(refusal(dec, "nope") == "not JSON");
  CHECK(refusal(dec, "[]") == "not a JSON object");
  CHECK(refusal(dec, R"({"incarnation":")" + inc + R"(","endpoints":[]})").find("field 'id' is missing") == 0);
  CHECK(refusal(dec, R"({"id":-1,"incarnation":")" + inc + R"(","endpoints":[]})").find("field 'id'") == 0);
  CHECK(refusal(dec, R"({"id":1,"incarnation":"x","endpoints":[]})").find("field 'incarnation'") == 0);
  CHECK(refusal(dec, R"({"id":1,"incarnation":")" + inc + R"(","endpoints":[]})").find("field 'endpoints'") == 0);
  CHECK(refusal(dec, R"({"id":1,"incarnation":")" + inc +
                         R"(","endpoints":[{"listener":"strata","host":"h","port":0}]})")
            .find("field 'port'") == 0);
  CHECK(refusal(dec, R"({"id":1,"incarnation":")" + inc +
                         R"(","endpoints":[{"listener":"Bad Name","host":"h","port":1}]})")
            .find("field 'listener'") == 0);
  CHECK(refusal(dec, R"({"id":1,"incarnation":")" + inc +
                         R"(","endpoints":[{"listener":"a","host":"h","port":1},{"listener":"a","host":"h","port":2}]})")
            .find("twice") != std::string::npos);
}

TEST_CASE("cluster values: a topic record round-trips") {
  const TopicRecord t{random_uuid(), 3, {{1, 2}, {2, 3}, {3, 1}}, {{"retention.ms", "1000"}, {"cleanup", "x"}}};
  std::string why;
  CHECK(decode_topic_record(encode(t), why).value() == t);
}

TEST_CASE("cluster values: a bad topic record is refused naming the field") {
  const std::string id = uuid_text(random_uuid());
  const auto dec = [](std::string_view j, std::string& w) { return decode_topic_record(j, w); };
  auto topic = [&](const std::string& partitions, const std::string& replicas, const std::string& configs) {
    return R"({"topic_id":")" + id + R"(","partitions":)" + partitions + R"(,"replicas":)" + replicas +
           R"(,"configs":)" + configs + "}";
  };
  CHECK(refusal(dec, topic("2", "[[1],[2]]", "{}")) == "(accepted)");
  CHECK(refusal(dec, topic("0", "[]", "{}")).find("field 'partitions'") == 0);
  CHECK(refusal(dec, topic("10001", "[]", "{}")).find("field 'partitions'") == 0);
  CHECK(refusal(dec, topic("2", "[[1]]", "{}")).find("one entry per partition") != std::string::npos);
  CHECK(refusal(dec, topic("1", "[[]]", "{}")).find("field 'replicas'") == 0);
  CHECK(refusal(dec, topic("1", "[[1,1]]", "{}")).find("repeats") != std::string::npos);
  CHECK(refusal(dec, topic("1", "[[-5]]", "{}")).find("field 'replicas'") == 0);
  CHECK(refusal(dec, topic("1", "[[\"1\"]]", "{}")).find("field 'replicas'") == 0);
  CHECK(refusal(dec, topic("1", "[[1]]", "{\"a\":1}")).find("field 'configs'") == 0);
  CHECK(refusal(dec, topic("1", "[[1]]", "[]")).find("field 'configs'") == 0);
  CHECK(refusal(dec, topic("1", "[[1]]", "{\"a\":\"" + std::string(4097, 'x') + "\"}")).find("field 'configs'") == 0);
  CHECK(refusal(dec, R"({"partitions":1,"replicas":[[1]],"configs":{}})").find("field 'topic_id' is missing") == 0);
}

TEST_CASE("cluster values: a partition state round-trips, and one whose ISR lacks its leader is refused") {
  const PartitionState p{2, 7, {2, 1}, 123456789012};
  std::string why;
  CHECK(decode_partition_state(encode(p), why).value() == p);
  const PartitionState none{-1, 8, {2}, 5};
  CHECK(decode_partition_state(encode(none), why).value() == none);
  const auto dec = [](std::string_view j, std::string& w) { return decode_partition_state(j, w); };
  CHECK(refusal(dec, R"({"leader":3,"leader_epoch":0,"isr":[1],"controller_epoch":1})").find("leader") !=
        std::string::npos);
  CHECK(refusal(dec, R"({"leader":-2,"leader_epoch":0,"isr":[],"controller_epoch":1})").find("field 'leader'") == 0);
  CHECK(refusal(dec, R"({"leader":-1,"leader_epoch":-1,"isr":[],"controller_epoch":1})").find("field 'leader_epoch'") ==
        0);
  CHECK(refusal(dec, R"({"leader":-1,"leader_epoch":0,"isr":[],"controller_epoch":-1})")
            .find("field 'controller_epoch'") == 0);
  CHECK(refusal(dec, R"({"leader":-1,"leader_epoch":0,"isr":{},"controller_epoch":1})").find("field 'isr'") == 0);
}

}  // namespace strata::cluster
