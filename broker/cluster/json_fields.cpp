#include "broker/cluster/json_fields.h"

#include <charconv>
#include <limits>

namespace strata::cluster {

Result<Json> parse_json(std::string_view text, std::error_code on_error) {
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return on_error;
  return j;
}

namespace {

const Json* find(const Json& obj, std::string_view name) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}

}  // namespace

Result<std::int64_t> int_field(const Json& obj, std::string_view name, std::int64_t min, std::int64_t max,
                               std::error_code on_error) {
  if (!obj.is_object()) return on_error;
  std::int64_t v = 0;
  if (const Json* f = find(obj, name)) {
    if (f->is_number_integer() && !f->is_number_unsigned()) {
      v = f->get<std::int64_t>();
    } else if (f->is_number_unsigned()) {
      const auto u = f->get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return on_error;
      v = static_cast<std::int64_t>(u);
    } else if (f->is_string()) {
      const auto& s = f->get_ref<const std::string&>();
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return on_error;
    } else {
      return on_error;
    }
  }
  if (v < min || v > max) return on_error;
  return v;
}

Result<bool> bool_field(const Json& obj, std::string_view name, std::error_code on_error) {
  if (!obj.is_object()) return on_error;
  const Json* f = find(obj, name);
  if (f == nullptr) return false;
  if (!f->is_boolean()) return on_error;
  return f->get<bool>();
}

Result<std::string> string_field(const Json& obj, std::string_view name, std::size_t max_size,
                                 std::error_code on_error) {
  if (!obj.is_object()) return on_error;
  const Json* f = find(obj, name);
  if (f == nullptr) return std::string();
  if (!f->is_string()) return on_error;
  const auto& s = f->get_ref<const std::string&>();
  if (s.size() > max_size) return on_error;
  return s;
}

std::error_code required(const Json& obj, std::string_view name, std::error_code on_error) {
  return find(obj, name) == nullptr ? on_error : std::error_code{};
}

}  // namespace strata::cluster
