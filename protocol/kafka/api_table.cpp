#include "protocol/kafka/api_table.h"

#include <array>

namespace strata::kafka {
namespace {

constexpr std::array<ApiVersionRange, 12> kApis{{
    {ApiKey::produce, 3, 7, -1, "Produce"},
    {ApiKey::fetch, 4, 11, -1, "Fetch"},
    {ApiKey::list_offsets, 1, 3, -1, "ListOffsets"},
    {ApiKey::metadata, 1, 6, -1, "Metadata"},
    {ApiKey::find_coordinator, 0, 2, -1, "FindCoordinator"},
    {ApiKey::api_versions, 0, 3, 3, "ApiVersions"},
    {ApiKey::create_topics, 0, 4, -1, "CreateTopics"},
    {ApiKey::delete_topics, 0, 1, -1, "DeleteTopics"},
    {ApiKey::init_producer_id, 0, 1, -1, "InitProducerId"},
    {ApiKey::describe_configs, 0, 2, -1, "DescribeConfigs"},
    {ApiKey::alter_configs, 0, 1, -1, "AlterConfigs"},
    {ApiKey::incremental_alter_configs, 0, 1, 1, "IncrementalAlterConfigs"},
}};

}  // namespace

std::span<const ApiVersionRange> supported_apis() noexcept { return kApis; }

const ApiVersionRange* find_api(std::int16_t key) noexcept {
  for (const auto& api : kApis) {
    if (static_cast<std::int16_t>(api.key) == key) return &api;
  }
  return nullptr;
}

std::int16_t request_header_version(const ApiVersionRange& api, std::int16_t version) noexcept {
  return is_flexible(api, version) ? 2 : 1;
}

std::int16_t response_header_version(const ApiVersionRange& api, std::int16_t version) noexcept {
  if (api.key == ApiKey::api_versions) return 0;
  return is_flexible(api, version) ? 1 : 0;
}

}  // namespace strata::kafka
