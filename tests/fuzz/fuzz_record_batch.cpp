// libFuzzer target: one record batch (Kafka RecordBatch v2) as a producer
// sends it and the broker stores it, compressed or not. Runs the full
// validator and the record iterator on the input as given, and again with
// its CRC recomputed (otherwise the fuzzer almost never gets past the CRC
// into the records). Properties:
//   - validate_batch, validate_for_append, decode_header, batch_records,
//     RecordReader and decode_headers never read out of bounds and never
//     allocate past the decompression bound, whatever the bytes
//     (RecordReader promises to be safe on unvalidated batches, so it also
//     walks rejected ones);
//   - a batch that validates yields exactly record_count records with
//     increasing offsets within the header's range and its max timestamp;
//   - restamping its base offset keeps it valid (the CRC skips it);
//   - its records rebuilt with BatchBuilder (same codec) validate and read
//     back equal.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "protocol/record.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace strata::protocol;

struct DecodedRecord {
  std::uint64_t offset;
  std::int64_t timestamp;
  std::optional<Bytes> key;
  std::optional<Bytes> value;
  std::vector<RecordHeader> headers;
};

bool same_bytes(const std::optional<Bytes>& a, const std::optional<Bytes>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::equal(a->begin(), a->end(), b->begin(), b->end());
}

bool same_records(const std::vector<DecodedRecord>& a, const std::vector<DecodedRecord>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].timestamp != b[i].timestamp || !same_bytes(a[i].key, b[i].key) ||
        !same_bytes(a[i].value, b[i].value) || a[i].headers.size() != b[i].headers.size()) {
      return false;
    }
    for (std::size_t h = 0; h < a[i].headers.size(); ++h) {
      if (!same_bytes(a[i].headers[h].name, b[i].headers[h].name) ||
          !same_bytes(a[i].headers[h].value, b[i].headers[h].value)) {
        return false;
      }
    }
  }
  return true;
}

// Every record RecordReader yields, stopping at the first malformed one.
// `scratch` holds decompressed records; the views point into it.
std::vector<DecodedRecord> read_records(Bytes batch, const BatchHeader& header, std::error_code& error,
                                        std::vector<std::uint8_t>& scratch) {
  std::vector<DecodedRecord> out;
  const auto plain = batch_records(batch, header, scratch);
  if (!plain) {
    error = plain.error();
    return out;
  }
  auto reader = RecordReader::over_records(plain.value(), header);
  Record r;
  while (reader.next(r)) {
    out.push_back({r.offset, r.timestamp, r.key, r.value, decode_headers(r)});
    FUZZ_CHECK(out.back().headers.size() == r.header_count);
  }
  error = reader.error();
  return out;
}

// Checks the promises validate_batch makes about a batch it accepted.
void check_valid(std::vector<std::uint8_t>& batch, const BatchHeader& header) {
  const auto decoded = decode_header(batch);
  FUZZ_CHECK(decoded && decoded.value().record_count == header.record_count &&
             decoded.value().batch_length == header.batch_length);
  FUZZ_CHECK(header.total_size() == batch.size());
  std::error_code error;
  std::vector<std::uint8_t> scratch;
  const auto records = read_records(batch, header, error, scratch);
  FUZZ_CHECK(!error);
  FUZZ_CHECK(records.size() == header.record_count);
  std::int64_t max_ts = std::numeric_limits<std::int64_t>::min();
  bool dense = true;
  for (std::size_t i = 0; i < records.size(); ++i) {
    FUZZ_CHECK(records[i].offset <= header.last_offset());
    FUZZ_CHECK(i == 0 || records[i].offset > records[i - 1].offset);
    dense = dense && records[i].offset == header.base_offset + i;
    max_ts = std::max(max_ts, records[i].timestamp);
  }
  if (!header.log_append_time() && !records.empty()) FUZZ_CHECK(max_ts == header.max_timestamp);
  // What a producer could have sent: BatchBuilder makes the same records.
  if (!dense || records.empty() || header.last_offset_delta + 1 != header.record_count || header.log_append_time()) {
    return;
  }

  BatchBuilder builder(header.compression());
  builder.set_producer(header.producer_id, header.producer_epoch, header.base_sequence);
  for (const auto& r : records) builder.add(r.timestamp, r.key, r.value, r.headers);
  std::vector<std::uint8_t> rebuilt = builder.finish();
  const auto rebuilt_header = validate_batch(rebuilt, kMaxBatchBytes);
  FUZZ_CHECK(rebuilt_header);
  FUZZ_CHECK(rebuilt_header.value().producer_id == header.producer_id &&
             rebuilt_header.value().base_sequence == header.base_sequence &&
             rebuilt_header.value().max_timestamp == header.max_timestamp);
  std::vector<std::uint8_t> rescratch;
  const auto reread = read_records(rebuilt, rebuilt_header.value(), error, rescratch);
  FUZZ_CHECK(!error && same_records(records, reread));

  const std::uint64_t restamped = header.base_offset ^ 0x5a5a5a5a5aULL;
  stamp_base_offset(batch, restamped);
  const auto after = validate_for_append(batch, batch.size());
  FUZZ_CHECK(after && after.value().header().base_offset == restamped);
  stamp_base_offset(batch, header.base_offset);
}

void check(std::vector<std::uint8_t>& batch) {
  const auto valid = validate_batch(batch, kMaxBatchBytes);
  if (valid) {
    check_valid(batch, valid.value());
    // One byte under the batch's size is too small a limit.
    FUZZ_CHECK(validate_batch(batch, batch.size() - 1).error() == BatchErrc::too_large);
    return;
  }
  // Rejected bytes still go through the iterator, as a careless caller might.
  if (auto header = decode_header(batch)) {
    std::error_code error;
    std::vector<std::uint8_t> scratch;
    const auto records = read_records(batch, header.value(), error, scratch);
    (void)records;
  }
  std::vector<std::uint8_t> copy = batch;  // the producer's rules may repair maxTimestamp in place
  (void)validate_for_append(copy, kMaxBatchBytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> batch(data, data + size);
  check(batch);
  if (size >= batch_layout::kHeaderSize) {
    const bool raw_valid = static_cast<bool>(validate_batch(batch, kMaxBatchBytes));
    // The CRC covers bytes up to the declared end: cut the input there.
    // A declared size beyond the input or below the header cannot be fixed.
    const std::size_t declared = framed_size(batch);
    if (declared > batch.size() || declared < batch_layout::kHeaderSize) return 0;
    batch.resize(declared);
    store_be(batch.data() + batch_layout::kCrc, compute_crc(batch));
    if (raw_valid) FUZZ_CHECK(validate_batch(batch, kMaxBatchBytes));
    check(batch);
  }
  return 0;
}
