#include "broker/core/producer_ids.h"

#include <charconv>
#include <limits>
#include <string>

#include "broker/core/error_mapping.h"
#include "protocol/record.h"
#include "storage/storage_errc.h"

namespace strata::broker {

std::error_code ProducerIds::load() {
  if (!fs_.exists(file_)) return {};
  STRATA_TRY(auto bytes, storage::read_small_file(fs_, file_, 4096));
  const std::string_view text = protocol::as_string(bytes);
  std::int64_t end = -1;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), end);
  if (ec != std::errc{} || end < 0 || (p != text.data() + text.size() && *p != '\n')) {
    return storage::StorageErrc::corruption;
  }
  next_ = block_end_ = end;
  return {};
}

namespace {
constexpr std::int64_t kLocalIds = std::int64_t{1} << 32;  // per node
}  // namespace

ProducerIdGrant ProducerIds::new_id() {
  ProducerIdGrant out;
  if (next_ >= kLocalIds) {
    out.status = Status::error(Errc::invalid_request, "this broker has handed out all of its " +
                                                          std::to_string(kLocalIds) + " producer ids");
    return out;
  }
  if (next_ == block_end_) {
    const std::int64_t end = block_end_ + kBlock;
    const std::string text = std::to_string(end) + "\n";
    if (auto ec = storage::replace_file(fs_, file_, protocol::as_bytes(text), true)) {
      const Status status = to_status(ec);
      out.status = Status::error(status.code, "cannot record allocated producer ids: " + status.message);
      return out;
    }
    block_end_ = end;
  }
  out.identity = {std::int64_t{node_} * kLocalIds + next_++, 0};
  return out;
}

ProducerIdGrant ProducerIds::init(ProducerIdentity current) {
  if (current.id < 0) return new_id();
  ProducerIdGrant out;
  if (current.id / kLocalIds != node_ || current.id % kLocalIds >= next_) {
    out.status = Status::error(Errc::unknown_producer_id, "producer id " + std::to_string(current.id) +
                                                             " was never allocated by this broker");
    return out;
  }
  if (current.epoch < 0) {
    out.status =
        Status::error(Errc::invalid_request, "InitProducerId with a producer id needs its current epoch (>= 0)");
    return out;
  }
  std::int16_t epoch = current.epoch;
  if (auto it = bumped_.find(current.id); it != bumped_.end()) epoch = std::max(epoch, it->second);
  if (epoch >= std::numeric_limits<std::int16_t>::max() - 1) return new_id();  // epochs exhausted: a new id
  if (bumped_.size() >= kRemembered) bumped_.clear();
  out.identity = {current.id, static_cast<std::int16_t>(epoch + 1)};
  bumped_[current.id] = out.identity.epoch;
  return out;
}

}  // namespace strata::broker
