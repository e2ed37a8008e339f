#include "storage/time_format.h"

#include <chrono>
#include <cstdio>

namespace strata::storage {

std::string format_utc_ms(std::int64_t ms) {
  using namespace std::chrono;
  // 0000-01-01 and 10000-01-01 in ms since the epoch.
  constexpr std::int64_t kMin = -62'167'219'200'000;
  constexpr std::int64_t kMax = 253'402'300'800'000;
  if (ms < kMin || ms >= kMax) return std::to_string(ms) + " ms since the epoch";
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(ms)));
  const year_month_day ymd(day);
  const std::int64_t in_day = ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
  char buf[128];  // room for the widest long long fields: GCC checks the worst case
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(in_day / 3'600'000), static_cast<long long>(in_day / 60'000 % 60),
                static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
  return buf;
}

std::string format_duration_ms(std::int64_t ms) {
  if (ms <= 0) return "0ms";
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 60'000) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%lld.%03llds", static_cast<long long>(ms / 1000),
                  static_cast<long long>(ms % 1000));
    return buf;
  }
  struct Unit {
    std::int64_t ms;
    const char* name;
  };
  constexpr Unit kUnits[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}};
  for (std::size_t i = 0; i + 1 < std::size(kUnits); ++i) {
    if (ms < kUnits[i].ms) continue;
    return std::to_string(ms / kUnits[i].ms) + kUnits[i].name + " " +
           std::to_string(ms % kUnits[i].ms / kUnits[i + 1].ms) + kUnits[i + 1].name;
  }
  return "0ms";  // not reached: ms >= 60000 matches a unit above
}

}  // namespace strata::storage
