#include "broker/core/status.h"

namespace strata::broker {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::none: return "none";
    case Errc::unknown_topic: return "unknown topic";
    case Errc::invalid_topic: return "invalid topic";
    case Errc::unknown_partition: return "unknown partition";
    case Errc::topic_exists: return "topic exists";
    case Errc::topic_being_deleted: return "topic being deleted";
    case Errc::invalid_partitions: return "invalid partitions";
    case Errc::invalid_config: return "invalid config";
    case Errc::offset_out_of_range: return "offset out of range";
    case Errc::corrupt_batch: return "corrupt batch";
    case Errc::batch_too_large: return "batch too large";
    case Errc::invalid_timestamp: return "invalid timestamp";
    case Errc::out_of_order_sequence: return "out of order sequence";
    case Errc::producer_fenced: return "producer fenced";
    case Errc::unknown_producer_id: return "unknown producer id";
    case Errc::invalid_request: return "invalid request";
    case Errc::not_enough_space: return "not enough space";
    case Errc::too_many_open_files: return "too many open files";
    case Errc::storage_error: return "storage error";
    case Errc::response_too_large: return "response too large";
    case Errc::not_leader: return "not leader";
    case Errc::leader_not_available: return "leader not available";
    case Errc::cluster_unavailable: return "cluster unavailable";
    case Errc::invalid_replication_factor: return "invalid replication factor";
    case Errc::not_enough_replicas: return "not enough replicas";
  }
  return "unknown";
}

}  // namespace strata::broker
