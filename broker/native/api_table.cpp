#include "broker/native/api_table.h"

#include <algorithm>
#include <cassert>

#include "broker/native/request_handlers.h"

namespace strata::broker {

void ApiTable::add(const ApiEntry& entry) {
  assert(entry.min_version <= entry.max_version && entry.handler != nullptr);
  auto at = std::lower_bound(entries_.begin(), entries_.end(), entry.key,
                             [](const ApiEntry& e, std::uint16_t key) { return e.key < key; });
  if (at != entries_.end() && at->key == entry.key) {
    *at = entry;
  } else {
    entries_.insert(at, entry);
  }
}

const ApiEntry* ApiTable::find(std::uint16_t key) const noexcept {
  auto at = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const ApiEntry& e, std::uint16_t k) { return e.key < k; });
  return at != entries_.end() && at->key == key ? &*at : nullptr;
}

std::vector<protocol::ApiVersionRange> ApiTable::versions() const {
  std::vector<protocol::ApiVersionRange> out;
  out.reserve(entries_.size());
  for (const auto& e : entries_) out.push_back({static_cast<protocol::ApiKey>(e.key), e.min_version, e.max_version});
  return out;
}

const ApiTable& strata_api_table() {
  static const ApiTable table = [] {
    using protocol::ApiKey;
    auto key = [](ApiKey k) { return static_cast<std::uint16_t>(k); };
    ApiTable t;
    t.add({key(ApiKey::api_versions), 0, 0, &api_versions_api});
    t.add({key(ApiKey::metadata), 0, 2, &metadata_api});
    t.add({key(ApiKey::create_topic), 0, 0, &create_topic_api});
    t.add({key(ApiKey::delete_topic), 0, 0, &delete_topic_api});
    t.add({key(ApiKey::describe_configs), 0, 0, &describe_configs_api});
    t.add({key(ApiKey::alter_configs), 0, 0, &alter_configs_api});
    t.add({key(ApiKey::produce), 0, 0, &produce_api});
    t.add({key(ApiKey::fetch), 0, 0, &fetch_api});
    t.add({key(ApiKey::list_offsets), 0, 0, &list_offsets_api});
    t.add({key(ApiKey::init_producer_id), 0, 0, &init_producer_id_api});
    t.add({key(ApiKey::describe_retention), 0, 0, &describe_retention_api});
    return t;
  }();
  return table;
}

}  // namespace strata::broker
