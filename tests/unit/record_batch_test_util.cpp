#include "record_batch_test_util.h"

#include <optional>
#include <ostream>  // doctest prints std::error_code through operator<<

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"

namespace strata::test::batch {

Bytes view(const Buffer& b) noexcept { return Bytes{b.data(), b.size()}; }
Bytes bytes_of(std::string_view s) noexcept { return protocol::as_bytes(s); }
std::string str(Bytes b) { return std::string(protocol::as_string(b)); }

void fix_checksum(Buffer& b) {
  REQUIRE(b.size() >= layout::kHeaderSize);
  protocol::store_be<std::uint32_t>(b.data() + layout::kCrc, protocol::compute_crc(view(b)));
}

void reseal(Buffer& b) {
  put_field<std::uint32_t>(b, layout::kBatchLength, static_cast<std::uint32_t>(b.size() - layout::kFramingSize));
  fix_checksum(b);
}

Buffer builder_batch() {
  protocol::BatchBuilder builder;
  builder.add(1000, bytes_of("k0"), bytes_of("v0"));
  builder.add(1005, std::nullopt, bytes_of("value-1"));
  builder.add(1002, bytes_of(""), std::nullopt);
  return builder.finish();
}

std::vector<Record> read_all(Bytes data, const BatchHeader& h) {
  RecordReader reader(data, h);
  std::vector<Record> out;
  Record rec;
  while (reader.next(rec)) out.push_back(rec);
  REQUIRE_FALSE(reader.error());
  REQUIRE(reader.remaining_bytes() == 0);
  return out;
}

BatchHeader validated(const Buffer& b) {
  auto r = protocol::validate_batch(view(b), kLimit);
  if (!r.has_value()) {
    FAIL("validate_batch failed: " << r.error().message());
  }
  return r.value();
}

std::error_code rejection(const Buffer& b, std::size_t limit) {
  auto r = protocol::validate_batch(view(b), limit);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

std::error_code append_rejection(Buffer b, std::size_t limit) {
  auto r = protocol::validate_for_append(protocol::MutableBytes{b.data(), b.size()}, limit);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

}  // namespace strata::test::batch
