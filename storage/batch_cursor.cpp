#include "storage/batch_cursor.h"

#include <cassert>

#include <algorithm>
#include <limits>

#include "storage/storage_errc.h"

namespace strata::storage {

namespace {
constexpr std::size_t kReadAhead = 16 * 1024;
}

using protocol::BatchErrc;
using protocol::batch_layout::kHeaderSize;

BatchCursor::BatchCursor(File& file, std::uint64_t position, std::uint64_t end)
    : file_(file), position_(position), end_(end) {
  assert(position <= end);
}

Result<std::optional<protocol::BatchHeader>> BatchCursor::peek() {
  current_size_ = 0;
  if (position_ >= end_) return std::optional<protocol::BatchHeader>{};
  if (end_ - position_ < kHeaderSize) return BatchErrc::truncated;
  const bool buffered = position_ >= buffer_start_ && position_ + kHeaderSize <= buffer_start_ + buffer_.size();
  if (!buffered) {
    buffer_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kReadAhead, end_ - position_)));
    STRATA_TRY(auto n, file_.read_at(position_, buffer_));
    bytes_read_ += n;
    buffer_.resize(n);
    buffer_start_ = position_;
    if (n < kHeaderSize) return BatchErrc::truncated;
  }
  const protocol::Bytes at{buffer_.data() + (position_ - buffer_start_), kHeaderSize};
  // A zero-filled tail (file extended, data never written) is a torn tail.
  if (std::all_of(at.begin(), at.begin() + protocol::batch_layout::kFramingSize,
                  [](std::uint8_t b) { return b == 0; })) {
    return BatchErrc::truncated;
  }
  STRATA_TRY(auto header, protocol::decode_header(at));
  // Offsets are u64: a batch whose records would run past the largest one
  // is damage (the log could never have assigned them), and following it
  // would wrap log_end below the segment base.
  if (header.last_offset_delta >= std::numeric_limits<std::uint64_t>::max() - header.base_offset) {
    return make_error_code(StorageErrc::corruption);
  }
  if (header.total_size() > end_ - position_) return BatchErrc::truncated;
  current_size_ = header.total_size();
  return std::optional<protocol::BatchHeader>{header};
}

void BatchCursor::advance() noexcept {
  position_ += current_size_;
  current_size_ = 0;
}

std::error_code BatchCursor::read_batch(std::vector<std::uint8_t>& out) {
  out.resize(static_cast<std::size_t>(current_size_));
  STRATA_TRY(auto n, file_.read_at(position_, out));
  bytes_read_ += n;
  if (n != out.size()) return BatchErrc::truncated;
  return {};
}

}  // namespace strata::storage
