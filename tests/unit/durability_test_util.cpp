#include "durability_test_util.h"

#include <doctest/doctest.h>

namespace strata::test::durability {

void check_log(PartitionLog& log, const Model& m) {
  REQUIRE(log.log_end() == Offset(m.next()));
  const auto got = read_all_with_offsets(log, Offset(0));
  REQUIRE(got.size() == m.records.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    REQUIRE(got[i].offset == i);
    REQUIRE(got[i].record.key == m.records[i].key);
    REQUIRE(got[i].record.value == m.records[i].value);
    REQUIRE(got[i].record.timestamp == m.records[i].timestamp);
  }
}

void check_every_offset(PartitionLog& log, const Model& m) {
  for (std::uint64_t o = 0; o < m.next(); ++o) {
    CAPTURE(o);
    const auto got = read_all_with_offsets(log, Offset(o), 100);
    REQUIRE(got.size() == m.next() - o);
    REQUIRE(got.front().offset == o);
    REQUIRE(got.front().record.key == m.records[o].key);
    auto ts = log.offset_for_timestamp(m.records[o].timestamp);
    REQUIRE(ts.has_value());
    REQUIRE(ts.value() == std::optional<Offset>(Offset(o)));
  }
}

void wait(PartitionLog& log, std::vector<Waiter>& ws, std::size_t i, std::vector<std::size_t>& order) {
  log.wait_durable(Offset(ws[i].end), [&ws, &order, i](std::error_code ec) {
    ws[i].result = ec;
    ++ws[i].calls;
    order.push_back(i);
  });
}

void add_and_wait(PartitionLog& log, Model& m, std::vector<Waiter>& ws, std::size_t i, std::vector<std::size_t>& order,
                  std::size_t count, std::optional<std::size_t> value_size) {
  ws[i].end = add(log, m, count, value_size.value_or(m.value_size)).end();
  wait(log, ws, i, order);
}

}  // namespace strata::test::durability
