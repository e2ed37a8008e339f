// Tests for the record-batch format: BatchBuilder -> validate_batch ->
// RecordReader round trips, one hand-corrupted batch per BatchErrc value, and
// a robustness sweep (bit flips, truncations, random buffers) that must never
// crash and must reject what the checksum and framing cover.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>  // doctest prints std::error_code through operator<<
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_errc.h"
#include "protocol/batch_validator.h"
#include "protocol/byte_io.h"
#include "protocol/record.h"
#include "protocol/record_batch.h"

namespace {

namespace protocol = strata::protocol;
namespace layout = strata::protocol::batch_layout;
using protocol::BatchErrc;
using protocol::BatchHeader;
using protocol::Bytes;
using protocol::Record;
using protocol::RecordHeader;
using protocol::RecordReader;
using Buffer = std::vector<std::uint8_t>;

constexpr std::size_t kLimit = std::size_t{1} << 20;

Bytes view(const Buffer& b) noexcept { return Bytes{b.data(), b.size()}; }
Bytes bytes_of(std::string_view s) noexcept { return protocol::as_bytes(s); }
std::string str(Bytes b) { return std::string(protocol::as_string(b)); }

// --- editing helpers ---------------------------------------------------------

template <typename T>
void put_field(Buffer& b, std::size_t at, T v) {
  REQUIRE(b.size() >= at + sizeof(T));
  protocol::store_le<T>(b.data() + at, v);
}

template <typename T>
T get_field(const Buffer& b, std::size_t at) {
  REQUIRE(b.size() >= at + sizeof(T));
  return protocol::load_le<T>(b.data() + at);
}

// Recomputes the checksum over [20, end) and stores it.
void fix_checksum(Buffer& b) {
  REQUIRE(b.size() >= layout::kHeaderSize);
  protocol::store_le<std::uint64_t>(b.data() + layout::kChecksum, protocol::compute_checksum(view(b)));
}

// Sets batch_length from the buffer's size, then fixes the checksum.
void reseal(Buffer& b) {
  put_field<std::uint32_t>(b, layout::kBatchLength, static_cast<std::uint32_t>(b.size() - layout::kFramingSize));
  fix_checksum(b);
}

// Appends LEB128 / zigzag values to a buffer.
struct Writer {
  Buffer out;
  void uv(std::uint64_t v) {
    std::array<std::uint8_t, protocol::kMaxVarintBytes> tmp{};
    const std::uint8_t* begin = tmp.data();
    const std::uint8_t* end = protocol::put_uvarint(tmp.data(), v);
    out.insert(out.end(), begin, end);
  }
  void sv(std::int64_t v) {
    std::array<std::uint8_t, protocol::kMaxVarintBytes> tmp{};
    const std::uint8_t* begin = tmp.data();
    const std::uint8_t* end = protocol::put_varint(tmp.data(), v);
    out.insert(out.end(), begin, end);
  }
  void raw(Bytes b) { out.insert(out.end(), b.begin(), b.end()); }
  void raw(std::string_view s) { raw(bytes_of(s)); }
};

// A record written field by field, so a test can make any field lie.
struct RawRecord {
  std::int64_t ts_delta = 0;
  std::uint64_t offset_delta = 0;
  std::int64_t key_len = -1;
  std::string key;
  std::int64_t value_len = -1;
  std::string value;
  std::uint64_t header_count = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  Buffer trailing;                           // extra bytes inside the body
  std::optional<std::uint64_t> body_length;  // overrides the true body length
};

RawRecord raw_record(std::uint64_t offset_delta, std::int64_t ts_delta, std::string value) {
  RawRecord r;
  r.offset_delta = offset_delta;
  r.ts_delta = ts_delta;
  r.value_len = static_cast<std::int64_t>(value.size());
  r.value = std::move(value);
  return r;
}

Buffer encode_record(const RawRecord& r) {
  Writer body;
  body.sv(r.ts_delta);
  body.uv(r.offset_delta);
  body.sv(r.key_len);
  body.raw(r.key);
  body.sv(r.value_len);
  body.raw(r.value);
  body.uv(r.header_count);
  for (const auto& [name, value] : r.headers) {
    body.uv(name.size());
    body.raw(name);
    body.uv(value.size());
    body.raw(value);
  }
  body.raw(view(r.trailing));
  Writer rec;
  rec.uv(r.body_length.value_or(body.out.size()));
  rec.raw(view(body.out));
  return rec.out;
}

struct RawHeader {
  std::uint64_t base_offset = 0;
  std::int64_t first_timestamp = 1000;
  std::int64_t max_timestamp = 1000;
  std::int64_t producer_id = -1;
  std::int32_t base_sequence = -1;
  std::uint32_t record_count = 0;
};

// A batch with a correct length and checksum around whatever records are given.
Buffer craft_batch(const RawHeader& h, const std::vector<Buffer>& records) {
  Buffer b(layout::kHeaderSize, 0);
  put_field<std::uint64_t>(b, layout::kBaseOffset, h.base_offset);
  b[layout::kMagic] = protocol::kFormatMagic;
  put_field<std::int64_t>(b, layout::kFirstTimestamp, h.first_timestamp);
  put_field<std::int64_t>(b, layout::kMaxTimestamp, h.max_timestamp);
  put_field<std::int64_t>(b, layout::kProducerId, h.producer_id);
  put_field<std::int32_t>(b, layout::kBaseSequence, h.base_sequence);
  put_field<std::uint32_t>(b, layout::kRecordCount, h.record_count);
  for (const auto& r : records) b.insert(b.end(), r.begin(), r.end());
  reseal(b);
  return b;
}

// Three plain records: the baseline the corruption tests start from.
Buffer builder_batch() {
  protocol::BatchBuilder builder;
  builder.add(1000, bytes_of("k0"), bytes_of("v0"));
  builder.add(1005, std::nullopt, bytes_of("value-1"));
  builder.add(1002, bytes_of(""), std::nullopt);
  return builder.finish();
}

// A richer batch for the robustness sweep: keys, nulls, headers, binary data.
Buffer rich_batch() {
  protocol::BatchBuilder builder;
  builder.set_producer(77, 5);
  const std::array<std::uint8_t, 4> bin{0x00, 0xff, 0x80, 0x7f};
  const std::array<RecordHeader, 2> hs{RecordHeader{bytes_of("h1"), bytes_of("x")},
                                       RecordHeader{bytes_of("trace"), Bytes{bin}}};
  builder.add(500, bytes_of("key"), bytes_of("value"), hs);
  builder.add(400, std::nullopt, Bytes{bin});
  builder.add(900, bytes_of(""), std::nullopt, std::span<const RecordHeader>{hs.data(), 1});
  builder.add(100000, Bytes{bin}, bytes_of(std::string_view("a\0b", 3)));
  return builder.finish();
}

// Reads every record; REQUIREs the reader ends cleanly.
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

// Returns the error validate_batch gives, failing the test if it accepts.
std::error_code rejection(const Buffer& b, std::size_t limit = kLimit) {
  auto r = protocol::validate_batch(view(b), limit);
  REQUIRE_FALSE(r.has_value());
  return r.error();
}

// --- robustness helpers ------------------------------------------------------

bool inside(Bytes outer, Bytes inner) {
  if (inner.empty()) return true;
  const std::less_equal<const std::uint8_t*> le;
  return le(outer.data(), inner.data()) && le(inner.data() + inner.size(), outer.data() + outer.size());
}

volatile std::uint64_t g_sink = 0;

std::uint64_t touch(Bytes b) {
  std::uint64_t s = 0;
  for (const std::uint8_t c : b) s = s * 31 + c;
  return s;
}

struct WalkResult {
  std::size_t records = 0;
  std::error_code error;
  std::vector<std::uint64_t> offsets;
  std::int64_t max_timestamp = std::numeric_limits<std::int64_t>::min();
};

// Walks any bytes with RecordReader, checking invariants that must hold for
// any input: it terminates, every record consumes bytes, every view lies in
// the batch, and decode_headers agrees with header_count. Reading every byte
// of every view lets ASan see an out-of-bounds view.
WalkResult walk(Bytes data, const BatchHeader& h) {
  WalkResult w;
  RecordReader reader(data, h);
  Record rec;
  std::size_t before = reader.remaining_bytes();
  while (reader.next(rec)) {
    ++w.records;
    // Shortest record: a length byte plus five one-byte fields.
    REQUIRE(reader.remaining_bytes() + 6 <= before);
    before = reader.remaining_bytes();
    std::uint64_t s = 0;
    if (rec.key) {
      REQUIRE(inside(data, *rec.key));
      s += touch(*rec.key);
    }
    if (rec.value) {
      REQUIRE(inside(data, *rec.value));
      s += touch(*rec.value);
    }
    REQUIRE(inside(data, rec.header_data));
    const auto hs = protocol::decode_headers(rec);
    REQUIRE(hs.size() == rec.header_count);
    for (const auto& hd : hs) {
      REQUIRE(inside(rec.header_data, hd.name));
      REQUIRE(inside(rec.header_data, hd.value));
      s += touch(hd.name) + touch(hd.value);
    }
    g_sink = g_sink + s;
    w.offsets.push_back(rec.offset);
    w.max_timestamp = std::max(w.max_timestamp, rec.timestamp);
  }
  w.error = reader.error();
  return w;
}

// What an accepted batch must look like when read back.
void check_accepted(Bytes data, const BatchHeader& h) {
  REQUIRE(h.total_size() == data.size());
  const WalkResult w = walk(data, h);
  REQUIRE_FALSE(w.error);
  REQUIRE(w.records == h.record_count);
  for (std::size_t i = 0; i < w.offsets.size(); ++i) REQUIRE(w.offsets[i] == h.base_offset + i);
  REQUIRE(w.max_timestamp == h.max_timestamp);
}

// Runs validate_batch and, whenever a header decodes, RecordReader over it.
// Returns whether validate_batch accepted.
bool probe(Bytes data, std::size_t limit = kLimit) {
  const auto v = protocol::validate_batch(data, limit);
  if (v.has_value()) check_accepted(data, v.value());
  const auto h = protocol::decode_header(data);
  if (h.has_value()) {
    const WalkResult w = walk(data, h.value());
    if (data.size() < h.value().total_size()) {
      REQUIRE(w.records == 0);
      REQUIRE(w.error == BatchErrc::truncated);
    }
  }
  return v.has_value();
}

}  // namespace

