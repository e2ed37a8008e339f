// A consumer's fetch connections, one per broker it fetches from (cluster
// mode: each partition's leader; standalone: the bootstrap broker), each
// with at most one fetch out. The consumer sends a fetch to every broker
// that leads some of its partitions, then takes the replies as they come:
// a broker with records does not wait for a long poll on another.
//
// Threads: one thread at a time (the Consumer's). The connections are
// BlockingConnections read by that thread itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "client/blocking_connection.h"
#include "client/client_error.h"
#include "protocol/data_messages.h"

namespace strata::client {

class FetchLinks {
 public:
  using Key = std::pair<std::string, std::uint32_t>;
  // A partition a fetch asked for, and from which offset.
  struct Asked {
    Key key;
    std::uint64_t offset = 0;
  };
  // One broker's answer to its fetch: the response, or why there is none
  // (a network error or a timeout; the connection is then dropped).
  struct Reply {
    std::vector<Asked> asked;
    std::optional<ResponseFrame> frame;
    std::optional<ClientError> error;
  };

  // bootstrap: the address list for the "" broker (standalone).
  FetchLinks(std::string bootstrap, int connect_timeout_ms, std::string client_id)
      : bootstrap_(std::move(bootstrap)), connect_timeout_ms_(connect_timeout_ms), client_id_(std::move(client_id)) {}

  // Whether a fetch asking for the partition is out.
  [[nodiscard]] bool out(const Key& key) const { return out_keys_.contains(key); }
  [[nodiscard]] bool any_out() const noexcept { return !out_keys_.empty(); }
  // Whether a fetch to `address` is out (send() must wait for its reply).
  [[nodiscard]] bool busy(const std::string& address) const {
    const auto it = links_.find(address);
    return it != links_.end() && it->second.id.has_value();
  }
  // Sends `request` to `address` ("": the bootstrap list), connecting if
  // needed; its reply is due within timeout_ms. A failure to connect or
  // write comes back at once as a Reply with the error.
  // REQUIRES: no fetch out to that address.
  [[nodiscard]] std::optional<Reply> send(const std::string& address, const protocol::FetchRequest& request,
                                          std::vector<Asked> asked, int timeout_ms);
  // Waits for at least one fetch out to be answered (or to fail, or to
  // pass its deadline) and returns every reply that is ready. Empty when
  // nothing is out.
  [[nodiscard]] std::vector<Reply> wait();

 private:
  struct Link {
    std::unique_ptr<BlockingConnection> connection;
    std::optional<std::uint32_t> id;  // the fetch out
    std::vector<Asked> asked;
    std::chrono::steady_clock::time_point deadline;
    int timeout_ms = 0;
  };
  // Reads the link's reply. REQUIRES: a fetch is out on it.
  Reply receive(Link& link);

  const std::string bootstrap_;
  const int connect_timeout_ms_;
  const std::string client_id_;
  std::map<std::string, Link> links_;  // by address
  std::set<Key> out_keys_;
};

}  // namespace strata::client
