// The etcd gateway's JSON, both ways, on bodies copied from etcd 3.4.23's
// answers and on hostile ones.
#include <ostream>  // doctest prints std::error_code with it

#include <doctest/doctest.h>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/etcd_json.h"
#include "broker/cluster/json_fields.h"

namespace strata::cluster::etcd {

namespace {
const std::error_code kBad = make_error_code(ClusterErrc::bad_response);
}

TEST_CASE("etcd json: base64 round-trips every byte and refuses what is not base64") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
    const std::string raw = all.substr(0, n);
    const auto back = base64_decode(base64_encode(raw));
    REQUIRE(back);
    CHECK(back.value() == raw);
  }
  CHECK(base64_encode("a") == "YQ==");
  CHECK(base64_decode("YQ==").value() == "a");
  CHECK(base64_decode("YQ=").error() == kBad);    // not a multiple of 4
  CHECK(base64_decode("Y!==").error() == kBad);   // outside the alphabet
  CHECK(base64_decode("YQ==YQ==").error() == kBad);  // padding in the middle
  CHECK(base64_decode("Y===").error() == kBad);
}

TEST_CASE("etcd json: prefix_end is the key after every key with the prefix") {
  CHECK(prefix_end("/a/") == "/a0");
  CHECK(prefix_end(std::string("a\xff", 2)) == "b");
  CHECK(prefix_end(std::string("\xff\xff", 2)) == std::string(1, '\0'));
}

TEST_CASE("etcd json: a range answer, with the gateway's strings for numbers and absent zeros") {
  const std::string body =
      R"({"header":{"cluster_id":"7801232528081817440","member_id":"13458989633860879742","revision":"2",)"
      R"("raft_term":"2"},"kvs":[{"key":"YQ==","create_revision":"2","mod_revision":"2","version":"1",)"
      R"("value":"MQ=="}],"count":"1"})";
  const auto r = decode_range(body);
  REQUIRE(r);
  CHECK(r.value().revision == 2);
  REQUIRE(r.value().kvs.size() == 1);
  CHECK(r.value().kvs[0] == KeyValue{"a", "1", 2, 2, 1, 0});
  CHECK(r.value().count == 1);
  CHECK_FALSE(r.value().more);

  const auto empty = decode_range(R"({"header":{"revision":"7"}})");
  REQUIRE(empty);
  CHECK(empty.value().kvs.empty());
  CHECK(empty.value().count == 0);
  CHECK(empty.value().revision == 7);
}

TEST_CASE("etcd json: hostile answers are bad_response, never a crash or a silent zero") {
  CHECK(decode_range("").error() == kBad);
  CHECK(decode_range("{").error() == kBad);
  CHECK(decode_range("[]").error() == kBad);
  CHECK(decode_range(R"({"kvs":[]})").error() == kBad);  // no header
  CHECK(decode_range(R"({"header":{"revision":"x"}})").error() == kBad);
  CHECK(decode_range(R"({"header":{"revision":"-1"}})").error() == kBad);
  CHECK(decode_range(R"({"header":{"revision":"99999999999999999999"}})").error() == kBad);
  CHECK(decode_range(R"({"header":{"revision":1.5}})").error() == kBad);
  CHECK(decode_range(R"({"header":{"revision":"1"},"kvs":{}})").error() == kBad);
  CHECK(decode_range(R"({"header":{"revision":"1"},"kvs":[5]})").error() == kBad);
  CHECK(decode_range(R"({"header":{"revision":"1"},"kvs":[{"key":"!!!!"}]})").error() == kBad);
  CHECK(decode_range(R"({"header":{"revision":"1"},"more":"yes"})").error() == kBad);
  CHECK(decode_range(std::string(10000, '[')).error() == kBad);  // deep nesting, unterminated
  CHECK(decode_lease_grant(R"({"header":{"revision":"1"},"ID":"5"})").error() == kBad);  // no TTL
  CHECK(decode_keepalive(R"({"header":{}})").error() == kBad);
  CHECK(decode_watch_message(R"({"result":{"header":{"revision":"1"},"events":[{"type":"BOGUS","kv":{}}]}})")
            .error() == kBad);
}

