#include "tests/crash/crash_broker.h"

#include <algorithm>
#include <charconv>

#include "tests/integration/cli_runner.h"

namespace strata::crash {

CrashBroker::CrashBroker(std::filesystem::path data_dir, std::chrono::milliseconds start_timeout,
                         std::vector<std::string> extra_args, std::string netns, std::string host)
    : data_dir_(std::move(data_dir)),
      start_timeout_(start_timeout),
      extra_args_(std::move(extra_args)),
      netns_(std::move(netns)),
      host_(std::move(host)),
      port_(it::free_port()) {
  start();
}

CrashBroker::~CrashBroker() = default;

void CrashBroker::start() {
  const auto began = std::chrono::steady_clock::now();
  ++runs_;
  history_ += "=== run " + std::to_string(runs_) + " ===\n";
  // debug: the per-topic recovery line ("recovered, scanned N bytes,
  // truncated M") is a debug line.
  std::vector<std::string> args{"--listen", address(), "--log-level", "debug"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  process_ = std::make_unique<it::BrokerProcess>(data_dir_, std::move(args), start_timeout_, std::nullopt, netns_);
  last_start_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  slowest_start_ = std::max(slowest_start_, last_start_);
}

void CrashBroker::retire() {
  if (!process_) return;
  history_ += process_->log_text();
}

void CrashBroker::kill() {
  if (!process_) return;
  (void)process_->kill9();
  retire();
  process_.reset();
}

void CrashBroker::pause() {
  if (process_) process_->signal(SIGSTOP);
}

void CrashBroker::resume() {
  if (process_) process_->signal(SIGCONT);
}

bool CrashBroker::stop_clean() {
  if (!process_) return false;
  const auto status = process_->stop(SIGTERM, std::chrono::seconds(20));
  retire();
  process_.reset();
  return status.exited && status.code == 0;
}

std::uint64_t CrashBroker::sum_of_loaded(std::string_view marker) const {
  if (!process_) return 0;
  std::uint64_t total = 0;
  for (const auto& line : process_->log_lines()) {
    const auto at = line.find(marker);
    if (at == std::string::npos || line.find("loaded topic") == std::string::npos) continue;
    std::uint64_t n = 0;
    const char* begin = line.data() + at + marker.size();
    if (std::from_chars(begin, line.data() + line.size(), n).ec == std::errc{}) total += n;
  }
  return total;
}

std::string CrashBroker::history() const {
  std::string out = history_;
  if (process_) out += process_->log_text();
  return out;
}

}  // namespace strata::crash
