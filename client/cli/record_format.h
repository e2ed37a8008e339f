// kcat-style format strings for `strata consume --format '...'`: %t topic,
// %p partition, %o offset, %k key, %s value, %T timestamp (ms), %h headers
// (name=value, comma-separated), %% a '%'; \n, \t and \\ are escapes. As in
// kcat nothing is added: end the format with \n for one record per line.
#pragma once

#include <string>

#include "strata/consumer.h"

namespace strata::cli {

// True if `format` is a format string (it holds a '%'), not text or json.
[[nodiscard]] bool is_record_format(const std::string& format);
// Checks the format once; throws UsageError naming an unknown %x.
void check_record_format(const std::string& format);
// The record rendered by `format` (REQUIRES: check_record_format passed).
[[nodiscard]] std::string render_record(const std::string& format, const ConsumerRecord& r);

}  // namespace strata::cli
