// etcd v3's JSON gateway, both directions: requests built from etcd_types.h
// values, answers parsed back (DESIGN decision 13). The gateway's rules:
// keys and values are base64; 64-bit numbers are JSON strings (numbers are
// accepted too); a field that is zero, false or empty is left out, so an
// absent field reads as zero/false/empty. Every decoder checks types and
// bounds and returns ClusterErrc::bad_response rather than trusting the
// peer. No Asio here: this file is unit-tested on strings alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "broker/cluster/etcd_types.h"
#include "protocol/base/result.h"

namespace strata::cluster::etcd {

[[nodiscard]] std::string base64_encode(std::string_view raw);
// Strict: only the standard alphabet, padding only at the end, length a
// multiple of 4 (the gateway always pads).
[[nodiscard]] Result<std::string> base64_decode(std::string_view text);

// Request bodies, one per gateway path (comment names the path).
[[nodiscard]] std::string encode_range(const RangeRequest& r);    // /v3/kv/range
[[nodiscard]] std::string encode_put(const PutRequest& r);        // /v3/kv/put
[[nodiscard]] std::string encode_delete(const DeleteRequest& r);  // /v3/kv/deleterange
[[nodiscard]] std::string encode_txn(const TxnRequest& r);        // /v3/kv/txn
[[nodiscard]] std::string encode_lease_grant(std::int64_t ttl_s); // /v3/lease/grant
[[nodiscard]] std::string encode_lease_id(std::int64_t id);       // /v3/lease/keepalive, /v3/lease/revoke
// /v3/watch: from start_revision (0 = from now) on key, or every key under it.
[[nodiscard]] std::string encode_watch_create(const std::string& key, bool prefix, std::int64_t start_revision);

// Answers. Each takes the whole HTTP body of a 200 answer.
[[nodiscard]] Result<RangeResult> decode_range(std::string_view body);
[[nodiscard]] Result<std::int64_t> decode_header_revision(std::string_view body);  // put, deleterange
[[nodiscard]] Result<TxnResult> decode_txn(std::string_view body);
[[nodiscard]] Result<Lease> decode_lease_grant(std::string_view body);
// The TTL left after a keepalive; 0 when etcd no longer has the lease.
[[nodiscard]] Result<std::int64_t> decode_keepalive(std::string_view body);
// One line of a watch stream: {"result": {...}}, or {"error": {...}}
// (which decodes as an error, its message kept in `error_text`).
[[nodiscard]] Result<WatchMessage> decode_watch_message(std::string_view line, std::string* error_text = nullptr);

// What an error answer says: {"error": "...", "message": "...", "code": N}
// gives its message and gRPC code; anything else gives nullopt.
struct EtcdErrorText {
  std::string message;
  int code = 0;  // gRPC status code (5 = not found, 14 = unavailable)
};
[[nodiscard]] std::optional<EtcdErrorText> decode_error(std::string_view body);

}  // namespace strata::cluster::etcd
