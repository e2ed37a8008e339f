#include "storage/data_dir_format.h"

#include <string_view>

#include "protocol/record.h"
#include "storage/data_dir_lock.h"

namespace strata::storage {
namespace {

constexpr std::string_view kVersionKey = "format.version=";

// The version named by the file's text, or -1 when it names none.
int parse_version(std::string_view text) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.starts_with(kVersionKey)) continue;
    line.remove_prefix(kVersionKey.size());
    if (line.empty() || line.size() > 6) return -1;
    int v = 0;
    for (const char c : line) {
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }
  return -1;
}

}  // namespace

Result<DataDirCheck> check_data_dir(FileSystem& fsys, const fs::path& dir) {
  DataDirCheck out;
  const fs::path meta = dir / kMetaFileName;
  if (fsys.exists(meta)) {
    STRATA_TRY(auto bytes, read_small_file(fsys, meta, 64 * 1024));
    const int version = parse_version(protocol::as_string(bytes));
    if (version == kDataFormatVersion) return out;
    out.refusal = version < 0 ? meta.string() + " names no format.version: it is damaged or not strata's; restore it "
                                                "from a backup, or move the directory aside and start empty"
                              : "the data directory " + dir.string() + " holds format " + std::to_string(version) +
                                    " (" + meta.string() + "), and this strata reads only format " +
                                    std::to_string(kDataFormatVersion) +
                                    ": run the strata version that wrote it, or move the directory aside";
    return out;
  }
  STRATA_TRY(auto names, fsys.list(dir));
  // The broker's lock file is made before this check runs.
  std::erase(names, std::string(kLockFileName));
  if (!names.empty()) {
    out.refusal = "the data directory " + dir.string() + " holds " + std::to_string(names.size()) +
                  " entries (e.g. '" + names.front() + "') but no " + kMetaFileName +
                  ": it was written by strata before format " + std::to_string(kDataFormatVersion) +
                  " (its own batch layout, not Kafka's RecordBatch v2), which this strata cannot read. Nothing "
                  "in it was changed. Run the older strata on it, or move it aside and start with an empty "
                  "directory";
    return out;
  }
  const std::string text =
      "# strata data directory; written once, at creation\nformat.version=" + std::to_string(kDataFormatVersion) +
      "\n";
  if (auto ec = replace_file(fsys, meta, protocol::as_bytes(text), true)) return ec;
  out.created = true;
  return out;
}

}  // namespace strata::storage
