#include "broker/core/error_mapping.h"

#include "protocol/batch_errc.h"
#include "storage/storage_errc.h"

namespace strata::broker {

Status to_status(std::error_code ec) {
  if (!ec) return {};
  if (ec.category() == protocol::batch_category()) {
    if (ec == protocol::BatchErrc::too_large) return {Errc::batch_too_large, ec.message()};
    return {Errc::corrupt_batch, ec.message()};
  }
  if (ec.category() == storage::storage_category()) {
    switch (static_cast<storage::StorageErrc>(ec.value())) {
      case storage::StorageErrc::offset_out_of_range: return {Errc::offset_out_of_range, ec.message()};
      case storage::StorageErrc::invalid_config: return {Errc::invalid_config, ec.message()};
      // A log is closed under a request only when its topic is deleted.
      case storage::StorageErrc::closed: return {Errc::unknown_topic, "the topic was deleted"};
      case storage::StorageErrc::out_of_order_sequence:
        return {Errc::out_of_order_sequence,
                "the batch's sequence number skips past the producer's last batch on this partition: an earlier "
                "batch is missing; resend from it"};
      case storage::StorageErrc::producer_fenced:
        return {Errc::producer_fenced,
                "this producer id has a newer epoch on the partition: another instance of the producer took over"};
      // The caller replaces the message with the record's numbers when it
      // has them (TimestampRefusal::message).
      case storage::StorageErrc::invalid_timestamp: return {Errc::invalid_timestamp, ec.message()};
      default: return {Errc::storage_error, ec.message()};
    }
  }
  if (storage::is_disk_full(ec)) {
    return {Errc::not_enough_space, "broker disk full: " + ec.message()};
  }
  if (storage::is_out_of_descriptors(ec)) {
    return {Errc::too_many_open_files,
            "the broker is out of open files (" + ec.message() +
                "), not out of disk: its operator must raise the open-file limit (LimitNOFILE=, ulimit -n) or "
                "lower file.cache.size or max.connections"};
  }
  return {Errc::storage_error, ec.message()};
}

}  // namespace strata::broker