// =============================================================================
// Round trips
// =============================================================================

TEST_CASE("round trip: null, empty and non-empty keys and values stay distinct") {
  protocol::BatchBuilder builder;
  builder.add(10, std::nullopt, std::nullopt);
  builder.add(11, bytes_of(""), bytes_of(""));
  builder.add(12, Bytes{}, Bytes{});  // empty span with a null data pointer
  builder.add(13, bytes_of("key"), bytes_of("value"));
  builder.add(14, bytes_of("k"), std::nullopt);
  builder.add(15, std::nullopt, bytes_of("v"));
  CHECK(builder.record_count() == 6);
  const std::size_t expected_size = builder.size_bytes();
  const Buffer b = builder.finish();
  CHECK(b.size() == expected_size);
  CHECK(builder.empty());

  const BatchHeader h = validated(b);
  CHECK(h.record_count == 6);
  CHECK(h.total_size() == b.size());
  const auto recs = read_all(view(b), h);
  REQUIRE(recs.size() == 6);

  CHECK_FALSE(recs[0].key.has_value());
  CHECK_FALSE(recs[0].value.has_value());

  REQUIRE(recs[1].key.has_value());
  CHECK(recs[1].key->empty());
  REQUIRE(recs[1].value.has_value());
  CHECK(recs[1].value->empty());

  REQUIRE(recs[2].key.has_value());
  CHECK(recs[2].key->empty());
  REQUIRE(recs[2].value.has_value());
  CHECK(recs[2].value->empty());

  REQUIRE(recs[3].key.has_value());
  CHECK(str(*recs[3].key) == "key");
  REQUIRE(recs[3].value.has_value());
  CHECK(str(*recs[3].value) == "value");

  REQUIRE(recs[4].key.has_value());
  CHECK(str(*recs[4].key) == "k");
  CHECK_FALSE(recs[4].value.has_value());

  CHECK_FALSE(recs[5].key.has_value());
  REQUIRE(recs[5].value.has_value());
  CHECK(str(*recs[5].value) == "v");

  for (std::size_t i = 0; i < recs.size(); ++i) {
    CHECK(recs[i].offset == i);
    CHECK(recs[i].timestamp == static_cast<std::int64_t>(10 + i));
    CHECK(recs[i].header_count == 0);
  }
}

