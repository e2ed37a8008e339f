// Checked reads of nlohmann::json fields for the cluster's decoders: a
// wrong type or an out-of-range number is an error value, never an
// exception or a silent zero. Absent fields read as zero/false/empty
// (etcd's gateway leaves those out; strata's own values use required()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "protocol/base/result.h"

namespace strata::cluster {

using Json = nlohmann::json;

// Parses text as JSON; ClusterErrc::bad_response (or `on_error`) if it is not.
[[nodiscard]] Result<Json> parse_json(std::string_view text, std::error_code on_error);

// An integer field, given as a JSON number or a decimal string, within
// [min, max]; absent = 0 (which must lie in range).
[[nodiscard]] Result<std::int64_t> int_field(const Json& obj, std::string_view name, std::int64_t min,
                                             std::int64_t max, std::error_code on_error);
[[nodiscard]] Result<bool> bool_field(const Json& obj, std::string_view name, std::error_code on_error);
[[nodiscard]] Result<std::string> string_field(const Json& obj, std::string_view name, std::size_t max_size,
                                               std::error_code on_error);
// Fails with on_error when obj lacks the field (for values strata writes).
[[nodiscard]] std::error_code required(const Json& obj, std::string_view name, std::error_code on_error);

}  // namespace strata::cluster
