#include "broker/cluster/lease_file.h"

#include <charconv>
#include <string>
#include <string_view>

#include "broker/cluster/cluster_errc.h"

namespace strata::cluster {

namespace {
constexpr std::string_view kKey = "lease.id=";
constexpr std::size_t kMaxBytes = 128;
}  // namespace

Result<std::optional<std::int64_t>> read_lease_file(storage::FileSystem& fs, const storage::fs::path& data_dir) {
  const auto path = data_dir / kLeaseFileName;
  if (!fs.exists(path)) return std::optional<std::int64_t>();
  STRATA_TRY(auto bytes, storage::read_small_file(fs, path, kMaxBytes));
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!text.starts_with(kKey) || !text.ends_with('\n')) return ClusterErrc::bad_value;
  text.remove_prefix(kKey.size());
  text.remove_suffix(1);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
    return ClusterErrc::bad_value;
  }
  return std::optional<std::int64_t>(id);
}

std::error_code write_lease_file(storage::FileSystem& fs, const storage::fs::path& data_dir, std::int64_t lease_id) {
  std::string text(kKey);
  text += std::to_string(lease_id);
  text += '\n';
  const auto* data = reinterpret_cast<const std::uint8_t*>(text.data());
  return storage::replace_file(fs, data_dir / kLeaseFileName, storage::Bytes(data, text.size()), /*durable=*/true);
}

}  // namespace strata::cluster
