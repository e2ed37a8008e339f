// Shared helpers of the durability tests (durability_*_test.cpp): checks
// that a log holds exactly what a Model says, and durability waiters that
// record what they were told and in which order.
//
// A "crash" destroys the PartitionLog without close() together with the
// FileCache it used (every descriptor closes, as when the process dies); a
// power loss additionally calls faults.drop_unsynced().
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

#include "storage/storage_errc.h"
#include "storage_test_util.h"

namespace strata::test::durability {

namespace fs = std::filesystem;
using storage::LogConfig;
using storage::Offset;
using storage::PartitionLog;
using storage::StorageErrc;

// log_end matches and every record reads back, field by field.
void check_log(PartitionLog& log, const Model& m);

// A read from every offset starts at that record; a timestamp lookup finds it.
void check_every_offset(PartitionLog& log, const Model& m);

// One registered durability waiter and what it was told.
struct Waiter {
  std::uint64_t end = 0;
  std::optional<std::error_code> result;
  int calls = 0;
};

// Registers a waiter whose callback also appends its index to `order`.
void wait(PartitionLog& log, std::vector<Waiter>& ws, std::size_t i, std::vector<std::size_t>& order);

// Appends `count` records and registers waiter i for the offset after them.
void add_and_wait(PartitionLog& log, Model& m, std::vector<Waiter>& ws, std::size_t i, std::vector<std::size_t>& order,
                  std::size_t count, std::optional<std::size_t> value_size = std::nullopt);

}  // namespace strata::test::durability
