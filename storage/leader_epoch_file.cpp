#include "storage/leader_epoch_file.h"

#include <xxhash.h>

#include <string>

namespace strata::storage {

namespace {
constexpr std::uint32_t kMagic = 0x50454c53;  // "SLEP" little-endian
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kChecksumBytes = 8;

class EpochFileCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "strata.leader_epoch_file"; }
  std::string message(int ev) const override {
    switch (static_cast<EpochFileErrc>(ev)) {
      case EpochFileErrc::truncated: return "leader-epoch-checkpoint is shorter than its header";
      case EpochFileErrc::bad_magic: return "leader-epoch-checkpoint is not a leader-epoch file";
      case EpochFileErrc::unsupported_version:
        return "leader-epoch-checkpoint was written by another version of strata";
      case EpochFileErrc::bad_count:
        return "leader-epoch-checkpoint's entry count is too large or disagrees with its size";
      case EpochFileErrc::checksum_mismatch: return "leader-epoch-checkpoint fails its checksum";
      case EpochFileErrc::not_monotonic:
        return "leader-epoch-checkpoint's epochs or start offsets do not strictly increase";
    }
    return "unknown leader-epoch file error";
  }
};
}  // namespace

using protocol::load_le;
using protocol::store_le;

const std::error_category& epoch_file_category() noexcept {
  static const EpochFileCategory category;
  return category;
}

std::vector<std::uint8_t> encode_epoch_file(const std::vector<EpochEntry>& entries) {
  std::vector<std::uint8_t> out(kEpochFileHeaderBytes + entries.size() * kEpochEntryBytes + kChecksumBytes);
  std::uint8_t* p = out.data();
  store_le(p, kMagic);
  store_le(p + 4, kVersion);
  store_le(p + 8, static_cast<std::uint32_t>(entries.size()));
  p += kEpochFileHeaderBytes;
  for (const auto& e : entries) {
    store_le(p, e.epoch);
    store_le(p + 4, e.start.value());
    p += kEpochEntryBytes;
  }
  const std::size_t body = out.size() - kChecksumBytes;
  store_le<std::uint64_t>(out.data() + body, XXH3_64bits(out.data(), body));
  return out;
}

Result<std::vector<EpochEntry>> decode_epoch_file(Bytes data) {
  if (data.size() < kEpochFileHeaderBytes + kChecksumBytes) return EpochFileErrc::truncated;
  const std::uint8_t* p = data.data();
  if (load_le<std::uint32_t>(p) != kMagic) return EpochFileErrc::bad_magic;
  if (load_le<std::uint32_t>(p + 4) != kVersion) return EpochFileErrc::unsupported_version;
  const std::uint32_t count = load_le<std::uint32_t>(p + 8);
  // The count is checked against the size before any entry is read.
  if (count > kMaxEpochEntries ||
      data.size() != kEpochFileHeaderBytes + std::size_t{count} * kEpochEntryBytes + kChecksumBytes) {
    return EpochFileErrc::bad_count;
  }
  const std::size_t body = data.size() - kChecksumBytes;
  if (load_le<std::uint64_t>(p + body) != XXH3_64bits(p, body)) return EpochFileErrc::checksum_mismatch;
  std::vector<EpochEntry> entries;
  entries.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint8_t* e = p + kEpochFileHeaderBytes + std::size_t{i} * kEpochEntryBytes;
    EpochEntry entry{load_le<std::int32_t>(e), Offset(load_le<std::uint64_t>(e + 4))};
    if (entry.epoch < 0) return EpochFileErrc::not_monotonic;
    if (!entries.empty() && (entry.epoch <= entries.back().epoch || entry.start <= entries.back().start)) {
      return EpochFileErrc::not_monotonic;
    }
    entries.push_back(entry);
  }
  return entries;
}

Result<std::vector<EpochEntry>> read_epoch_file(FileSystem& fsys, const fs::path& dir) {
  auto data = read_small_file(fsys, dir / kLeaderEpochFile, kMaxEpochFileBytes);
  if (!data && data.error() == std::errc::file_too_large) return EpochFileErrc::bad_count;
  if (!data) return data.error();
  return decode_epoch_file(data.value());
}

std::error_code write_epoch_file(FileSystem& fsys, const fs::path& dir, const std::vector<EpochEntry>& entries,
                                 bool durable) {
  const auto bytes = encode_epoch_file(entries);
  return replace_file(fsys, dir / kLeaderEpochFile, bytes, durable);
}

}  // namespace strata::storage
