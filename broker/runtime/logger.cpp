#include "broker/runtime/logger.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace strata::broker {
namespace {

std::atomic<LogLevel> g_level{LogLevel::info};

const char* level_name(LogLevel l) {
  switch (l) {
    case LogLevel::debug: return "DEBUG";
    case LogLevel::info: return "INFO ";
    case LogLevel::warn: return "WARN ";
    case LogLevel::error: return "ERROR";
  }
  return "?";
}

}  // namespace

void set_log_level(LogLevel level) noexcept { g_level.store(level); }
bool log_enabled(LogLevel level) noexcept { return level >= g_level.load(std::memory_order_relaxed); }

void log_line(LogLevel level, std::string_view message) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t t = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string line;
  line.reserve(message.size() + 48);
  line.append(stamp).append(" ").append(level_name(level)).append(" ").append(message).append("\n");
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

storage::EventLog storage_event_log() {
  return [](storage::Severity s, std::string_view m) {
    switch (s) {
      case storage::Severity::debug: log_debug(m); break;
      case storage::Severity::info: log_info(m); break;
      case storage::Severity::warn: log_warn(m); break;
      case storage::Severity::error: log_error(m); break;
    }
  };
}

}  // namespace strata::broker