TEST_CASE("round trip: records with 0, 1 and several headers") {
  const std::array<RecordHeader, 1> one{RecordHeader{bytes_of("content-type"), bytes_of("json")}};
  const std::array<RecordHeader, 4> several{
      RecordHeader{bytes_of("a"), bytes_of("1")},
      RecordHeader{bytes_of(""), bytes_of("empty-name")},
      RecordHeader{bytes_of("empty-value"), bytes_of("")},
      RecordHeader{bytes_of("a"), bytes_of("duplicate name kept")},
  };
  protocol::BatchBuilder builder;
  builder.add(1, bytes_of("k"), bytes_of("v"));
  builder.add(2, bytes_of("k"), bytes_of("v"), one);
  builder.add(3, std::nullopt, std::nullopt, several);
  builder.add(4, bytes_of("k"), bytes_of("v"), std::span<const RecordHeader>{});
  const Buffer b = builder.finish();
  const auto recs = read_all(view(b), validated(b));
  REQUIRE(recs.size() == 4);

  CHECK(recs[0].header_count == 0);
  CHECK(recs[0].header_data.empty());
  CHECK(protocol::decode_headers(recs[0]).empty());

  CHECK(recs[1].header_count == 1);
  const auto h1 = protocol::decode_headers(recs[1]);
  REQUIRE(h1.size() == 1);
  CHECK(str(h1[0].name) == "content-type");
  CHECK(str(h1[0].value) == "json");

  CHECK(recs[2].header_count == 4);
  const auto h3 = protocol::decode_headers(recs[2]);
  REQUIRE(h3.size() == 4);
  for (std::size_t i = 0; i < several.size(); ++i) {
    CAPTURE(i);
    CHECK(str(h3[i].name) == str(several[i].name));
    CHECK(str(h3[i].value) == str(several[i].value));
  }

  CHECK(recs[3].header_count == 0);
  CHECK(protocol::decode_headers(recs[3]).empty());
}

TEST_CASE("round trip: binary bytes including 0x00 and 0xff") {
  Buffer all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  const Buffer zeros(300, 0x00);
  const Buffer ones(200, 0xff);
  const std::array<RecordHeader, 1> hs{RecordHeader{Bytes{ones.data(), 3}, Bytes{zeros.data(), 5}}};

  protocol::BatchBuilder builder;
  builder.add(0, view(all), view(zeros), hs);
  builder.add(0, view(zeros), view(ones));
  builder.add(0, view(ones), view(all));
  const Buffer b = builder.finish();
  const auto recs = read_all(view(b), validated(b));
  REQUIRE(recs.size() == 3);

  const auto same = [](std::optional<Bytes> got, const Buffer& want) {
    return got.has_value() && std::equal(got->begin(), got->end(), want.begin(), want.end());
  };
  CHECK(same(recs[0].key, all));
  CHECK(same(recs[0].value, zeros));
  CHECK(same(recs[1].key, zeros));
  CHECK(same(recs[1].value, ones));
  CHECK(same(recs[2].key, ones));
  CHECK(same(recs[2].value, all));

  const auto h = protocol::decode_headers(recs[0]);
  REQUIRE(h.size() == 1);
  CHECK(h[0].name.size() == 3);
  CHECK(std::all_of(h[0].name.begin(), h[0].name.end(), [](std::uint8_t c) { return c == 0xff; }));
  CHECK(h[0].value.size() == 5);
  CHECK(std::all_of(h[0].value.begin(), h[0].value.end(), [](std::uint8_t c) { return c == 0x00; }));
}

TEST_CASE("round trip: timestamps going backwards; max_timestamp is the max") {
  const std::vector<std::int64_t> ts = {1'700'000'000'000, 1'699'999'999'000, 1'700'000'005'000,
                                        1'600'000'000'000, 1'700'000'004'999};
  protocol::BatchBuilder builder;
  for (const auto t : ts) builder.add(t, std::nullopt, bytes_of("x"));
  const Buffer b = builder.finish();
  const BatchHeader h = validated(b);
  CHECK(h.first_timestamp == ts[0]);
  CHECK(h.max_timestamp == 1'700'000'005'000);
  const auto recs = read_all(view(b), h);
  REQUIRE(recs.size() == ts.size());
  for (std::size_t i = 0; i < ts.size(); ++i) CHECK(recs[i].timestamp == ts[i]);

  SUBCASE("first record holds the max, all later go backwards") {
    protocol::BatchBuilder bb;
    bb.add(500, std::nullopt, std::nullopt);
    bb.add(400, std::nullopt, std::nullopt);
    bb.add(-3, std::nullopt, std::nullopt);
    const Buffer b2 = bb.finish();
    const BatchHeader h2 = validated(b2);
    CHECK(h2.max_timestamp == 500);
    const auto r2 = read_all(view(b2), h2);
    REQUIRE(r2.size() == 3);
    CHECK(r2[2].timestamp == -3);
  }
}

