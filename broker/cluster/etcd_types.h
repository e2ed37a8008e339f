// The parts of etcd's v3 KV, lease and watch API that strata uses, as plain
// values (no JSON, no Asio). Keys and values are raw bytes in std::string;
// the JSON gateway's base64 and string-encoded 64-bit numbers stay in
// etcd_json.*. Field meanings are etcd's (api/etcdserverpb/rpc.proto).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata::cluster::etcd {

struct KeyValue {
  std::string key;
  std::string value;
  std::int64_t create_revision = 0;  // 0 in a compare: "the key does not exist"
  std::int64_t mod_revision = 0;
  std::int64_t version = 0;
  std::int64_t lease = 0;  // 0 = no lease
  bool operator==(const KeyValue&) const = default;
};

// A range: one key, or with `prefix` every key starting with it.
struct RangeRequest {
  std::string key;
  bool prefix = false;
  std::int64_t limit = 0;     // 0 = no limit
  std::int64_t revision = 0;  // 0 = the latest
};

struct RangeResult {
  std::int64_t revision = 0;  // the store's revision the answer reflects
  std::vector<KeyValue> kvs;
  bool more = false;
  std::int64_t count = 0;
};

struct PutRequest {
  std::string key;
  std::string value;
  std::int64_t lease = 0;
};

struct DeleteRequest {
  std::string key;
  bool prefix = false;
};

// One comparison of a transaction. Only the target named is compared.
struct Compare {
  enum class Target { create_revision, mod_revision, value, version };
  enum class Op { equal, not_equal, greater, less };
  std::string key;
  Target target = Target::create_revision;
  Op op = Op::equal;
  std::int64_t number = 0;  // for the revision and version targets
  std::string value;        // for Target::value

  static Compare absent(std::string k) { return {std::move(k), Target::create_revision, Op::equal, 0, {}}; }
  static Compare created_at(std::string k, std::int64_t rev) {
    return {std::move(k), Target::create_revision, Op::equal, rev, {}};
  }
  static Compare modified_at(std::string k, std::int64_t rev) {
    return {std::move(k), Target::mod_revision, Op::equal, rev, {}};
  }
  static Compare value_is(std::string k, std::string v) {
    return {std::move(k), Target::value, Op::equal, 0, std::move(v)};
  }
};

// One operation of a transaction's success or failure branch.
struct TxnOp {
  enum class Kind { put, del, range };
  Kind kind = Kind::put;
  std::string key;
  std::string value;        // put
  std::int64_t lease = 0;   // put
  bool prefix = false;      // del, range

  static TxnOp put(std::string k, std::string v, std::int64_t lease = 0) {
    return {Kind::put, std::move(k), std::move(v), lease, false};
  }
  static TxnOp del(std::string k) { return {Kind::del, std::move(k), {}, 0, false}; }
  static TxnOp get(std::string k, bool prefix = false) { return {Kind::range, std::move(k), {}, 0, prefix}; }
};

struct TxnRequest {
  std::vector<Compare> compare;
  std::vector<TxnOp> success;
  std::vector<TxnOp> failure;
};

struct TxnResult {
  bool succeeded = false;
  std::int64_t revision = 0;
  // One per range op of the branch taken, in order (puts and deletes add none).
  std::vector<RangeResult> ranges;
};

struct Lease {
  std::int64_t id = 0;
  std::int64_t ttl_s = 0;  // as granted: may be larger than asked
};

struct WatchEvent {
  enum class Type { put, del };
  Type type = Type::put;
  KeyValue kv;  // for del: key and mod_revision only
};

// One message of a watch stream.
struct WatchMessage {
  std::int64_t revision = 0;
  bool created = false;
  bool canceled = false;
  std::int64_t compact_revision = 0;  // set when canceled for compaction
  std::string cancel_reason;
  std::vector<WatchEvent> events;
};

// The prefix's range end: the key after every key that starts with prefix
// (etcd's rule: increment the last byte below 0xff; "\0" for all keys).
[[nodiscard]] std::string prefix_end(const std::string& prefix);

}  // namespace strata::cluster::etcd
