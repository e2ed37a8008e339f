// Walks batch headers in a log file from a position, through a small read
// buffer so runs of small batches cost one pread per few kilobytes.
// It never follows a length past `end`: a batch that claims to run past it
// is reported as a torn tail, not read.
#pragma once

#include <optional>
#include <vector>

#include "protocol/record_batch.h"
#include "storage/file_system.h"

namespace strata::storage {

class BatchCursor {
 public:
  // REQUIRES: position <= end <= file.size(); file outlives the cursor.
  BatchCursor(File& file, std::uint64_t position, std::uint64_t end);

  // The header of the batch at position(): nullopt at `end`;
  // BatchErrc::truncated if the batch does not fit before `end` (torn tail);
  // another BatchErrc if the header itself is invalid; StorageErrc::corruption
  // if its offsets run past the largest u64; or an I/O error.
  [[nodiscard]] Result<std::optional<protocol::BatchHeader>> peek();
  // Moves past the batch last returned by peek().
  void advance() noexcept;
  // Jumps to a known batch start. REQUIRES: p <= end.
  void seek(std::uint64_t p) noexcept { position_ = p; }

  // Reads the whole batch last returned by peek() into out.
  [[nodiscard]] std::error_code read_batch(std::vector<std::uint8_t>& out);

  [[nodiscard]] std::uint64_t position() const noexcept { return position_; }
  [[nodiscard]] std::uint64_t end() const noexcept { return end_; }
  // Bytes read from the file so far (headers through the read-ahead buffer).
  [[nodiscard]] std::uint64_t bytes_read() const noexcept { return bytes_read_; }

 private:
  File& file_;
  std::uint64_t position_;
  std::uint64_t end_;
  std::uint64_t current_size_ = 0;
  std::vector<std::uint8_t> buffer_;
  std::uint64_t buffer_start_ = 0;
  std::uint64_t bytes_read_ = 0;
};

}  // namespace strata::storage
