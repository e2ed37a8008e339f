// Record-batch robustness: bit flips, truncations and random buffers must
// never crash RecordReader or validate_batch, and must be rejected wherever
// the checksum and framing cover them; random valid batches round trip.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>  // doctest prints std::error_code through operator<<
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "record_batch_test_util.h"

namespace strata::test::batch {
namespace {

// A richer batch for the robustness sweep: keys, nulls, headers, binary data.
Buffer rich_batch() {
  protocol::BatchBuilder builder;
  builder.set_producer(77, 2, 5);
  const std::array<std::uint8_t, 4> bin{0x00, 0xff, 0x80, 0x7f};
  const std::array<RecordHeader, 2> hs{RecordHeader{bytes_of("h1"), bytes_of("x")},
                                       RecordHeader{bytes_of("trace"), Bytes{bin}}};
  builder.add(500, bytes_of("key"), bytes_of("value"), hs);
  builder.add(400, std::nullopt, Bytes{bin});
  builder.add(900, bytes_of(""), std::nullopt, std::span<const RecordHeader>{hs.data(), 1});
  builder.add(100000, Bytes{bin}, bytes_of(std::string_view("a\0b", 3)));
  return builder.finish();
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
    // Shortest record: a length byte plus six one-byte fields.
    REQUIRE(reader.remaining_bytes() + 7 <= before);
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
      if (hd.value) {
        REQUIRE(inside(rec.header_data, *hd.value));
        s += touch(*hd.value);
      }
      s += touch(hd.name);
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
        CHECK(h.value().base_offset == protocol::load_be<std::uint64_t>(b.data()));
      } else if (pos >= layout::kLeaderEpoch && pos < layout::kMagic) {
        // Nor is the leader epoch, which the broker stamps.
        REQUIRE(ok);
        const auto h = protocol::validate_batch(view(b), kLimit);
        CHECK(h.value().leader_epoch == protocol::load_be<std::int32_t>(b.data() + layout::kLeaderEpoch));
      } else {
        // Length, checksum and everything the checksum covers: any change is caught.
        REQUIRE_FALSE(ok);
      }

      // With the checksum recomputed, the record parser is what must cope.
      if (pos >= layout::kCrcFrom) {
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
      put_field<std::uint16_t>(b, layout::kAttributes, 0);
      const auto count = static_cast<std::int32_t>(1 + (b[60 % b.size()] & 3));
      put_field<std::int32_t>(b, layout::kRecordCount, count);
      put_field<std::int32_t>(b, layout::kLastOffsetDelta, count - 1);
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
    CHECK(h.base_timestamp == want[0].ts);
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

}  // namespace strata::test::batch