TEST_CASE("round trip: producer id and base sequence") {
  SUBCASE("defaults are -1") {
    protocol::BatchBuilder builder;
    builder.add(1, std::nullopt, bytes_of("v"));
    const Buffer b = builder.finish();
    const BatchHeader h = validated(b);
    CHECK(h.producer_id == -1);
    CHECK(h.base_sequence == -1);
  }
  SUBCASE("set values round trip") {
    protocol::BatchBuilder builder;
    builder.set_producer(0x0123456789abcdefLL, 0x7ffffff0);
    builder.add(1, std::nullopt, bytes_of("v"));
    builder.add(2, std::nullopt, bytes_of("w"));
    const Buffer b = builder.finish();
    const BatchHeader h = validated(b);
    CHECK(h.producer_id == 0x0123456789abcdefLL);
    CHECK(h.base_sequence == 0x7ffffff0);
    CHECK(get_field<std::int64_t>(b, layout::kProducerId) == 0x0123456789abcdefLL);
    CHECK(get_field<std::int32_t>(b, layout::kBaseSequence) == 0x7ffffff0);
  }
  SUBCASE("producer settings survive finish() for the next batch") {
    protocol::BatchBuilder builder;
    builder.set_producer(42, 100);
    builder.add(1, std::nullopt, bytes_of("v"));
    const Buffer b1 = builder.finish();
    builder.add(2, std::nullopt, bytes_of("w"));
    const Buffer b2 = builder.finish();
    CHECK(validated(b1).producer_id == 42);
    CHECK(validated(b2).producer_id == 42);
    CHECK(validated(b2).base_sequence == 100);
  }
}

TEST_CASE("stamp_base_offset: records get base+i and the checksum still holds") {
  Buffer b = builder_batch();
  const std::uint64_t checksum_before = get_field<std::uint64_t>(b, layout::kChecksum);
  CHECK(validated(b).base_offset == 0);

  for (const std::uint64_t base : {std::uint64_t{1}, std::uint64_t{1'000'000'007}, std::uint64_t{1} << 62,
                                   std::numeric_limits<std::uint64_t>::max() - 2}) {
    CAPTURE(base);
    protocol::stamp_base_offset(protocol::MutableBytes{b.data(), b.size()}, base);
    CHECK(get_field<std::uint64_t>(b, layout::kChecksum) == checksum_before);
    CHECK(protocol::compute_checksum(view(b)) == checksum_before);
    const BatchHeader h = validated(b);
    CHECK(h.base_offset == base);
    CHECK(h.last_offset() == base + 2);
    CHECK(h.next_offset() == base + 3);
    const auto recs = read_all(view(b), h);
    REQUIRE(recs.size() == 3);
    for (std::size_t i = 0; i < recs.size(); ++i) CHECK(recs[i].offset == base + i);
  }
}

TEST_CASE("validate_for_append returns a mutable view of the same bytes") {
  Buffer b = builder_batch();
  auto r = protocol::validate_for_append(protocol::MutableBytes{b.data(), b.size()}, kLimit);
  REQUIRE(r.has_value());
  CHECK(r.value().bytes().data() == b.data());
  CHECK(r.value().bytes().size() == b.size());
  CHECK(r.value().header().record_count == 3);
  protocol::stamp_base_offset(r.value().bytes(), 500);
  CHECK(validated(b).base_offset == 500);

  b[b.size() - 1] ^= 0x01;
  auto bad = protocol::validate_for_append(protocol::MutableBytes{b.data(), b.size()}, kLimit);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error() == BatchErrc::checksum_mismatch);
}

TEST_CASE("builder is reusable after finish and size_bytes predicts the size") {
  protocol::BatchBuilder builder;
  CHECK(builder.empty());
  CHECK(builder.size_bytes() == layout::kHeaderSize);
  builder.add(5, bytes_of("a"), bytes_of("b"));
  const std::size_t s1 = builder.size_bytes();
  const Buffer b1 = builder.finish();
  CHECK(b1.size() == s1);
  CHECK(builder.empty());
  CHECK(builder.size_bytes() == layout::kHeaderSize);
  builder.add(7, bytes_of("c"), bytes_of("d"));
  builder.add(6, bytes_of("e"), bytes_of("f"));
  const Buffer b2 = builder.finish();
  const BatchHeader h2 = validated(b2);
  CHECK(h2.record_count == 2);
  CHECK(h2.first_timestamp == 7);
  CHECK(h2.max_timestamp == 7);
  const auto recs = read_all(view(b2), h2);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].offset == 0);
  CHECK(recs[1].offset == 1);
  CHECK(recs[1].timestamp == 6);
}

TEST_CASE("hand-crafted batches that the validator accepts") {
  // Sanity check for the crafting helpers used below.
  const Buffer b = craft_batch({.max_timestamp = 1010, .record_count = 2},
                               {encode_record(raw_record(0, 10, "a")), encode_record(raw_record(1, -5, "b"))});
  const BatchHeader h = validated(b);
  const auto recs = read_all(view(b), h);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].timestamp == 1010);
  CHECK(recs[1].timestamp == 995);
  CHECK(str(*recs[1].value) == "b");
}

