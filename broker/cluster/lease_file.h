// The etcd lease a broker's registration hangs on, recorded in its data
// directory (`strata~lease`; '~' keeps it apart from topic names) so that
// the next start can revoke it: a broker restarted right after kill -9
// then rejoins at once instead of being refused as a duplicate until the
// old lease expires. Only the process holding the data directory's lock
// (storage/data_dir_lock.h) reads or writes it, so the lease it names
// belongs to a previous incarnation of this broker, never to a live one.
//
//   lease.id=7587869938475737859
#pragma once

#include <cstdint>
#include <optional>

#include "protocol/base/result.h"
#include "storage/file_system.h"

namespace strata::cluster {

inline constexpr const char* kLeaseFileName = "strata~lease";

// The recorded lease id; nullopt when there is no file. A file that is not
// exactly one such line is ClusterErrc::bad_value.
[[nodiscard]] Result<std::optional<std::int64_t>> read_lease_file(storage::FileSystem& fs,
                                                                  const storage::fs::path& data_dir);
// Replaces the file durably (fsynced, with its directory).
[[nodiscard]] std::error_code write_lease_file(storage::FileSystem& fs, const storage::fs::path& data_dir,
                                               std::int64_t lease_id);

}  // namespace strata::cluster
