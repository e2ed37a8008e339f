// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected), the checksum of
// Kafka's RecordBatch v2 (record_batch.h). Uses the SSE4.2 crc32 instruction
// when the CPU has it (checked once, at first use) and a slicing-by-8 table
// otherwise; both give the same value (tests/unit/crc32c_test.cpp checks the
// RFC 3720 vectors against each).
//
// Threads: pure functions, safe from any thread.
#pragma once

#include <cstdint>

#include "protocol/byte_io.h"

namespace strata::protocol {

// The CRC of `data`, continuing from `crc` (the value of an earlier call over
// the bytes before it; 0 to start).
[[nodiscard]] std::uint32_t crc32c(Bytes data, std::uint32_t crc = 0) noexcept;

// The two implementations, for tests and storage-bench.
[[nodiscard]] std::uint32_t crc32c_portable(Bytes data, std::uint32_t crc = 0) noexcept;
[[nodiscard]] std::uint32_t crc32c_hardware(Bytes data, std::uint32_t crc = 0) noexcept;
[[nodiscard]] bool crc32c_hardware_available() noexcept;

}  // namespace strata::protocol
