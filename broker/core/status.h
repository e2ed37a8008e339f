// The broker's one error enum: every way a service call can fail, in the
// service's terms, with a message for a person. Each front door maps Errc
// to its wire's codes in one place (native/wire_errors.cpp for strata's
// protocol); module errors (storage, batch, system) become a Status in one
// place too (error_mapping.h). DESIGN decisions 9 and 12.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::broker {

enum class Errc : std::uint8_t {
  none,
  unknown_topic,         // no such topic (or it was deleted under the request)
  invalid_topic,         // the name breaks the naming rule
  unknown_partition,     // the topic has fewer partitions
  topic_exists,
  topic_being_deleted,   // retriable: the name is free once deletion ends
  invalid_partitions,    // a partition count out of range
  invalid_config,        // a config key or value refused
  offset_out_of_range,
  corrupt_batch,
  batch_too_large,       // larger than the topic's max.message.bytes
  invalid_timestamp,     // outside the topic's timestamp bounds
  out_of_order_sequence,
  producer_fenced,
  unknown_producer_id,
  invalid_request,       // a well-formed request the service cannot accept
  not_enough_space,      // disk full
  too_many_open_files,   // out of descriptors: the operator's limit
  storage_error,         // any other I/O failure
  response_too_large,    // the answer would not fit a frame
  not_leader,            // cluster mode: another broker leads the partition (named in the message)
  leader_not_available,  // cluster mode, retriable: the partition's broker is gone
  cluster_unavailable,   // cluster mode, retriable: etcd unreachable (or no controller) for an admin call
  invalid_replication_factor,  // more replicas than brokers alive, or than this build or mode keeps
  not_enough_replicas,   // retriable: acks=all with an ISR below min.insync.replicas
};
// The last Errc: 0..kLastErrc are all defined (front doors map each).
inline constexpr Errc kLastErrc = Errc::not_enough_replicas;

[[nodiscard]] std::string_view errc_name(Errc code) noexcept;

struct Status {
  Errc code = Errc::none;
  std::string message;  // empty when ok

  [[nodiscard]] bool ok() const noexcept { return code == Errc::none; }
  [[nodiscard]] static Status error(Errc code, std::string message) { return {code, std::move(message)}; }
};

}  // namespace strata::broker
