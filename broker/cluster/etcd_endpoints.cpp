#include "broker/cluster/etcd_endpoints.h"

#include <charconv>

#include "broker/cluster/cluster_errc.h"

namespace strata::cluster {

std::string EtcdEndpoint::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool host_chars_ok(std::string_view h) {
  for (const char c : h) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_' || c == ':';
    if (!ok) return false;
  }
  return !h.empty();
}

// One entry; on failure returns the reason.
Result<EtcdEndpoint> parse_one(std::string_view e, std::string& why) {
  constexpr std::string_view kHttp = "http://";
  if (e.starts_with("https://")) {
    why = "https is not supported (strata speaks plain HTTP to etcd; keep etcd on a trusted network)";
    return ClusterErrc::bad_endpoint;
  }
  if (e.starts_with(kHttp)) e.remove_prefix(kHttp.size());
  if (e.find("://") != std::string_view::npos) {
    why = "only http:// endpoints are supported";
    return ClusterErrc::bad_endpoint;
  }
  if (!e.empty() && e.back() == '/') e.remove_suffix(1);
  EtcdEndpoint out;
  std::string_view port;
  if (e.starts_with("[")) {
    const auto close = e.find(']');
    if (close == std::string_view::npos || close + 1 >= e.size() || e[close + 1] != ':') {
      why = "an IPv6 address needs brackets and a port, as [::1]:2379";
      return ClusterErrc::bad_endpoint;
    }
    out.host = std::string(e.substr(1, close - 1));
    port = e.substr(close + 2);
  } else {
    const auto colon = e.rfind(':');
    if (colon == std::string_view::npos || e.find(':') != colon) {
      why = "expected HOST:PORT (etcd's client port is usually 2379)";
      return ClusterErrc::bad_endpoint;
    }
    out.host = std::string(e.substr(0, colon));
    port = e.substr(colon + 1);
  }
  if (!host_chars_ok(out.host)) {
    why = "the host is empty or has characters a host name cannot have";
    return ClusterErrc::bad_endpoint;
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
    why = "the port must be a number from 1 to 65535";
    return ClusterErrc::bad_endpoint;
  }
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

}  // namespace

Result<std::vector<EtcdEndpoint>> parse_etcd_endpoints(std::string_view list, std::string& detail) {
  std::vector<EtcdEndpoint> out;
  while (true) {
    const auto comma = list.find(',');
    const std::string_view entry = trim(list.substr(0, comma));
    std::string why;
    auto ep = parse_one(entry, why);
    if (!ep) {
      detail = "etcd endpoint '" + std::string(entry) + "': " + why;
      return ep.error();
    }
    out.push_back(std::move(ep).value());
    if (out.size() > kMaxEtcdEndpoints) {
      detail = "more than " + std::to_string(kMaxEtcdEndpoints) + " etcd endpoints";
      return ClusterErrc::bad_endpoint;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace strata::cluster
