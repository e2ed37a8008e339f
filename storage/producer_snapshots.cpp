#include "storage/producer_snapshots.h"

#include <algorithm>
#include <charconv>

#include "storage/segment.h"

namespace strata::storage {

namespace {
constexpr std::string_view kSuffix = ".snapshot";
}  // namespace

std::string ProducerSnapshots::file_name(Offset at) { return Segment::file_stem(at) + std::string(kSuffix); }

std::optional<Offset> ProducerSnapshots::parse_name(std::string_view name) {
  if (name.size() != 20 + kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  std::uint64_t v = 0;
  const char* end = name.data() + 20;
  if (!std::all_of(name.data(), end, [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  if (std::from_chars(name.data(), end, v).ptr != end) return std::nullopt;
  return Offset(v);
}

void ProducerSnapshots::found(const std::vector<std::string>& names) {
  offsets_.clear();
  for (const auto& name : names) {
    if (auto at = parse_name(name)) offsets_.push_back(*at);
  }
  std::sort(offsets_.begin(), offsets_.end());
}

Result<std::vector<Offset>> ProducerSnapshots::usable_below(Offset log_end) {
  while (!offsets_.empty() && offsets_.back() > log_end) {
    if (auto ec = fs_.remove(dir_ / file_name(offsets_.back()))) return ec;
    offsets_.pop_back();
  }
  return std::vector<Offset>(offsets_.rbegin(), offsets_.rend());
}

std::error_code ProducerSnapshots::remove_below(Offset log_start) {
  while (!offsets_.empty() && offsets_.front() < log_start) {
    if (auto ec = fs_.remove(dir_ / file_name(offsets_.front()))) return ec;
    offsets_.pop_front();
  }
  return {};
}

std::error_code ProducerSnapshots::remove_all() {
  while (!offsets_.empty()) {
    if (auto ec = fs_.remove(dir_ / file_name(offsets_.back()))) return ec;
    offsets_.pop_back();
  }
  return {};
}

std::optional<ProducerState> ProducerSnapshots::load(Offset at, std::uint64_t& bytes) {
  auto data = read_small_file(fs_, dir_ / file_name(at), kMaxFileBytes);
  if (!data) return std::nullopt;
  bytes += data.value().size();
  return ProducerState::decode(data.value(), at);
}

Result<fs::path> ProducerSnapshots::write(const ProducerState& state, Offset at) {
  const fs::path path = dir_ / file_name(at);
  const auto bytes = state.encode(at);
  STRATA_TRYV(replace_file(fs_, path, bytes, false));
  if (offsets_.empty() || offsets_.back() != at) offsets_.push_back(at);
  while (offsets_.size() > kKept) {
    if (auto ec = fs_.remove(dir_ / file_name(offsets_.front()))) return ec;
    offsets_.pop_front();
  }
  return path;
}

}  // namespace strata::storage