TEST_CASE("batch error codes have their own category and messages") {
  const std::error_code ec = BatchErrc::checksum_mismatch;
  CHECK(ec.category().name() == std::string("strata.batch"));
  CHECK(ec == BatchErrc::checksum_mismatch);
  CHECK(ec != BatchErrc::truncated);
  for (int e = static_cast<int>(BatchErrc::truncated); e <= static_cast<int>(BatchErrc::timestamp_mismatch); ++e) {
    CAPTURE(e);
    const std::string msg = protocol::batch_category().message(e);
    CHECK_FALSE(msg.empty());
    CHECK(msg != "unknown record batch error");
  }
}

// =============================================================================
// One test per BatchErrc value
// =============================================================================

TEST_CASE("validate_batch: truncated") {
  const Buffer good = builder_batch();
  SUBCASE("empty input") { CHECK(rejection(Buffer{}) == BatchErrc::truncated); }
  SUBCASE("shorter than the framing") {
    CHECK(rejection(Buffer(good.begin(), good.begin() + 11)) == BatchErrc::truncated);
  }
  SUBCASE("framing present but header incomplete") {
    CHECK(rejection(Buffer(good.begin(), good.begin() + 12)) == BatchErrc::truncated);
    CHECK(rejection(Buffer(good.begin(), good.begin() + 55)) == BatchErrc::truncated);
  }
  SUBCASE("header complete, records shorter than the declared length") {
    CHECK(rejection(Buffer(good.begin(), good.begin() + 56)) == BatchErrc::truncated);
    CHECK(rejection(Buffer(good.begin(), good.end() - 1)) == BatchErrc::truncated);
  }
  SUBCASE("decode_header alone on a short buffer") {
    const auto r = protocol::decode_header(Bytes{good.data(), layout::kHeaderSize - 1});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == BatchErrc::truncated);
  }
  SUBCASE("RecordReader over fewer bytes than the header declares") {
    const auto h = protocol::decode_header(view(good));
    REQUIRE(h.has_value());
    RecordReader reader(Bytes{good.data(), good.size() - 1}, h.value());
    Record rec;
    CHECK_FALSE(reader.next(rec));
    CHECK(reader.error() == BatchErrc::truncated);
  }
}

TEST_CASE("validate_batch: invalid_length") {
  Buffer b = builder_batch();
  SUBCASE("batch_length below the header size") {
    put_field<std::uint32_t>(b, layout::kBatchLength,
                             static_cast<std::uint32_t>(layout::kHeaderSize - layout::kFramingSize - 1));
    CHECK(rejection(b) == BatchErrc::invalid_length);
  }
  SUBCASE("batch_length zero") {
    put_field<std::uint32_t>(b, layout::kBatchLength, 0);
    CHECK(rejection(b) == BatchErrc::invalid_length);
  }
  SUBCASE("more bytes given than declared") {
    b.push_back(0);
    CHECK(rejection(b) == BatchErrc::invalid_length);
  }
  SUBCASE("two valid batches back to back are not one batch") {
    const Buffer second = builder_batch();
    b.insert(b.end(), second.begin(), second.end());
    CHECK(rejection(b) == BatchErrc::invalid_length);
  }
  SUBCASE("batch_length exactly the header size is a valid length (but no records)") {
    Buffer hdr(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(layout::kHeaderSize));
    reseal(hdr);
    // Not invalid_length: the length is consistent; the count (3) is what is wrong.
    CHECK(rejection(hdr) == BatchErrc::record_count_mismatch);
  }
}

TEST_CASE("validate_batch: too_large") {
  const Buffer good = builder_batch();
  SUBCASE("declared size over max_batch_bytes") {
    CHECK(rejection(good, good.size() - 1) == BatchErrc::too_large);
    CHECK(protocol::validate_batch(view(good), good.size()).has_value());
  }
  SUBCASE("detected from the first 12 bytes even if the rest is missing") {
    Buffer b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(layout::kFramingSize));
    put_field<std::uint32_t>(b, layout::kBatchLength, 0x7fffffffU);
    CHECK(rejection(b, kLimit) == BatchErrc::too_large);
    // With the header present but the records missing, still too_large.
    Buffer c(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(layout::kHeaderSize));
    put_field<std::uint32_t>(c, layout::kBatchLength, 0x7fffffffU);
    CHECK(rejection(c, kLimit) == BatchErrc::too_large);
  }
  SUBCASE("the format limit applies even when the caller allows more") {
    Buffer b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(layout::kFramingSize));
    put_field<std::uint32_t>(b, layout::kBatchLength, 0xffffffffU);
    CHECK(rejection(b, std::numeric_limits<std::size_t>::max()) == BatchErrc::too_large);
    put_field<std::uint32_t>(b, layout::kBatchLength,
                             static_cast<std::uint32_t>(protocol::kMaxBatchBytes - layout::kFramingSize + 1));
    CHECK(rejection(b, std::numeric_limits<std::size_t>::max()) == BatchErrc::too_large);
    // Exactly at the limit it is not too large: just truncated.
    put_field<std::uint32_t>(b, layout::kBatchLength,
                             static_cast<std::uint32_t>(protocol::kMaxBatchBytes - layout::kFramingSize));
    CHECK(rejection(b, std::numeric_limits<std::size_t>::max()) == BatchErrc::truncated);
  }
}

TEST_CASE("validate_batch: unsupported_version") {
  for (const std::uint8_t magic : {std::uint8_t{0}, std::uint8_t{2}, std::uint8_t{0xff}}) {
    CAPTURE(static_cast<int>(magic));
    Buffer b = builder_batch();
    b[layout::kMagic] = magic;
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::unsupported_version);
    // Also without fixing the checksum: the version is checked first.
    Buffer c = builder_batch();
    c[layout::kMagic] = magic;
    CHECK(rejection(c) == BatchErrc::unsupported_version);
  }
}

