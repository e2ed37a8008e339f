// The --etcd-endpoints list: "http://HOST:PORT[,http://HOST:PORT...]".
// The scheme may be left out; https is refused (the client speaks plain
// HTTP to etcd's gateway: run etcd on a trusted network or loopback).
// HOST is a name, an IPv4 address or a bracketed IPv6 address ([::1]).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/base/result.h"

namespace strata::cluster {

struct EtcdEndpoint {
  std::string host;  // without brackets
  std::uint16_t port = 0;
  // "host:port" ("[v6]:port"), for logs and the HTTP Host header.
  [[nodiscard]] std::string text() const;
  bool operator==(const EtcdEndpoint&) const = default;
};

// At most this many endpoints (an etcd cluster has 3, 5 or 7 members).
inline constexpr std::size_t kMaxEtcdEndpoints = 16;

// Parses the list. On ClusterErrc::bad_endpoint, `detail` names the entry
// and what is wrong with it.
[[nodiscard]] Result<std::vector<EtcdEndpoint>> parse_etcd_endpoints(std::string_view list, std::string& detail);

}  // namespace strata::cluster
