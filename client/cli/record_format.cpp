#include "client/cli/record_format.h"

#include <string_view>

#include "client/cli/cli_util.h"

namespace strata::cli {

namespace {

constexpr std::string_view kDirectives = "tpokhsT%";

}  // namespace

bool is_record_format(const std::string& format) { return format.find('%') != std::string::npos; }

void check_record_format(const std::string& format) {
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size() || kDirectives.find(format[i + 1]) == std::string_view::npos) {
      throw UsageError("consume: --format '" + format + "': unknown directive '" + format.substr(i, 2) +
                       "' (use %t %p %o %k %s %T %h %%)");
    }
    ++i;
  }
}

std::string render_record(const std::string& format, const ConsumerRecord& r) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == '\\' && i + 1 < format.size()) {
      const char e = format[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      continue;
    }
    if (c != '%' || i + 1 == format.size()) {
      out += c;
      continue;
    }
    switch (format[++i]) {
      case 't': out += r.topic; break;
      case 'p': out += std::to_string(r.partition); break;
      case 'o': out += std::to_string(r.offset); break;
      case 'k': out += r.key.value_or(""); break;
      case 's': out += r.value.value_or(""); break;
      case 'T': out += std::to_string(r.timestamp); break;
      case 'h':
        for (std::size_t h = 0; h < r.headers.size(); ++h) {
          if (h > 0) out += ',';
          out.append(r.headers[h].name).append("=").append(r.headers[h].value);
        }
        break;
      default: out += '%'; break;
    }
  }
  return out;
}

}  // namespace strata::cli
