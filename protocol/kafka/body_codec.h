// The frame around every per-API request decoder: checks the version against
// the request type's range, reads the fields in the version's form (classic
// or flexible), then the body's own tagged fields, and refuses trailing bytes.
#pragma once

#include <cstdint>

#include "protocol/kafka/api_table.h"
#include "protocol/kafka/decode_errc.h"
#include "protocol/kafka/reader.h"
#include "protocol/base/result.h"

namespace strata::kafka {

// Request must have kKey, kMinVersion and kMaxVersion; read_fields(Reader&,
// Request&) reads the version's fields (the version is captured by the caller).
template <typename Request, typename ReadFields>
[[nodiscard]] Result<Request> decode_body(Bytes body, std::int16_t version, ReadFields read_fields) {
  const ApiVersionRange* api = find_api(static_cast<std::int16_t>(Request::kKey));
  if (api == nullptr) return make_error_code(DecodeErrc::unknown_api);
  if (version < Request::kMinVersion || version > Request::kMaxVersion) {
    return make_error_code(DecodeErrc::unsupported_version);
  }
  Reader r(body, is_flexible(*api, version));
  Request out;
  read_fields(r, out);
  r.end_struct();
  r.finish();
  if (!r.ok()) return r.error();
  return out;
}

}  // namespace strata::kafka
