// Names the broker gives files and directories in its data directory
// (storage/FORMAT.md).
#pragma once

namespace strata::broker {

// In each topic's directory: its settings.
inline constexpr const char* kTopicConfigFile = "topic.conf";
// '~' cannot appear in a topic name, so this never collides with one.
inline constexpr const char* kDeletingSuffix = "~deleting";
// Broker-wide files at the data directory's root; '~' keeps them apart from topics.
inline constexpr const char* kProducerIdsFile = "strata~producer-ids";
// Cluster mode's lease record (broker/cluster/lease_file.h, kLeaseFileName).
inline constexpr const char* kClusterLeaseFile = "strata~lease";

}  // namespace strata::broker
