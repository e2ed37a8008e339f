#include "client/fetch_links.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>

namespace strata::client {

std::optional<FetchLinks::Reply> FetchLinks::send(const std::string& address, const protocol::FetchRequest& request,
                                                  std::vector<Asked> asked, int timeout_ms) {
  Link& link = links_[address];
  try {
    if (!link.connection || !link.connection->healthy()) {
      link.connection.reset();
      link.connection = std::make_unique<BlockingConnection>(address.empty() ? bootstrap_ : address,
                                                             connect_timeout_ms_, client_id_);
    }
    timeout_ms = std::max(timeout_ms, 1);
    link.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    link.id = link.connection->send(protocol::ApiKey::fetch, [&request](protocol::ByteWriter& w) { request.encode(w); });
  } catch (const ClientError& e) {
    link.id.reset();
    return Reply{std::move(asked), std::nullopt, e};
  }
  link.timeout_ms = timeout_ms;
  for (const auto& a : asked) out_keys_.insert(a.key);
  link.asked = std::move(asked);
  return std::nullopt;
}

FetchLinks::Reply FetchLinks::receive(Link& link) {
  Reply reply;
  reply.asked = std::move(link.asked);
  link.asked.clear();
  for (const auto& a : reply.asked) out_keys_.erase(a.key);
  const std::uint32_t id = *link.id;
  link.id.reset();
  try {
    reply.frame = link.connection->receive(protocol::ApiKey::fetch, id, link.deadline, link.timeout_ms);
  } catch (const ClientError& e) {
    reply.error = e;
  }
  return reply;
}

std::vector<FetchLinks::Reply> FetchLinks::wait() {
  std::vector<Reply> ready;
  std::vector<Link*> out;
  for (auto& [address, link] : links_) {
    if (link.id) out.push_back(&link);
  }
  if (out.empty()) return ready;
  if (out.size() == 1) {  // the common case (standalone): read it directly, no poll(2)
    ready.push_back(receive(*out[0]));
    return ready;
  }
  std::vector<pollfd> fds;
  auto first_deadline = out[0]->deadline;
  for (Link* l : out) {
    fds.push_back({l->connection->fd(), POLLIN, 0});
    first_deadline = std::min(first_deadline, l->deadline);
  }
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(first_deadline -
                                                                          std::chrono::steady_clock::now());
  const int n = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<std::int64_t>(left.count() + 1, 0, 1 << 30)));
  const auto now = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < out.size(); ++i) {
    // Readable (or closed, or in error), or overdue: receive() then reads
    // the reply or says why there is none.
    const bool due = (n > 0 && fds[i].revents != 0) || now >= out[i]->deadline;
    if (due) ready.push_back(receive(*out[i]));
  }
  if (n < 0 && errno != EINTR && ready.empty()) {
    // poll itself failed (never expected): read the first one blocking.
    ready.push_back(receive(*out[0]));
  }
  return ready;
}

}  // namespace strata::client
