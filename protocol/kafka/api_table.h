// The Kafka APIs strata serves, with the versions it decodes: the one table
// ApiVersions advertises, the request-header decoder consults and each
// per-API codec's kMinVersion/kMaxVersion must match (a unit test checks).
// Advertise only what is decoded: a client told a version it then cannot
// use hangs or fails.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace strata::kafka {

// Kafka's API keys (the numbers are Kafka's).
enum class ApiKey : std::int16_t {
  produce = 0,
  fetch = 1,
  list_offsets = 2,
  metadata = 3,
  find_coordinator = 10,
  api_versions = 18,
  create_topics = 19,
  delete_topics = 20,
  init_producer_id = 22,
  describe_configs = 32,
  alter_configs = 33,
  incremental_alter_configs = 44,
};

struct ApiVersionRange {
  ApiKey key;
  std::int16_t min_version;
  std::int16_t max_version;
  // The first flexible version (compact fields, tagged fields, request
  // header v2), or -1 when every served version is classic.
  std::int16_t first_flexible;
  std::string_view name;  // Kafka's name, e.g. "Produce"
};

// Every served API, ordered by key.
[[nodiscard]] std::span<const ApiVersionRange> supported_apis() noexcept;
// The API's row, or null for a key strata does not serve.
[[nodiscard]] const ApiVersionRange* find_api(std::int16_t key) noexcept;
[[nodiscard]] inline bool version_supported(const ApiVersionRange& api, std::int16_t version) noexcept {
  return version >= api.min_version && version <= api.max_version;
}
[[nodiscard]] inline bool is_flexible(const ApiVersionRange& api, std::int16_t version) noexcept {
  return api.first_flexible >= 0 && version >= api.first_flexible;
}
// Request header version: 2 for flexible versions, else 1.
[[nodiscard]] std::int16_t request_header_version(const ApiVersionRange& api, std::int16_t version) noexcept;
// Response header version: 1 for flexible versions, else 0; always 0 for
// ApiVersions (KIP-511: a client must read it before it knows the version).
[[nodiscard]] std::int16_t response_header_version(const ApiVersionRange& api, std::int16_t version) noexcept;

}  // namespace strata::kafka
