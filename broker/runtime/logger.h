// One line per notable event on stderr: time, level, message. Threads: any;
// each line is written with a single write(2) so lines never interleave.
#pragma once

#include <string_view>

#include "broker/core/broker_config.h"
#include "storage/event_log.h"

namespace strata::broker {

void set_log_level(LogLevel level) noexcept;
[[nodiscard]] bool log_enabled(LogLevel level) noexcept;
void log_line(LogLevel level, std::string_view message);

inline void log_debug(std::string_view m) { if (log_enabled(LogLevel::debug)) log_line(LogLevel::debug, m); }
inline void log_info(std::string_view m) { if (log_enabled(LogLevel::info)) log_line(LogLevel::info, m); }
inline void log_warn(std::string_view m) { if (log_enabled(LogLevel::warn)) log_line(LogLevel::warn, m); }
inline void log_error(std::string_view m) { log_line(LogLevel::error, m); }

// A storage event sink that writes here.
[[nodiscard]] storage::EventLog storage_event_log();

}  // namespace strata::broker
