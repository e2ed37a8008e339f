#include "broker/cluster/etcd_json.h"

#include <limits>

#include <boost/beast/core/detail/base64.hpp>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/json_fields.h"

namespace strata::cluster::etcd {

namespace b64 = boost::beast::detail::base64;

namespace {

constexpr std::int64_t kMaxI64 = std::numeric_limits<std::int64_t>::max();
// Keys and values inside an already size-bounded body: no separate cap
// beyond the body's, but a string longer than it cannot occur anyway.
constexpr std::size_t kMaxField = std::numeric_limits<std::size_t>::max();

std::error_code bad() { return ClusterErrc::bad_response; }

std::string num(std::int64_t v) { return std::to_string(v); }

Result<std::string> bytes_field(const Json& obj, std::string_view name) {
  STRATA_TRY(auto text, string_field(obj, name, kMaxField, bad()));
  return base64_decode(text);
}

Result<std::int64_t> header_revision(const Json& j) {
  const auto it = j.find("header");
  if (it == j.end()) return bad();
  return int_field(*it, "revision", 0, kMaxI64, bad());
}

Result<KeyValue> decode_kv(const Json& j) {
  if (!j.is_object()) return bad();
  KeyValue kv;
  STRATA_TRY(kv.key, bytes_field(j, "key"));
  STRATA_TRY(kv.value, bytes_field(j, "value"));
  STRATA_TRY(kv.create_revision, int_field(j, "create_revision", 0, kMaxI64, bad()));
  STRATA_TRY(kv.mod_revision, int_field(j, "mod_revision", 0, kMaxI64, bad()));
  STRATA_TRY(kv.version, int_field(j, "version", 0, kMaxI64, bad()));
  STRATA_TRY(kv.lease, int_field(j, "lease", 0, kMaxI64, bad()));
  return kv;
}

// A range answer's body without its header (also nested in txn answers).
Result<RangeResult> decode_range_fields(const Json& j) {
  RangeResult r;
  if (const auto it = j.find("kvs"); it != j.end()) {
    if (!it->is_array()) return bad();
    r.kvs.reserve(it->size());
    for (const auto& e : *it) {
      STRATA_TRY(auto kv, decode_kv(e));
      r.kvs.push_back(std::move(kv));
    }
  }
  STRATA_TRY(r.more, bool_field(j, "more", bad()));
  STRATA_TRY(r.count, int_field(j, "count", 0, kMaxI64, bad()));
  return r;
}

Json range_fields(const std::string& key, bool prefix) {
  Json j{{"key", base64_encode(key)}};
  if (prefix) j["range_end"] = base64_encode(prefix_end(key));
  return j;
}

Json txn_op(const TxnOp& op) {
  switch (op.kind) {
    case TxnOp::Kind::put: {
      Json p{{"key", base64_encode(op.key)}, {"value", base64_encode(op.value)}};
      if (op.lease != 0) p["lease"] = num(op.lease);
      return Json{{"request_put", std::move(p)}};
    }
    case TxnOp::Kind::del: return Json{{"request_delete_range", range_fields(op.key, op.prefix)}};
    case TxnOp::Kind::range: return Json{{"request_range", range_fields(op.key, op.prefix)}};
  }
  return Json::object();
}

Json compare(const Compare& c) {
  static constexpr const char* kOps[] = {"EQUAL", "NOT_EQUAL", "GREATER", "LESS"};
  Json j{{"key", base64_encode(c.key)}, {"result", kOps[static_cast<int>(c.op)]}};
  switch (c.target) {
    case Compare::Target::create_revision:
      j["target"] = "CREATE";
      j["create_revision"] = num(c.number);
      break;
    case Compare::Target::mod_revision:
      j["target"] = "MOD";
      j["mod_revision"] = num(c.number);
      break;
    case Compare::Target::version:
      j["target"] = "VERSION";
      j["version"] = num(c.number);
      break;
    case Compare::Target::value:
      j["target"] = "VALUE";
      j["value"] = base64_encode(c.value);
      break;
  }
  return j;
}

Json ops(const std::vector<TxnOp>& list) {
  Json a = Json::array();
  for (const auto& op : list) a.push_back(txn_op(op));
  return a;
}

}  // namespace

std::string prefix_end(const std::string& prefix) {
  std::string end = prefix;
  while (!end.empty()) {
    auto& last = end.back();
    if (static_cast<unsigned char>(last) < 0xff) {
      last = static_cast<char>(static_cast<unsigned char>(last) + 1);
      return end;
    }
    end.pop_back();
  }
  return std::string(1, '\0');
}

std::string base64_encode(std::string_view raw) {
  std::string out(b64::encoded_size(raw.size()), '\0');
  out.resize(b64::encode(out.data(), raw.data(), raw.size()));
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return bad();
  std::size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  std::string out(b64::decoded_size(text.size()), '\0');
  const auto [written, read] = b64::decode(out.data(), text.data(), text.size());
  // decode stops at the first '=' or character outside the alphabet: all
  // of the text before the padding must have been read.
  if (read != text.size() - pad) return bad();
  out.resize(written);
  return out;
}

std::string encode_range(const RangeRequest& r) {
  Json j = range_fields(r.key, r.prefix);
  if (r.limit != 0) j["limit"] = num(r.limit);
  if (r.revision != 0) j["revision"] = num(r.revision);
  return j.dump();
}

std::string encode_put(const PutRequest& r) {
  Json j{{"key", base64_encode(r.key)}, {"value", base64_encode(r.value)}};
  if (r.lease != 0) j["lease"] = num(r.lease);
  return j.dump();
}

std::string encode_delete(const DeleteRequest& r) { return range_fields(r.key, r.prefix).dump(); }

std::string encode_txn(const TxnRequest& r) {
  Json cmp = Json::array();
  for (const auto& c : r.compare) cmp.push_back(compare(c));
  return Json{{"compare", std::move(cmp)}, {"success", ops(r.success)}, {"failure", ops(r.failure)}}.dump();
}

std::string encode_lease_grant(std::int64_t ttl_s) { return Json{{"TTL", num(ttl_s)}}.dump(); }

std::string encode_lease_id(std::int64_t id) { return Json{{"ID", num(id)}}.dump(); }

std::string encode_watch_create(const std::string& key, bool prefix, std::int64_t start_revision) {
  Json c = range_fields(key, prefix);
  if (start_revision != 0) c["start_revision"] = num(start_revision);
  return Json{{"create_request", std::move(c)}}.dump();
}

Result<RangeResult> decode_range(std::string_view body) {
  STRATA_TRY(auto j, parse_json(body, bad()));
  STRATA_TRY(auto r, decode_range_fields(j));
  STRATA_TRY(r.revision, header_revision(j));
  return r;
}

Result<std::int64_t> decode_header_revision(std::string_view body) {
  STRATA_TRY(auto j, parse_json(body, bad()));
  return header_revision(j);
}

Result<TxnResult> decode_txn(std::string_view body) {
  STRATA_TRY(auto j, parse_json(body, bad()));
  TxnResult t;
  STRATA_TRY(t.revision, header_revision(j));
  STRATA_TRY(t.succeeded, bool_field(j, "succeeded", bad()));
  if (const auto it = j.find("responses"); it != j.end()) {
    if (!it->is_array()) return bad();
    for (const auto& resp : *it) {
      if (!resp.is_object()) return bad();
      const auto range = resp.find("response_range");
      if (range == resp.end()) continue;
      STRATA_TRY(auto r, decode_range_fields(*range));
      r.revision = t.revision;
      t.ranges.push_back(std::move(r));
    }
  }
  return t;
}

Result<Lease> decode_lease_grant(std::string_view body) {
  STRATA_TRY(auto j, parse_json(body, bad()));
  Lease l;
  STRATA_TRY(l.id, int_field(j, "ID", 1, kMaxI64, bad()));
  STRATA_TRY(l.ttl_s, int_field(j, "TTL", 1, kMaxI64, bad()));
  return l;
}

Result<std::int64_t> decode_keepalive(std::string_view body) {
  STRATA_TRY(auto j, parse_json(body, bad()));
  const auto it = j.find("result");
  if (it == j.end()) return bad();
  return int_field(*it, "TTL", 0, kMaxI64, bad());
}

Result<WatchMessage> decode_watch_message(std::string_view line, std::string* error_text) {
  STRATA_TRY(auto j, parse_json(line, bad()));
  if (!j.is_object()) return bad();
  if (const auto err = j.find("error"); err != j.end()) {
    if (error_text != nullptr) *error_text = err->dump();
    return make_error_code(ClusterErrc::etcd_error);
  }
  const auto it = j.find("result");
  if (it == j.end() || !it->is_object()) return bad();
  const Json& r = *it;
  WatchMessage m;
  STRATA_TRY(m.revision, header_revision(r));
  STRATA_TRY(m.created, bool_field(r, "created", bad()));
  STRATA_TRY(m.canceled, bool_field(r, "canceled", bad()));
  STRATA_TRY(m.compact_revision, int_field(r, "compact_revision", 0, kMaxI64, bad()));
  STRATA_TRY(m.cancel_reason, string_field(r, "cancel_reason", kMaxField, bad()));
  if (const auto ev = r.find("events"); ev != r.end()) {
    if (!ev->is_array()) return bad();
    for (const auto& e : *ev) {
      if (!e.is_object()) return bad();
      WatchEvent out;
      STRATA_TRY(auto type, string_field(e, "type", 16, bad()));
      if (type == "DELETE") {
        out.type = WatchEvent::Type::del;
      } else if (!type.empty() && type != "PUT") {
        return bad();
      }
      const auto kv = e.find("kv");
      if (kv == e.end()) return bad();
      STRATA_TRY(out.kv, decode_kv(*kv));
      m.events.push_back(std::move(out));
    }
  }
  return m;
}

std::optional<EtcdErrorText> decode_error(std::string_view body) {
  auto j = parse_json(body, bad());
  if (!j || !j.value().is_object()) return std::nullopt;
  auto message = string_field(j.value(), "message", 4096, bad());
  auto code = int_field(j.value(), "code", 0, 100, bad());
  if (!message || !code || message.value().empty()) return std::nullopt;
  return EtcdErrorText{std::move(message).value(), static_cast<int>(code.value())};
}

}  // namespace strata::cluster::etcd