TEST_CASE("validate_batch: unsupported_attributes") {
  Buffer b = builder_batch();
  SUBCASE("lowest attribute bit") { b[layout::kAttributes] = 0x01; }
  SUBCASE("highest attribute bit") { b[layout::kAttributes] = 0x80; }
  SUBCASE("reserved field low bit") { put_field<std::uint16_t>(b, layout::kReserved, 0x0001); }
  SUBCASE("reserved field high bit") { put_field<std::uint16_t>(b, layout::kReserved, 0x8000); }
  fix_checksum(b);
  CHECK(rejection(b) == BatchErrc::unsupported_attributes);
}

TEST_CASE("validate_batch: checksum_mismatch") {
  Buffer b = builder_batch();
  SUBCASE("bit flipped in the last record byte") { b[b.size() - 1] ^= 0x01; }
  SUBCASE("bit flipped in the first record byte") { b[layout::kHeaderSize] ^= 0x40; }
  SUBCASE("bit flipped in the first timestamp") { b[layout::kFirstTimestamp] ^= 0x01; }
  SUBCASE("bit flipped in the record count") { b[layout::kRecordCount] ^= 0x01; }
  SUBCASE("bit flipped in the stored checksum") { b[layout::kChecksum + 7] ^= 0x80; }
  CHECK(rejection(b) == BatchErrc::checksum_mismatch);
}

TEST_CASE("validate_batch: empty_batch") {
  SUBCASE("record_count zero with records present") {
    Buffer b = builder_batch();
    put_field<std::uint32_t>(b, layout::kRecordCount, 0);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::empty_batch);
  }
  SUBCASE("header only, count zero") {
    const Buffer b = craft_batch({.record_count = 0}, {});
    CHECK(b.size() == layout::kHeaderSize);
    CHECK(rejection(b) == BatchErrc::empty_batch);
  }
}

TEST_CASE("validate_batch: record_count_mismatch") {
  SUBCASE("header says more records than there are") {
    Buffer b = builder_batch();
    put_field<std::uint32_t>(b, layout::kRecordCount, 4);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("header says fewer records than there are") {
    Buffer b = builder_batch();
    put_field<std::uint32_t>(b, layout::kRecordCount, 2);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("header says one record, there are none") {
    const Buffer b = craft_batch({.record_count = 1}, {});
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
  SUBCASE("header says UINT32_MAX records") {
    Buffer b = builder_batch();
    put_field<std::uint32_t>(b, layout::kRecordCount, std::numeric_limits<std::uint32_t>::max());
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::record_count_mismatch);
  }
}

TEST_CASE("validate_batch: malformed_record") {
  const RawHeader one{.max_timestamp = 1000, .record_count = 1};
  const RawHeader two{.max_timestamp = 1000, .record_count = 2};
  std::vector<Buffer> recs;
  RawHeader hdr = one;

  SUBCASE("record body length overruns the batch") {
    RawRecord r = raw_record(0, 0, "abc");
    r.body_length = 100;
    recs = {encode_record(r)};
  }
  SUBCASE("second record body length overruns the batch by one byte") {
    RawRecord r = raw_record(1, 0, "abc");
    const Buffer exact = encode_record(r);
    r.body_length = exact.size();  // true body length is exact.size() - 1
    recs = {encode_record(raw_record(0, 0, "x")), encode_record(r)};
    hdr = two;
  }
  SUBCASE("body length varint cut off at the end of the batch") {
    recs = {encode_record(raw_record(0, 0, "x")), Buffer{0x80}};
    hdr = two;
  }
  SUBCASE("zero body length") {
    recs = {Buffer{0x00}};
  }
  SUBCASE("key length -2") {
    RawRecord r = raw_record(0, 0, "v");
    r.key_len = -2;
    recs = {encode_record(r)};
  }
  SUBCASE("key length INT64_MIN") {
    RawRecord r = raw_record(0, 0, "v");
    r.key_len = std::numeric_limits<std::int64_t>::min();
    recs = {encode_record(r)};
  }
  SUBCASE("value length -7") {
    RawRecord r = raw_record(0, 0, "");
    r.value_len = -7;
    recs = {encode_record(r)};
  }
  SUBCASE("key length past the end of the body") {
    RawRecord r = raw_record(0, 0, "v");
    r.key_len = 50;
    r.key = "short";
    recs = {encode_record(r)};
  }
  SUBCASE("key length INT64_MAX") {
    RawRecord r = raw_record(0, 0, "v");
    r.key_len = std::numeric_limits<std::int64_t>::max();
    recs = {encode_record(r)};
  }
  SUBCASE("value length past the end of the body, bytes present after it in the batch") {
    RawRecord r = raw_record(0, 0, "abc");
    r.value_len = 4;
    recs = {encode_record(r), encode_record(raw_record(1, 0, "next"))};
    hdr = two;
  }
  SUBCASE("trailing bytes inside the record body") {
    RawRecord r = raw_record(0, 0, "v");
    r.trailing = {0x00};
    recs = {encode_record(r)};
  }
  SUBCASE("header count larger than the headers present") {
    RawRecord r = raw_record(0, 0, "v");
    r.header_count = 2;
    r.headers = {{"n", "v"}};
    recs = {encode_record(r)};
  }
  SUBCASE("header count huge") {
    RawRecord r = raw_record(0, 0, "v");
    r.header_count = std::numeric_limits<std::uint64_t>::max();
    r.headers = {{"", ""}, {"", ""}};
    recs = {encode_record(r)};
  }
  SUBCASE("header count smaller than the headers present") {
    RawRecord r = raw_record(0, 0, "v");
    r.header_count = 1;
    r.headers = {{"n", "v"}, {"m", "w"}};
    recs = {encode_record(r)};
  }
  SUBCASE("over-long varint in the timestamp delta") {
    const Buffer body = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,  // 11-byte ts
                         0x00, 0x01, 0x00, 0x00};
    Writer w;
    w.uv(body.size());
    w.raw(view(body));
    recs = {w.out};
  }
  SUBCASE("body length with a tenth byte above 1") {
    recs = {Buffer{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}};
  }
  SUBCASE("body ends in the middle of the fields") {
    RawRecord r = raw_record(0, 0, "value");
    Buffer full = encode_record(r);
    // Keep the body length honest but cut the body short: drop the value and header count.
    Buffer body(full.begin() + 1, full.begin() + 4);  // ts, offset, key(-1)
    Writer w;
    w.uv(body.size());
    w.raw(view(body));
    recs = {w.out};
  }

  const Buffer b = craft_batch(hdr, recs);
  CHECK(rejection(b) == BatchErrc::malformed_record);
}

TEST_CASE("validate_batch: offset_delta_mismatch") {
  std::vector<Buffer> recs;
  std::uint32_t count = 0;
  SUBCASE("first record has delta 1") {
    recs = {encode_record(raw_record(1, 0, "a"))};
    count = 1;
  }
  SUBCASE("a gap: 0, 2") {
    recs = {encode_record(raw_record(0, 0, "a")), encode_record(raw_record(2, 0, "b"))};
    count = 2;
  }
  SUBCASE("a repeat: 0, 0") {
    recs = {encode_record(raw_record(0, 0, "a")), encode_record(raw_record(0, 0, "b"))};
    count = 2;
  }
  SUBCASE("reversed: 1, 0") {
    recs = {encode_record(raw_record(1, 0, "a")), encode_record(raw_record(0, 0, "b"))};
    count = 2;
  }
  SUBCASE("huge delta that wraps with the base offset") {
    recs = {encode_record(raw_record(std::numeric_limits<std::uint64_t>::max(), 0, "a"))};
    count = 1;
  }
  const Buffer b = craft_batch({.base_offset = 10, .max_timestamp = 1000, .record_count = count}, recs);
  CHECK(rejection(b) == BatchErrc::offset_delta_mismatch);
}

TEST_CASE("validate_batch: timestamp_mismatch") {
  SUBCASE("max_timestamp higher than every record") {
    Buffer b = builder_batch();
    put_field<std::int64_t>(b, layout::kMaxTimestamp, 1006);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::timestamp_mismatch);
  }
  SUBCASE("max_timestamp equal to the first but not the largest") {
    Buffer b = builder_batch();
    put_field<std::int64_t>(b, layout::kMaxTimestamp, 1000);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::timestamp_mismatch);
  }
  SUBCASE("max_timestamp of the last record instead of the max") {
    Buffer b = builder_batch();
    put_field<std::int64_t>(b, layout::kMaxTimestamp, 1002);
    fix_checksum(b);
    CHECK(rejection(b) == BatchErrc::timestamp_mismatch);
  }
  SUBCASE("hand-crafted deltas") {
    const Buffer b = craft_batch({.first_timestamp = 50, .max_timestamp = 50, .record_count = 2},
                                 {encode_record(raw_record(0, -10, "a")), encode_record(raw_record(1, 1, "b"))});
    CHECK(rejection(b) == BatchErrc::timestamp_mismatch);
  }
}

