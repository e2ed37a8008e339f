// Writes the seed corpora of the fuzz targets: small valid encodings (and a
// few deliberately damaged ones) for each, one file per seed, into
// <root>/<target>/seed-<name>. Run: fuzz_make_corpus tests/fuzz/corpus
// The committed seeds came from this program; rerun it after a format change.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "protocol/admin_messages.h"
#include "protocol/batch_builder.h"
#include "protocol/data_messages.h"
#include "protocol/frame.h"
#include "protocol/producer_id_messages.h"

namespace strata::kafka::test {
void kafka_request_seeds(const std::filesystem::path& dir);  // make_kafka_corpus.cpp
}  // namespace strata::kafka::test

namespace {

using namespace strata::protocol;
namespace fs = std::filesystem;
using Buffer = std::vector<std::uint8_t>;

void save(const fs::path& dir, const std::string& name, const Buffer& bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / ("seed-" + name), std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

constexpr std::int64_t kT0 = 1'700'000'000'000;

Buffer batch(std::uint64_t first_id, std::size_t count, bool headers = false,
             Compression codec = Compression::none) {
  BatchBuilder b(codec);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string key = "k" + std::to_string(first_id + i);
    const std::string value = "value-" + std::to_string(first_id + i);
    const RecordHeader h[] = {{as_bytes("trace"), as_bytes(key)}, {as_bytes(""), as_bytes("x")}};
    b.add(kT0 + static_cast<std::int64_t>(first_id + i), as_bytes(key), as_bytes(value),
          headers ? std::span<const RecordHeader>(h) : std::span<const RecordHeader>());
  }
  Buffer out = b.finish();
  stamp_base_offset(out, first_id);
  return out;
}

// A frame: size, request header for `key`, then the body `encode` writes.
template <typename Message>
Buffer frame(ApiKey key, const Message& body) {
  ByteWriter w;
  begin_request(w, {key, 0, 7, "seed"});
  body.encode(w);
  finish_frame(w);
  return w.take();
}

void request_decoder_seeds(const fs::path& dir) {
  const Buffer b = batch(0, 2);
  save(dir, "api_versions", frame(ApiKey::api_versions, ApiVersionsRequest{}));
  save(dir, "metadata", frame(ApiKey::metadata, MetadataRequest{{"orders", "logs"}}));
  save(dir, "create_topic", frame(ApiKey::create_topic, CreateTopicRequest{"orders", 3, {{"retention.ms", "1000"}}}));
  save(dir, "delete_topic", frame(ApiKey::delete_topic, TopicRequest{"orders"}));
  save(dir, "describe_configs", frame(ApiKey::describe_configs, TopicRequest{"orders"}));
  save(dir, "alter_configs", frame(ApiKey::alter_configs, AlterConfigsRequest{"orders", {{"segment.bytes", "4096"}}}));
  save(dir, "produce", frame(ApiKey::produce, ProduceRequest{Acks::durable, 500, {{"orders", {{0, b}, {1, b}}}}}));
  save(dir, "fetch", frame(ApiKey::fetch, FetchRequest{10, 1, 1 << 20, {{"orders", {{0, 5, 4096}}}}}));
  save(dir, "list_offsets",
       frame(ApiKey::list_offsets, ListOffsetsRequest{{{"orders", {{0, kLatestTimestamp}, {1, kT0}}}}}));
  save(dir, "init_producer_id", frame(ApiKey::init_producer_id, InitProducerIdRequest{42, 3}));
  // Response bodies behind a request header: the target decodes the body as
  // both the request and the response of the header's API.
  save(dir, "api_versions_response",
       frame(ApiKey::api_versions, ApiVersionsResponse{ErrorCode::none, {{ApiKey::produce, 0, 0}}}));
  save(dir, "metadata_response",
       frame(ApiKey::metadata, MetadataResponse{{{ErrorCode::none, "orders", {{0, ErrorCode::none, 0, 10, 999}}}}}));
  save(dir, "status_response", frame(ApiKey::create_topic, StatusResponse{ErrorCode::invalid_request, "why"}));
  save(dir, "describe_configs_response",
       frame(ApiKey::describe_configs, DescribeConfigsResponse{ErrorCode::none, "", {{"retention.ms", "-1"}}}));
  save(dir, "produce_response",
       frame(ApiKey::produce, ProduceResponse{{{"orders", {{0, ErrorCode::none, 10, 0, ""}}}}}));
  FetchResponse fetch;
  fetch.topics.push_back({"orders", {{{0, ErrorCode::none, 0, 2}, b}}});
  save(dir, "fetch_response", frame(ApiKey::fetch, fetch));
  save(dir, "list_offsets_response",
       frame(ApiKey::list_offsets, ListOffsetsResponse{{{"orders", {{0, ErrorCode::none, 3}}}}}));
  save(dir, "init_producer_id_response",
       frame(ApiKey::init_producer_id, InitProducerIdResponse{ErrorCode::none, "", 1000, 0}));
  save(dir, "error_response", error_response_frame(7, ErrorCode::unsupported_api, "unknown API key"));
}

void record_batch_seeds(const fs::path& dir) {
  save(dir, "one_record", batch(0, 1));
  save(dir, "three_records", batch(40, 3));
  save(dir, "headers", batch(7, 2, true));
  BatchBuilder nulls;
  nulls.set_producer(42, 0, 3);
  nulls.add(kT0, std::nullopt, std::nullopt);
  nulls.add(kT0 - 5, as_bytes(""), as_bytes(""));
  save(dir, "nulls_and_producer", nulls.finish());
  Buffer torn = batch(0, 2);
  torn.resize(torn.size() - 3);
  save(dir, "torn", torn);
  for (const Compression codec : {Compression::gzip, Compression::snappy, Compression::lz4, Compression::zstd}) {
    save(dir, std::string(compression_name(codec)) + "_five_records", batch(3, 5, true, codec));
  }
}

// The recovery target's layout (see fuzz_segment_recovery.cpp).
enum Flags : std::uint8_t { kFix = 1, kRenumber = 2, kTwo = 4, kIndexes = 8, kCheckpoint = 16, kClean = 32 };

struct Scenario {
  std::uint8_t flags = kFix | kRenumber;
  std::uint64_t base = 0;
  Buffer log0;
  Buffer log1;
  std::uint32_t second_delta = 0;
  Buffer index;
  Buffer time_index;
  std::uint32_t recovery_position = 0;
  std::uint32_t recovery_delta = 0;