TEST_CASE("etcd json: a failed txn has no succeeded field, and its range answers are read") {
  const std::string failed =
      R"({"header":{"revision":"2"},"responses":[{"response_range":{"header":{"revision":"2"},)"
      R"("kvs":[{"key":"YQ==","create_revision":"2","mod_revision":"2","version":"1","value":"MQ=="}],"count":"1"}}]})";
  const auto t = decode_txn(failed);
  REQUIRE(t);
  CHECK_FALSE(t.value().succeeded);
  REQUIRE(t.value().ranges.size() == 1);
  CHECK(t.value().ranges[0].kvs.at(0).value == "1");
  const auto ok = decode_txn(R"({"header":{"revision":"3"},"succeeded":true,"responses":[{"response_put":{}}]})");
  REQUIRE(ok);
  CHECK(ok.value().succeeded);
  CHECK(ok.value().ranges.empty());
}

TEST_CASE("etcd json: leases, keepalive of a gone lease, and error answers") {
  const auto l = decode_lease_grant(R"({"header":{"revision":"2"},"ID":"5007618305400870153","TTL":"2"})");
  REQUIRE(l);
  CHECK(l.value().id == 5007618305400870153);
  CHECK(l.value().ttl_s == 2);
  CHECK(decode_keepalive(R"({"result":{"header":{"revision":"2"},"ID":"1","TTL":"3"}})").value() == 3);
  CHECK(decode_keepalive(R"({"result":{"header":{"revision":"2"},"ID":"123"}})").value() == 0);  // gone
  const auto e = decode_error(R"({"error":"etcdserver: requested lease not found",)"
                              R"("message":"etcdserver: requested lease not found","code":5})");
  REQUIRE(e);
  CHECK(e->code == 5);
  CHECK(e->message == "etcdserver: requested lease not found");
  CHECK_FALSE(decode_error("<html>"));
}

TEST_CASE("etcd json: watch messages: created, events with PUT left out, compaction, stream errors") {
  const auto created = decode_watch_message(R"({"result":{"header":{"revision":"4"},"created":true}})");
  REQUIRE(created);
  CHECK(created.value().created);
  CHECK(created.value().revision == 4);
  const auto events = decode_watch_message(
      R"({"result":{"header":{"revision":"4"},"events":[{"kv":{"key":"YQ==","create_revision":"2",)"
      R"("mod_revision":"3","version":"2","value":"Mw=="}},{"type":"DELETE","kv":{"key":"YQ==","mod_revision":"4"}}]}})");
  REQUIRE(events);
  REQUIRE(events.value().events.size() == 2);
  CHECK(events.value().events[0].type == WatchEvent::Type::put);
  CHECK(events.value().events[0].kv.value == "3");
  CHECK(events.value().events[1].type == WatchEvent::Type::del);
  CHECK(events.value().events[1].kv.mod_revision == 4);
  const auto compacted =
      decode_watch_message(R"({"result":{"header":{"raft_term":"2"},"canceled":true,"compact_revision":"2"}})");
  // etcd leaves the header's revision out of this one: it reads as 0.
  CHECK(decode_watch_message(R"({"result":{"header":{},"canceled":true,"compact_revision":"2"}})").value().canceled);
  REQUIRE(compacted);
  CHECK(compacted.value().compact_revision == 2);
  std::string text;
  CHECK(decode_watch_message(R"({"error":{"grpc_code":14,"message":"unavailable"}})", &text).error() ==
        make_error_code(ClusterErrc::etcd_error));
  CHECK(text.find("unavailable") != std::string::npos);
}

TEST_CASE("etcd json: requests carry base64 keys, string numbers and the prefix's range end") {
  const auto range = Json::parse(encode_range({"/a/", true, 0, 0}));
  CHECK(range["key"] == base64_encode("/a/"));
  CHECK(range["range_end"] == base64_encode("/a0"));
  const auto put = Json::parse(encode_put({"k", "v", 42}));
  CHECK(put["lease"] == "42");
  const auto txn = Json::parse(
      encode_txn({{Compare::absent("k")}, {TxnOp::put("k", "v", 7)}, {TxnOp::get("k"), TxnOp::del("j")}}));
  CHECK(txn["compare"][0]["target"] == "CREATE");
  CHECK(txn["compare"][0]["result"] == "EQUAL");
  CHECK(txn["compare"][0]["create_revision"] == "0");
  CHECK(txn["success"][0]["request_put"]["lease"] == "7");
  CHECK(txn["failure"][0].contains("request_range"));
  CHECK(txn["failure"][1].contains("request_delete_range"));
  const auto watch = Json::parse(encode_watch_create("/p/", true, 9));
  CHECK(watch["create_request"]["start_revision"] == "9");
  CHECK(Json::parse(encode_lease_grant(3))["TTL"] == "3");
}

}  // namespace strata::cluster::etcd
