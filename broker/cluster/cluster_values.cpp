#include "broker/cluster/cluster_values.h"

#include <algorithm>
#include <limits>
#include <random>
#include <set>

#include "broker/cluster/cluster_errc.h"
#include "broker/cluster/etcd_json.h"
#include "broker/cluster/json_fields.h"
#include "protocol/topic_name.h"

namespace strata::cluster {

namespace {

constexpr std::int32_t kMaxNodeId = std::numeric_limits<std::int32_t>::max();
constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxListenerName = 32;

std::error_code bad() { return ClusterErrc::bad_value; }

// A required field's checked reads: each sets `why` and fails on a missing
// field, a wrong type or a value out of range.
struct Reader {
  const Json& obj;
  std::string& why;

  bool fail(std::string_view name, std::string_view what) {
    why = "field '" + std::string(name) + "' " + std::string(what);
    return false;
  }
  const Json* field(std::string_view name) {
    if (!obj.is_object()) {
      why = "not a JSON object";
      return nullptr;
    }
    const auto it = obj.find(name);
    if (it == obj.end()) {
      fail(name, "is missing");
      return nullptr;
    }
    return &*it;
  }
  bool integer(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t& out) {
    if (field(name) == nullptr) return false;
    auto v = int_field(obj, name, min, max, bad());
    if (!v) return fail(name, "is not an integer from " + std::to_string(min) + " to " + std::to_string(max));
    out = v.value();
    return true;
  }
  bool int32(std::string_view name, std::int64_t min, std::int64_t max, std::int32_t& out) {
    std::int64_t v = 0;
    if (!integer(name, min, max, v)) return false;
    out = static_cast<std::int32_t>(v);
    return true;
  }
  bool string(std::string_view name, std::size_t max_size, std::string& out) {
    const Json* f = field(name);
    if (f == nullptr) return false;
    if (!f->is_string() || f->get_ref<const std::string&>().size() > max_size) {
      return fail(name, "is not a string of at most " + std::to_string(max_size) + " bytes");
    }
    out = f->get<std::string>();
    return true;
  }
  bool uuid(std::string_view name, Uuid& out) {
    std::string text;
    if (!string(name, 64, text)) return false;
    auto id = parse_uuid(text);
    if (!id) return fail(name, "is not a 22-character id (URL-safe base64 of 16 bytes, not all zero)");
    out = id.value();
    return true;
  }
  // An array of distinct node ids, 1..max_size of them (0.. when allow_empty).
  bool node_ids(const Json& a, std::string_view name, bool allow_empty, std::vector<std::int32_t>& out) {
    if (!a.is_array() || a.size() > kMaxReplicas || (!allow_empty && a.empty())) {
      return fail(name, "is not a list of 1 to " + std::to_string(kMaxReplicas) + " node ids");
    }
    for (const auto& e : a) {
      if (!e.is_number_integer() || e.get<std::int64_t>() < 0 || e.get<std::int64_t>() > kMaxNodeId) {
        return fail(name, "holds something that is not a node id (0 to 2147483647)");
      }
      out.push_back(e.get<std::int32_t>());
    }
    if (std::set<std::int32_t>(out.begin(), out.end()).size() != out.size()) return fail(name, "repeats a node id");
    return true;
  }
};

template <typename T, typename Fill>
Result<T> decode_with(std::string_view json, std::string& why, Fill fill) {
  auto j = parse_json(json, bad());
  if (!j) {
    why = "not JSON";
    return bad();
  }
  T out;
  Reader r{j.value(), why};
  if (!fill(r, out)) return bad();
  return out;
}

bool valid_listener_name(std::string_view n) {
  if (n.empty() || n.size() > kMaxListenerName) return false;
  return std::all_of(n.begin(), n.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

}  // namespace

Uuid random_uuid() {
  static thread_local std::random_device device;
  Uuid id{};
  do {
    for (std::size_t i = 0; i < id.size(); i += 4) {
      const unsigned v = device();
      for (std::size_t b = 0; b < 4; ++b) id[i + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
  } while (id == Uuid{});
  return id;
}

std::string uuid_text(const Uuid& id) {
  std::string s = etcd::base64_encode(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
  while (!s.empty() && s.back() == '=') s.pop_back();
  std::replace(s.begin(), s.end(), '+', '-');
  std::replace(s.begin(), s.end(), '/', '_');
  return s;
}

Result<Uuid> parse_uuid(std::string_view text) {
  if (text.size() != 22) return bad();
  std::string s(text);
  if (s.find_first_of("+/=") != std::string::npos) return bad();
  std::replace(s.begin(), s.end(), '-', '+');
  std::replace(s.begin(), s.end(), '_', '/');
  auto raw = etcd::base64_decode(s + "==");
  if (!raw || raw.value().size() != 16) return bad();
  Uuid id{};
  std::copy(raw.value().begin(), raw.value().end(), id.begin());
  if (id == Uuid{} || uuid_text(id) != text) return bad();  // one text per id
  return id;
}

std::string encode(const BrokerRegistration& b) {
  Json eps = Json::array();
  for (const auto& e : b.endpoints) eps.push_back({{"listener", e.listener}, {"host", e.host}, {"port", e.port}});
  return Json{{"id", b.id}, {"incarnation", uuid_text(b.incarnation)}, {"endpoints", std::move(eps)}}.dump();
}

std::string encode(const ControllerRecord& c) { return Json{{"broker_id", c.broker_id}}.dump(); }

std::string encode(const TopicRecord& t) {
  return Json{{"topic_id", uuid_text(t.topic_id)},
              {"partitions", t.partitions},
              {"replicas", t.replicas},
              {"configs", t.configs}}
      .dump();
}

std::string encode(const PartitionState& p) {
  return Json{{"leader", p.leader},
              {"leader_epoch", p.leader_epoch},
              {"isr", p.isr},
              {"controller_epoch", p.controller_epoch}}
      .dump();
}

Result<BrokerRegistration> decode_broker_registration(std::string_view json, std::string& why) {
  return decode_with<BrokerRegistration>(json, why, [](Reader& r, BrokerRegistration& b) {
    if (!r.int32("id", 0, kMaxNodeId, b.id) || !r.uuid("incarnation", b.incarnation)) return false;
    const Json* eps = r.field("endpoints");
    if (eps == nullptr) return false;
    if (!eps->is_array() || eps->empty() || eps->size() > kMaxListeners) {
      return r.fail("endpoints", "is not a list of 1 to " + std::to_string(kMaxListeners) + " endpoints");
    }
    for (const auto& e : *eps) {
      AdvertisedEndpoint out;
      Reader er{e, r.why};
      std::int32_t port = 0;
      if (!er.string("listener", kMaxListenerName, out.listener) || !er.string("host", kMaxHostLength, out.host) ||
          !er.int32("port", 1, 65535, port)) {
        return false;
      }
      if (!valid_listener_name(out.listener)) return r.fail("listener", "is not 1-32 of [a-z0-9_-]");
      if (out.host.empty()) return r.fail("host", "is empty");
      const bool repeated = std::any_of(b.endpoints.begin(), b.endpoints.end(),
                                        [&](const AdvertisedEndpoint& x) { return x.listener == out.listener; });
      if (repeated) return r.fail("endpoints", "names listener '" + out.listener + "' twice");
      out.port = static_cast<std::uint16_t>(port);
      b.endpoints.push_back(std::move(out));
    }
    return true;
  });
}

Result<ControllerRecord> decode_controller_record(std::string_view json, std::string& why) {
  return decode_with<ControllerRecord>(
      json, why, [](Reader& r, ControllerRecord& c) { return r.int32("broker_id", 0, kMaxNodeId, c.broker_id); });
}

Result<TopicRecord> decode_topic_record(std::string_view json, std::string& why) {
  return decode_with<TopicRecord>(json, why, [](Reader& r, TopicRecord& t) {
    if (!r.uuid("topic_id", t.topic_id) || !r.int32("partitions", 1, kMaxTopicPartitions, t.partitions)) {
      return false;
    }
    const Json* replicas = r.field("replicas");
    if (replicas == nullptr) return false;
    if (!replicas->is_array() || replicas->size() != static_cast<std::size_t>(t.partitions)) {
      return r.fail("replicas", "is not a list with one entry per partition");
    }
    for (const auto& p : *replicas) {
      std::vector<std::int32_t> ids;
      if (!r.node_ids(p, "replicas", false, ids)) return false;
      t.replicas.push_back(std::move(ids));
    }
    const Json* configs = r.field("configs");
    if (configs == nullptr) return false;
    if (!configs->is_object() || configs->size() > kMaxTopicConfigs) {
      return r.fail("configs", "is not an object of at most " + std::to_string(kMaxTopicConfigs) + " entries");
    }
    for (const auto& [key, value] : configs->items()) {
      if (key.empty() || key.size() > protocol::kMaxTopicNameLength || !value.is_string() ||
          value.get_ref<const std::string&>().size() > kMaxConfigValueBytes) {
        return r.fail("configs", "has an entry that is not a name and a string value of at most " +
                                     std::to_string(kMaxConfigValueBytes) + " bytes");
      }
      t.configs.emplace(key, value.get<std::string>());
    }
    return true;
  });
}

Result<PartitionState> decode_partition_state(std::string_view json, std::string& why) {
  return decode_with<PartitionState>(json, why, [](Reader& r, PartitionState& p) {
    if (!r.int32("leader", -1, kMaxNodeId, p.leader) ||
        !r.int32("leader_epoch", 0, std::numeric_limits<std::int32_t>::max(), p.leader_epoch) ||
        !r.integer("controller_epoch", 0, std::numeric_limits<std::int64_t>::max(), p.controller_epoch)) {
      return false;
    }
    const Json* isr = r.field("isr");
    if (isr == nullptr || !r.node_ids(*isr, "isr", true, p.isr)) return false;
    if (p.leader != -1 && std::find(p.isr.begin(), p.isr.end(), p.leader) == p.isr.end()) {
      return r.fail("isr", "does not hold the leader");
    }
    return true;
  });
}

}  // namespace strata::cluster
