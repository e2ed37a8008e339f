// Which cluster and node a data directory belongs to (issue 17: "a broker
// refuses to start on a directory of another node or cluster"). Cluster
// mode adds two lines to the meta file (data_dir_format.h):
//
//   cluster.id=<22-character id>
//   node.id=<node id>
//
// A directory without them (new, or used standalone until now) is stamped
// with this broker's identity; one stamped with another is refused. The
// meta file is rewritten whole and durably (replace_file), so a crash
// leaves the old or the new file, never half.
//
// Threads: at start-up, after check_data_dir, with the directory's lock held.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/base/result.h"
#include "storage/file_system.h"

namespace strata::storage {

struct DataDirIdentity {
  std::string cluster_id;  // REQUIRES: no '\n'
  std::int32_t node_id = 0;
};

struct IdentityCheck {
  bool stamped = false;  // the identity was written now
  // Empty when the directory is this node's; otherwise what was found and
  // what to do, for the operator.
  std::string refusal;
};

// REQUIRES: check_data_dir(dir) accepted the directory (the meta file exists).
[[nodiscard]] Result<IdentityCheck> check_data_dir_identity(FileSystem& fs, const fs::path& dir,
                                                            const DataDirIdentity& identity);

}  // namespace strata::storage
