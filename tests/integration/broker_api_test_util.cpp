#include "tests/integration/broker_api_test_util.h"

#include <doctest/doctest.h>

namespace strata::it {

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

void check_records(const std::vector<FetchedRecord>& got, std::uint64_t first, const std::vector<Rec>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i].offset == first + i);
    CHECK(got[i].rec == expected[i]);
  }
}

}  // namespace strata::it