  Buffer encode() const {
    ByteWriter w;
    w.fixed(flags);
    w.fixed<std::uint8_t>(63);  // index interval 64
    w.fixed<std::uint16_t>(7);  // read budget 128
    w.fixed(base);
    if (flags & kTwo) {
      w.fixed(second_delta);
      w.fixed(static_cast<std::uint16_t>(log0.size()));
    }
    if (flags & kIndexes) {
      w.fixed(static_cast<std::uint16_t>(index.size()));
      w.raw(index);
      w.fixed(static_cast<std::uint16_t>(time_index.size()));
      w.raw(time_index);
    }
    if (flags & kCheckpoint) {
      w.fixed<std::uint8_t>(0);
      w.fixed<std::uint32_t>(0);
      w.fixed(recovery_delta);
      w.fixed(recovery_position);
    }
    w.raw(log0);
    w.raw(log1);
    return w.take();
  }
};

Buffer concat(const std::vector<Buffer>& parts) {
  Buffer out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void segment_recovery_seeds(const fs::path& dir) {
  const Buffer a = batch(0, 2), b = batch(2, 3, true), c = batch(5, 1);
  Scenario s;
  s.log0 = concat({a, b, c});
  save(dir, "three_batches", s.encode());
  s.flags = 0;
  save(dir, "three_batches_raw", s.encode());
  s.flags = kFix | kRenumber;
  s.base = 1000;
  save(dir, "base_1000", s.encode());
  s.base = 0;
  s.log0.resize(s.log0.size() - 5);
  save(dir, "torn_tail", s.encode());
  s.log0 = concat({a, b, c});
  s.log0[a.size() + 60] ^= 0x10;
  s.flags = kRenumber;
  save(dir, "flipped_bit", s.encode());
  Scenario two;
  two.flags = kFix | kRenumber | kTwo;
  two.log0 = concat({a, b});
  two.log1 = c;
  two.second_delta = 5;
  save(dir, "two_segments", two.encode());
  two.second_delta = 9;
  save(dir, "two_segments_gap", two.encode());
  Scenario indexed = s;
  indexed.log0 = concat({a, b, c});
  indexed.flags = kFix | kRenumber | kIndexes | kCheckpoint;
  ByteWriter index, time_index;
  index.fixed<std::uint32_t>(0);
  index.fixed<std::uint32_t>(0);
  index.fixed<std::uint32_t>(2);
  index.fixed(static_cast<std::uint32_t>(a.size()));
  time_index.fixed<std::int64_t>(kT0 + 1);
  time_index.fixed<std::uint32_t>(0);
  time_index.fixed<std::int64_t>(kT0 + 4);
  time_index.fixed<std::uint32_t>(2);
  indexed.index = index.take();
  indexed.time_index = time_index.take();
  indexed.recovery_delta = 2;
  indexed.recovery_position = static_cast<std::uint32_t>(a.size());
  save(dir, "indexes_checkpoint", indexed.encode());
  indexed.flags |= kClean;
  indexed.recovery_delta = 6;
  indexed.recovery_position = static_cast<std::uint32_t>(indexed.log0.size());
  save(dir, "clean_shutdown", indexed.encode());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus root>\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  request_decoder_seeds(root / "request_decoder");
  record_batch_seeds(root / "record_batch");
  segment_recovery_seeds(root / "segment_recovery");
  strata::kafka::test::kafka_request_seeds(root / "kafka_request");
  return 0;
}
