#include "tests/integration/etcd_test_util.h"

#include <algorithm>
#include <stdexcept>

namespace strata::it {

void LogSink::add(const std::string& line) {
  std::lock_guard lock(mu);
  lines.push_back(line);
}

std::string LogSink::text() const {
  std::lock_guard lock(mu);
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::size_t LogSink::size() const {
  std::lock_guard lock(mu);
  return lines.size();
}

std::size_t LogSink::count(const std::string& line) const {
  std::lock_guard lock(mu);
  return static_cast<std::size_t>(std::count(lines.begin(), lines.end(), line));
}

bool LogSink::contains(const std::string& needle) const { return text().find(needle) != std::string::npos; }

cluster::EtcdClientOptions client_options(const std::string& endpoints, LogSink& sink,
                                          std::chrono::milliseconds request_timeout) {
  std::string detail;
  auto eps = cluster::parse_etcd_endpoints(endpoints, detail);
  if (!eps) throw std::runtime_error(detail);
  cluster::EtcdClientOptions o;
  o.endpoints = std::move(eps).value();
  o.request_timeout = request_timeout;
  o.log = [&sink](const std::string& line) { sink.add(line); };
  return o;
}

EtcdFixture::EtcdFixture(std::chrono::milliseconds election_timeout) : etcd(15s, election_timeout) {
  client = std::make_unique<cluster::EtcdClient>(thread.executor(), client_options(etcd.endpoint(), log));
}

std::unique_ptr<cluster::EtcdClient> EtcdFixture::make_client(const std::string& endpoints,
                                                              std::chrono::milliseconds request_timeout) {
  return std::make_unique<cluster::EtcdClient>(thread.executor(), client_options(endpoints, log, request_timeout));
}

}  // namespace strata::it
