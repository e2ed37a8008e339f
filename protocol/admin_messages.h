// Bodies of the administrative APIs (version 0 of each): ApiVersions,
// Metadata, CreateTopic, DeleteTopic, DescribeConfigs, AlterConfigs.
// decode() leaves the reader failed (r.ok() == false) on malformed input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/error_code.h"
#include "protocol/frame.h"

namespace strata::protocol {

struct ConfigEntry {
  std::string key;
  std::string value;
  bool operator==(const ConfigEntry&) const = default;
};

struct ApiVersionRange {
  ApiKey api_key;
  std::uint16_t min_version;
  std::uint16_t max_version;
  bool operator==(const ApiVersionRange&) const = default;
};

struct ApiVersionsRequest {
  void encode(ByteWriter&) const {}
  static ApiVersionsRequest decode(ByteReader&) { return {}; }
};
struct ApiVersionsResponse {
  ErrorCode error = ErrorCode::none;
  std::vector<ApiVersionRange> apis;
  void encode(ByteWriter& w) const;
  static ApiVersionsResponse decode(ByteReader& r);
};

struct MetadataRequest {
  std::vector<std::string> topics;  // empty: every topic
  void encode(ByteWriter& w) const;
  static MetadataRequest decode(ByteReader& r);
};
struct PartitionMetadata {
  std::uint32_t partition = 0;
  ErrorCode error = ErrorCode::none;
  std::uint64_t log_start = 0;
  std::uint64_t log_end = 0;
  std::uint64_t size_bytes = 0;
  bool operator==(const PartitionMetadata&) const = default;
};
struct TopicMetadata {
  ErrorCode error = ErrorCode::none;
  std::string name;
  std::vector<PartitionMetadata> partitions;
  bool operator==(const TopicMetadata&) const = default;
};
struct MetadataResponse {
  std::vector<TopicMetadata> topics;
  void encode(ByteWriter& w) const;
  static MetadataResponse decode(ByteReader& r);
};

// Shared reply of the APIs that only succeed or fail.
struct StatusResponse {
  ErrorCode error = ErrorCode::none;
  std::string message;  // specifics for a person; empty on success
  void encode(ByteWriter& w) const;
  static StatusResponse decode(ByteReader& r);
};

struct CreateTopicRequest {
  std::string name;
  std::uint32_t partitions = 1;
  std::vector<ConfigEntry> configs;
  void encode(ByteWriter& w) const;
  static CreateTopicRequest decode(ByteReader& r);
};

struct TopicRequest {  // DeleteTopic and DescribeConfigs
  std::string name;
  void encode(ByteWriter& w) const;
  static TopicRequest decode(ByteReader& r);
};

struct DescribeConfigsResponse {
  ErrorCode error = ErrorCode::none;
  std::string message;
  std::vector<ConfigEntry> configs;
  void encode(ByteWriter& w) const;
  static DescribeConfigsResponse decode(ByteReader& r);
};

struct AlterConfigsRequest {
  std::string name;
  std::vector<ConfigEntry> configs;
  void encode(ByteWriter& w) const;
  static AlterConfigsRequest decode(ByteReader& r);
};

}  // namespace strata::protocol
