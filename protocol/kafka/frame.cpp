#include "protocol/kafka/frame.h"

#include "protocol/kafka/decode_errc.h"
#include "protocol/kafka/reader.h"

namespace strata::kafka {

Result<std::uint32_t> decode_frame_size(const std::uint8_t* p, std::uint32_t max_bytes) noexcept {
  const std::int32_t size = protocol::load_be<std::int32_t>(p);
  if (size < static_cast<std::int32_t>(kMinRequestBytes)) return make_error_code(DecodeErrc::negative_frame_size);
  if (static_cast<std::uint32_t>(size) > max_bytes) return make_error_code(DecodeErrc::frame_too_large);
  return static_cast<std::uint32_t>(size);
}

Result<DecodedHeader> decode_request_header(protocol::Bytes request) {
  Reader r(request, false);
  DecodedHeader out;
  out.header.api_key = r.i16();
  out.header.api_version = r.i16();
  out.header.correlation_id = r.i32();
  out.header.client_id = r.nullable_string();
  if (!r.ok()) return r.error();
  out.api = find_api(out.header.api_key);
  if (out.api != nullptr) {
    const bool flexible = out.api->key == ApiKey::api_versions
                              ? out.header.api_version >= out.api->first_flexible
                              : version_supported(*out.api, out.header.api_version) &&
                                    is_flexible(*out.api, out.header.api_version);
    if (flexible) {
      Reader tags(request.subspan(static_cast<std::size_t>(r.consumed())), true);
      tags.end_struct();
      if (!tags.ok()) return tags.error();
      out.body_offset = static_cast<std::size_t>(r.consumed() + tags.consumed());
      return out;
    }
  }
  out.body_offset = static_cast<std::size_t>(r.consumed());
  return out;
}

Writer begin_response(std::int32_t correlation_id, const ApiVersionRange& api, std::int16_t version) {
  Writer w(false);
  w.i32(0);  // size, patched by finish_response
  w.i32(correlation_id);
  if (response_header_version(api, version) >= 1) {
    w.set_flexible(true);
    w.end_struct();
  }
  w.set_flexible(is_flexible(api, version));
  return w;
}

std::vector<std::uint8_t> finish_response(Writer&& w, std::size_t extra_bytes) {
  w.patch_i32(0, static_cast<std::int32_t>(w.size() - kFrameSizeBytes + extra_bytes));
  return w.take();
}

}  // namespace strata::kafka
