#include "storage/data_dir_identity.h"

#include <optional>
#include <string_view>

#include "protocol/record.h"
#include "storage/data_dir_format.h"

namespace strata::storage {
namespace {

constexpr std::string_view kClusterKey = "cluster.id=";
constexpr std::string_view kNodeKey = "node.id=";

// The value of the first line starting with `key`, if any.
std::optional<std::string_view> value_of(std::string_view text, std::string_view key) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.starts_with(key)) return line.substr(key.size());
  }
  return std::nullopt;
}

}  // namespace

Result<IdentityCheck> check_data_dir_identity(FileSystem& fsys, const fs::path& dir, const DataDirIdentity& identity) {
  IdentityCheck out;
  const fs::path meta = dir / kMetaFileName;
  STRATA_TRY(auto bytes, read_small_file(fsys, meta, 64 * 1024));
  std::string text(protocol::as_string(bytes));
  const auto cluster = value_of(text, kClusterKey);
  const auto node = value_of(text, kNodeKey);
  const std::string node_text = std::to_string(identity.node_id);
  if (cluster || node) {
    if (cluster == identity.cluster_id && node == node_text) return out;
    out.refusal = "the data directory " + dir.string() + " belongs to node " + std::string(node.value_or("?")) +
                  " of cluster " + std::string(cluster.value_or("?")) + " (" + meta.string() +
                  "), and this broker is node " + node_text + " of cluster " + identity.cluster_id +
                  ": give each broker its own data directory, or start it with the node id and etcd cluster "
                  "the directory was made with";
    return out;
  }
  if (!text.empty() && text.back() != '\n') text += '\n';
  text.append(kClusterKey).append(identity.cluster_id).append("\n");
  text.append(kNodeKey).append(node_text).append("\n");
  if (auto ec = replace_file(fsys, meta, protocol::as_bytes(text), true)) return ec;
  out.stamped = true;
  return out;
}

}  // namespace strata::storage