// =============================================================================
// Robustness
// =============================================================================

TEST_CASE("robustness: every byte XOR every mask, with and without a fixed checksum") {
  const Buffer good = rich_batch();
  REQUIRE(probe(view(good)));
  const std::array<std::uint8_t, 13> masks{0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40,
                                           0x80, 0xff, 0x7f, 0x55, 0xaa, 0x0f};
  std::size_t accepted_after_reseal = 0;
  for (std::size_t pos = 0; pos < good.size(); ++pos) {
    for (const std::uint8_t mask : masks) {
      CAPTURE(pos);
      CAPTURE(static_cast<int>(mask));
      Buffer b = good;
      b[pos] = static_cast<std::uint8_t>(b[pos] ^ mask);
      const bool ok = probe(view(b));
      if (pos < layout::kBatchLength) {
        // The base offset is not checksummed: any value is accepted, and the
        // records are numbered from it.
        REQUIRE(ok);
        const auto h = protocol::validate_batch(view(b), kLimit);
        CHECK(h.value().base_offset == protocol::load_le<std::uint64_t>(b.data()));
      } else {
        // Length, checksum and everything the checksum covers: any change is caught.
        REQUIRE_FALSE(ok);
      }

      // With the checksum recomputed, the record parser is what must cope.
      if (pos >= layout::kChecksummedFrom) {
        fix_checksum(b);
        if (probe(view(b))) ++accepted_after_reseal;
      }
    }
  }
  // Some mutations (e.g. inside a key or value) stay valid once resealed.
  CHECK(accepted_after_reseal > 0);
}

TEST_CASE("robustness: every truncation of a valid batch is rejected as truncated") {
  const Buffer good = rich_batch();
  for (std::size_t len = 0; len < good.size(); ++len) {
    CAPTURE(len);
    const Bytes part{good.data(), len};
    REQUIRE_FALSE(probe(part));
    const auto r = protocol::validate_batch(part, kLimit);
    CHECK(r.error() == BatchErrc::truncated);
  }
  // Extending it by any number of bytes is invalid_length.
  for (std::size_t extra = 1; extra < 64; ++extra) {
    CAPTURE(extra);
    Buffer b = good;
    b.resize(good.size() + extra, 0);
    REQUIRE_FALSE(probe(view(b)));
    CHECK(protocol::validate_batch(view(b), kLimit).error() == BatchErrc::invalid_length);
  }
}

