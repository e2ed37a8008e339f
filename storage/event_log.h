// How storage reports notable events (recovery truncations, retention
// deletions, read-only transitions) without depending on a logging library:
// the owner passes a sink. An empty sink discards.
#pragma once

#include <functional>
#include <string_view>

namespace strata::storage {

enum class Severity { debug, info, warn, error };

using EventLog = std::function<void(Severity, std::string_view)>;

}  // namespace strata::storage
