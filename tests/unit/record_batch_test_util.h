// Shared helpers of the record-batch tests (record_batch_*_test.cpp): views
// of byte buffers, editing a header field and resealing the batch, the
// baseline three-record batch, and validating and reading a batch back.
#pragma once

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "protocol/batch_errc.h"
#include "protocol/byte_io.h"
#include "protocol/record.h"
#include "protocol/record_batch.h"

namespace strata::test::batch {

namespace layout = strata::protocol::batch_layout;
using protocol::BatchErrc;
using protocol::BatchHeader;
using protocol::Bytes;
using protocol::Record;
using protocol::RecordHeader;
using protocol::RecordReader;
using Buffer = std::vector<std::uint8_t>;

inline constexpr std::size_t kLimit = std::size_t{1} << 20;

Bytes view(const Buffer& b) noexcept;
Bytes bytes_of(std::string_view s) noexcept;
std::string str(Bytes b);

// --- editing helpers ---------------------------------------------------------

template <typename T>
void put_field(Buffer& b, std::size_t at, T v) {
  REQUIRE(b.size() >= at + sizeof(T));
  protocol::store_be<T>(b.data() + at, v);  // the batch header is big-endian
}

// Recomputes the CRC-32C over [21, end) and stores it.
void fix_checksum(Buffer& b);

// Sets batch_length from the buffer's size, then fixes the checksum.
void reseal(Buffer& b);

// Three plain records: the baseline the corruption tests start from.
Buffer builder_batch();

// Reads every record; REQUIREs the reader ends cleanly.
std::vector<Record> read_all(Bytes data, const BatchHeader& h);

// The header validate_batch gives, failing the test if it rejects.
BatchHeader validated(const Buffer& b);

// Returns the error validate_batch gives, failing the test if it accepts.
std::error_code rejection(const Buffer& b, std::size_t limit = kLimit);
// The same for validate_for_append (the producer's rules), on a copy.
std::error_code append_rejection(Buffer b, std::size_t limit = kLimit);

}  // namespace strata::test::batch