TEST_CASE("robustness: truncated record region with a consistent length and checksum") {
  // Cut the record bytes at every point but keep framing and checksum honest,
  // so the record parser sees every prefix of the records.
  const Buffer good = rich_batch();
  for (std::size_t len = layout::kHeaderSize; len < good.size(); ++len) {
    CAPTURE(len);
    Buffer b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(len));
    reseal(b);
    REQUIRE_FALSE(probe(view(b)));
    const auto err = protocol::validate_batch(view(b), kLimit).error();
    CHECK((err == BatchErrc::malformed_record || err == BatchErrc::record_count_mismatch));
  }
}

TEST_CASE("robustness: random buffers") {
  std::mt19937 rng(20240611u);
  std::uniform_int_distribution<int> byte_dist(0, 255);
  std::uniform_int_distribution<std::size_t> len_dist(0, 300);
  std::uniform_int_distribution<int> mode_dist(0, 3);
  std::size_t decoded_headers = 0;
  std::size_t accepted = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    CAPTURE(iter);
    Buffer b(len_dist(rng));
    for (auto& c : b) c = static_cast<std::uint8_t>(byte_dist(rng));
    const int mode = mode_dist(rng);
    if (mode >= 1 && b.size() >= layout::kHeaderSize) {
      // Make the header plausible so decoding gets past it.
      b[layout::kMagic] = protocol::kFormatMagic;
      b[layout::kAttributes] = 0;
      put_field<std::uint16_t>(b, layout::kReserved, 0);
      put_field<std::uint32_t>(b, layout::kRecordCount, static_cast<std::uint32_t>(1 + (b[60 % b.size()] & 3)));
      if (mode >= 2) put_field<std::uint32_t>(b, layout::kBatchLength,
                                              static_cast<std::uint32_t>(b.size() - layout::kFramingSize));
      if (mode >= 3) {
        // Plausible records: short varints, so some of them parse.
        for (std::size_t i = layout::kHeaderSize; i < b.size(); ++i) b[i] &= 0x07;
        fix_checksum(b);
      }
    }
    const bool ok = probe(view(b));
    if (ok) ++accepted;
    if (protocol::decode_header(view(b)).has_value()) ++decoded_headers;
    if (mode == 0) CHECK_FALSE(ok);  // a random checksum never matches
  }
  // The generator actually exercised the header and record paths.
  CHECK(decoded_headers > 1000);
  MESSAGE("random buffers: " << decoded_headers << " decoded headers, " << accepted << " accepted batches");
}

TEST_CASE("robustness: random valid batches round trip exactly") {
  std::mt19937 rng(7u);
  const auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const auto blob = [&](int max_len) {
    Buffer b(static_cast<std::size_t>(pick(0, max_len)));
    for (auto& c : b) c = static_cast<std::uint8_t>(pick(0, 255));
    return b;
  };
  struct Expected {
    std::int64_t ts;
    std::optional<Buffer> key;
    std::optional<Buffer> value;
    std::vector<std::pair<Buffer, Buffer>> headers;
  };
  const auto same = [](const std::optional<Bytes>& got, const std::optional<Buffer>& want) {
    if (got.has_value() != want.has_value()) return false;
    return !got || std::equal(got->begin(), got->end(), want->begin(), want->end());
  };

  protocol::BatchBuilder builder;
  for (int iter = 0; iter < 500; ++iter) {
    CAPTURE(iter);
    std::vector<Expected> want(static_cast<std::size_t>(pick(1, 12)));
    const std::int64_t base_ts = std::int64_t{pick(0, 1 << 30)} * 1000;
    std::int64_t max_ts = std::numeric_limits<std::int64_t>::min();
    for (auto& e : want) {
      e.ts = base_ts + pick(-100000, 100000);
      max_ts = std::max(max_ts, e.ts);
      if (pick(0, 3) != 0) e.key = blob(pick(0, 1) == 0 ? 3 : 200);
      if (pick(0, 3) != 0) e.value = blob(pick(0, 1) == 0 ? 3 : 300);
      const int nh = pick(0, 3);
      for (int i = 0; i < nh; ++i) e.headers.emplace_back(blob(10), blob(150));
      std::vector<RecordHeader> hs;
      for (const auto& [n, v] : e.headers) hs.push_back(RecordHeader{view(n), view(v)});
      builder.add(e.ts, e.key ? std::optional<Bytes>(view(*e.key)) : std::nullopt,
                  e.value ? std::optional<Bytes>(view(*e.value)) : std::nullopt, hs);
    }
    Buffer b = builder.finish();
    const std::uint64_t base = static_cast<std::uint64_t>(pick(0, 1 << 30)) << 20;
    protocol::stamp_base_offset(protocol::MutableBytes{b.data(), b.size()}, base);
    const BatchHeader h = validated(b);
    CHECK(h.record_count == want.size());
    CHECK(h.max_timestamp == max_ts);
    CHECK(h.first_timestamp == want[0].ts);
    const auto recs = read_all(view(b), h);
    REQUIRE(recs.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      CAPTURE(i);
      CHECK(recs[i].offset == base + i);
      CHECK(recs[i].timestamp == want[i].ts);
      CHECK(same(recs[i].key, want[i].key));
      CHECK(same(recs[i].value, want[i].value));
      const auto got_h = protocol::decode_headers(recs[i]);
      REQUIRE(got_h.size() == want[i].headers.size());
      for (std::size_t j = 0; j < got_h.size(); ++j) {
        CHECK(same(got_h[j].name, want[i].headers[j].first));
        CHECK(same(got_h[j].value, want[i].headers[j].second));
      }
    }
  }
}
