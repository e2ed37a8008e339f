// A follower's append (PartitionLog::append_replica): the leader's batch,
// byte for byte, at the leader's offsets.
#include "protocol/batch_validator.h"
#include "storage/partition_log.h"
#include "storage/storage_errc.h"

namespace strata::storage {

Result<AppendResult> PartitionLog::append_replica(protocol::Bytes batch) {
  STRATA_TRYV(writable());
  // The leader's own limit was checked when it took the batch; a follower
  // whose max.message.bytes differs must still copy it. What recovery
  // would drop is refused here.
  STRATA_TRY(const protocol::BatchHeader header, protocol::validate_batch(batch, protocol::kMaxBatchBytes));
  if (Offset(header.base_offset) != log_end()) return StorageErrc::replica_offset_mismatch;
  STRATA_TRYV(note_epoch(header.leader_epoch, log_end()));
  STRATA_TRY(Segment* active, active_for(batch.size(), Offset(header.last_offset()), options_.clock->now_ms()));
  STRATA_TRYV(active->append(cache_, header, batch));
  // A batch emptied by compaction (no records) is no producer's batch.
  protocol::BatchHeader noted = header;
  if (noted.record_count == 0) noted.producer_id = -1;
  appended(noted, batch.size());
  return AppendResult{Offset(header.base_offset), Offset(header.last_offset())};
}

}  // namespace strata::storage
