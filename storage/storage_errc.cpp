#include "storage/storage_errc.h"

#include <string>

namespace strata::storage {
namespace {

class StorageCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "strata.storage"; }
  std::string message(int ev) const override {
    switch (static_cast<StorageErrc>(ev)) {
      case StorageErrc::offset_out_of_range:
        return "offset is outside the log; ask for an offset between the earliest and latest";
      case StorageErrc::corruption: return "stored data failed validation";
      case StorageErrc::read_only:
        return "partition is read-only after a failed fsync; fix the disk and restart the broker";
      case StorageErrc::invalid_config: return "invalid log configuration value";
      case StorageErrc::closed: return "partition log is closed";
      case StorageErrc::out_of_order_sequence: return "batch sequence does not follow the producer's last batch";
      case StorageErrc::producer_fenced: return "batch from an older epoch of its producer id";
      case StorageErrc::unsupported_data_format:
        return "the data directory is not of a format this strata reads (the line before says what was found)";
      case StorageErrc::invalid_timestamp:
        return "a record's timestamp is further from the broker's clock than the topic's "
               "message.timestamp.before.max.ms / after.max.ms allow";
      case StorageErrc::data_dir_locked:
        return "the data directory is locked by another process (the line before names it)";
      case StorageErrc::replica_offset_mismatch:
        return "a replicated batch must start at the log end: its base offset leaves a gap or overlaps what the "
               "log holds; fetch from the log end, or truncate the log to the batch's offset first";
      case StorageErrc::leader_epoch_regression:
        return "the leader epoch is older than the partition's latest; truncate the log by the leader's epoch "
               "history first";
      case StorageErrc::truncated:
        return "the offsets waited for were removed by a truncation (the replica diverged from its leader)";
      case StorageErrc::sync_in_flight:
        return "a group-commit sync of the partition is running; truncate after it completes";
    }
    return "unknown storage error";
  }
};

}  // namespace

const std::error_category& storage_category() noexcept {
  static const StorageCategory category;
  return category;
}

}  // namespace strata::storage
