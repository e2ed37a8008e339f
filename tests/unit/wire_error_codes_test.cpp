// Wire error codes and API keys: error_info names every code distinctly,
// with advice, and api_name every API key.
#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "wire_test_util.h"

namespace strata::test::wire {

TEST_CASE("wire: error_info names every code distinctly with advice") {
  std::set<std::string_view> names;
  const auto last = static_cast<std::uint16_t>(protocol::kLastErrorCode);
  for (std::uint16_t n = 0; n <= last; ++n) {
    const ErrorInfo info = error_info(static_cast<ErrorCode>(n));
    CAPTURE(n);
    CAPTURE(info.name);
    REQUIRE_FALSE(info.name.empty());
    bool upper_snake = info.name.front() != '_' && info.name.back() != '_' &&
                       info.name.find("__") == std::string_view::npos &&
                       info.name.front() >= 'A' && info.name.front() <= 'Z';
    for (const char ch : info.name) upper_snake = upper_snake && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_');
    CHECK(upper_snake);
    CHECK(info.name != "UNKNOWN_ERROR");
    CHECK(names.insert(info.name).second);
    if (n != 0) CHECK_FALSE(info.advice.empty());
  }
  CHECK(names.size() == last + 1u);
  CHECK(error_info(ErrorCode::none).name == "NONE");
  CHECK_FALSE(error_info(ErrorCode::none).retriable);
  CHECK(error_info(ErrorCode::frame_too_large).name == "FRAME_TOO_LARGE");
  CHECK(error_info(ErrorCode::broker_shutting_down).name == "BROKER_SHUTTING_DOWN");
  CHECK(error_info(ErrorCode::out_of_order_sequence).name == "OUT_OF_ORDER_SEQUENCE");
  CHECK(error_info(ErrorCode::out_of_order_sequence).retriable);
  CHECK(error_info(ErrorCode::too_many_open_files).name == "TOO_MANY_OPEN_FILES");
  CHECK(error_info(ErrorCode::too_many_open_files).retriable);

  for (const std::uint16_t unknown : {static_cast<std::uint16_t>(last + 1), std::uint16_t{999}, kU16Max}) {
    const ErrorInfo info = error_info(static_cast<ErrorCode>(unknown));
    CAPTURE(unknown);
    CHECK(info.name == "UNKNOWN_ERROR");
    CHECK_FALSE(info.advice.empty());
  }
}

TEST_CASE("wire: api_name names every ApiKey distinctly") {
  std::set<std::string_view> names;
  for (std::uint16_t k = 0; k < kApiKeyCount; ++k) {
    const std::string_view name = api_name(static_cast<ApiKey>(k));
    CAPTURE(k);
    CAPTURE(name);
    CHECK_FALSE(name.empty());
    CHECK(name != "Unknown");
    CHECK(names.insert(name).second);
  }
  CHECK(names.size() == kApiKeyCount);
  CHECK(api_name(ApiKey::list_offsets) == "ListOffsets");
  // kApiKeyCount covers exactly the named keys.
  CHECK(api_name(static_cast<ApiKey>(kApiKeyCount)) == "Unknown");
  CHECK(api_name(kOddApi) == "Unknown");
}

}  // namespace strata::test::wire
