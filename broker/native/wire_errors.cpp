#include "broker/native/wire_errors.h"

namespace strata::broker::native {

using protocol::ErrorCode;

ErrorCode to_wire(Errc code) noexcept {
  switch (code) {
    case Errc::none: return ErrorCode::none;
    case Errc::unknown_topic: return ErrorCode::unknown_topic;
    case Errc::invalid_topic: return ErrorCode::invalid_topic;
    case Errc::unknown_partition: return ErrorCode::unknown_partition;
    case Errc::topic_exists: return ErrorCode::topic_exists;
    case Errc::topic_being_deleted: return ErrorCode::topic_being_deleted;
    case Errc::invalid_partitions: return ErrorCode::invalid_partitions;
    case Errc::invalid_config: return ErrorCode::invalid_config;
    case Errc::offset_out_of_range: return ErrorCode::offset_out_of_range;
    case Errc::corrupt_batch: return ErrorCode::corrupt_batch;
    case Errc::batch_too_large: return ErrorCode::batch_too_large;
    case Errc::invalid_timestamp: return ErrorCode::invalid_timestamp;
    case Errc::out_of_order_sequence: return ErrorCode::out_of_order_sequence;
    case Errc::producer_fenced: return ErrorCode::producer_fenced;
    case Errc::unknown_producer_id: return ErrorCode::unknown_producer_id;
    case Errc::invalid_request: return ErrorCode::invalid_request;
    case Errc::not_enough_space: return ErrorCode::not_enough_space;
    case Errc::too_many_open_files: return ErrorCode::too_many_open_files;
    case Errc::storage_error: return ErrorCode::storage_error;
    case Errc::response_too_large: return ErrorCode::frame_too_large;
    case Errc::not_leader: return ErrorCode::not_leader;
    case Errc::leader_not_available: return ErrorCode::leader_not_available;
    case Errc::cluster_unavailable: return ErrorCode::cluster_unavailable;
    case Errc::invalid_replication_factor: return ErrorCode::invalid_replication_factor;
    case Errc::not_enough_replicas: return ErrorCode::not_enough_replicas;
  }
  return ErrorCode::storage_error;
}

}  // namespace strata::broker::native
