#include "storage/file_system.h"

namespace strata::storage {

Result<std::vector<std::uint8_t>> read_small_file(FileSystem& fs, const fs::path& path, std::size_t max_bytes) {
  STRATA_TRY(auto file, fs.open(path, OpenMode::read_write));
  if (file->size() > max_bytes) return std::make_error_code(std::errc::file_too_large);
  std::vector<std::uint8_t> data(file->size());
  STRATA_TRY(auto n, file->read_at(0, data));
  data.resize(n);
  return data;
}

std::error_code replace_file(FileSystem& fs, const fs::path& path, Bytes data, bool durable,
                             std::string_view tmp_suffix) {
  fs::path tmp = path;
  tmp += tmp_suffix;
  {
    STRATA_TRY(auto file, fs.open(tmp, OpenMode::create_read_write));
    if (auto ec = file->truncate(0)) return ec;
    if (auto ec = file->append(data)) return ec;
    if (durable) {
      if (auto ec = file->sync()) return ec;
    }
  }
  if (auto ec = fs.rename(tmp, path)) return ec;
  if (durable) return fs.sync_directory(path.parent_path());
  return {};
}

}  // namespace strata::storage
