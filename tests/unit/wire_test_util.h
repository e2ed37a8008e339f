// Shared helpers of the wire protocol tests (wire_*_test.cpp): limits and
// values no enum names, sample messages of every type (empty arrays, several
// entries, extreme values), encoding, and field-wise comparison of decoded
// messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "protocol/admin_messages.h"
#include "protocol/byte_io.h"
#include "protocol/byte_writer.h"
#include "protocol/data_messages.h"
#include "protocol/error_code.h"
#include "protocol/frame.h"

namespace strata::test::wire {

using namespace strata::protocol;
using Buffer = std::vector<std::uint8_t>;

inline constexpr std::uint16_t kU16Max = std::numeric_limits<std::uint16_t>::max();
inline constexpr std::uint32_t kU32Max = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();
inline constexpr std::int64_t kI64Min = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();
inline constexpr std::size_t kMaxString = 65535;

// An error code and an API key no enum value names: the wire carries any u16.
inline constexpr ErrorCode kOddError = static_cast<ErrorCode>(kU16Max);
inline constexpr ApiKey kOddApi = static_cast<ApiKey>(kU16Max);

Bytes view(const Buffer& b) noexcept;

// A 65535-byte string using every byte value, NUL included.
const std::string& max_string();

Buffer pattern(std::size_t n, std::uint8_t seed);

template <typename M>
Buffer encode(const M& m) {
  ByteWriter w;
  m.encode(w);
  return w.take();
}

// --- field-wise comparison for structs without operator== --------------------

bool same_bytes(Bytes a, Bytes b);

void expect_equal(const ApiVersionsRequest&, const ApiVersionsRequest&);
void expect_equal(const ApiVersionsResponse& got, const ApiVersionsResponse& want);
void expect_equal(const MetadataRequest& got, const MetadataRequest& want);
void expect_equal(const MetadataResponse& got, const MetadataResponse& want);
void expect_equal(const StatusResponse& got, const StatusResponse& want);
void expect_equal(const CreateTopicRequest& got, const CreateTopicRequest& want);
void expect_equal(const TopicRequest& got, const TopicRequest& want);
void expect_equal(const DescribeConfigsResponse& got, const DescribeConfigsResponse& want);
void expect_equal(const AlterConfigsRequest& got, const AlterConfigsRequest& want);
void expect_equal(const ProduceRequest& got, const ProduceRequest& want);
void expect_equal(const ProduceResponse& got, const ProduceResponse& want);
void expect_equal(const FetchRequest& got, const FetchRequest& want);
void expect_equal(const FetchResponse& got, const FetchResponse& want);
void expect_equal(const ListOffsetsRequest& got, const ListOffsetsRequest& want);
void expect_equal(const ListOffsetsResponse& got, const ListOffsetsResponse& want);

// --- sample messages: empty arrays, several entries, extreme values ----------

std::vector<ApiVersionsRequest> api_versions_requests();
std::vector<ApiVersionsResponse> api_versions_responses();
std::vector<MetadataRequest> metadata_requests();
std::vector<MetadataResponse> metadata_responses();
std::vector<StatusResponse> status_responses();
std::vector<CreateTopicRequest> create_topic_requests();
std::vector<TopicRequest> topic_requests();
std::vector<DescribeConfigsResponse> describe_configs_responses();
std::vector<AlterConfigsRequest> alter_configs_requests();
std::vector<ProduceRequest> produce_requests();
std::vector<ProduceResponse> produce_responses();
std::vector<FetchRequest> fetch_requests();
std::vector<FetchResponse> fetch_responses();
std::vector<ListOffsetsRequest> list_offsets_requests();
std::vector<ListOffsetsResponse> list_offsets_responses();

}  // namespace strata::test::wire
