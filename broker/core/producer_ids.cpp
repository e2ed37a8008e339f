#include "broker/core/producer_ids.h"

#include <charconv>
#include <limits>
#include <string>

#include "broker/core/error_mapping.h"
#include "protocol/record.h"
#include "storage/storage_errc.h"

namespace strata::broker {

using protocol::ErrorCode;

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

protocol::InitProducerIdResponse ProducerIds::new_id() {
  protocol::InitProducerIdResponse out;
  if (next_ == block_end_) {
    const std::int64_t end = block_end_ + kBlock;
    const std::string text = std::to_string(end) + "\n";
    if (auto ec = storage::replace_file(fs_, file_, protocol::as_bytes(text), true)) {
      const WireError wire = to_wire_error(ec);
      out.error = wire.code;
      out.message = "cannot record allocated producer ids: " + wire.message;
      return out;
    }
    block_end_ = end;
  }
  out.producer_id = next_++;
  out.producer_epoch = 0;
  return out;
}

protocol::InitProducerIdResponse ProducerIds::init(const protocol::InitProducerIdRequest& request) {
  if (request.producer_id < 0) return new_id();
  protocol::InitProducerIdResponse out;
  if (request.producer_id >= next_) {
    out.error = ErrorCode::unknown_producer_id;
    out.message = "producer id " + std::to_string(request.producer_id) + " was never allocated by this broker";
    return out;
  }
  if (request.producer_epoch < 0) {
    out.error = ErrorCode::invalid_request;
    out.message = "InitProducerId with a producer id needs its current epoch (>= 0)";
    return out;
  }
  std::int16_t epoch = request.producer_epoch;
  if (auto it = bumped_.find(request.producer_id); it != bumped_.end()) epoch = std::max(epoch, it->second);
  if (epoch >= std::numeric_limits<std::int16_t>::max() - 1) return new_id();  // epochs exhausted: a new id
  if (bumped_.size() >= kRemembered) bumped_.clear();
  out.producer_id = request.producer_id;
  out.producer_epoch = static_cast<std::int16_t>(epoch + 1);
  bumped_[request.producer_id] = out.producer_epoch;
  return out;
}

}  // namespace strata::broker
