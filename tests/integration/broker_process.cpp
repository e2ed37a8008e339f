#include "tests/integration/broker_process.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace strata::it {

namespace {

using Clock = std::chrono::steady_clock;

// "... INFO  listening on 127.0.0.1:PORT (ready in N ms)" -> PORT (also
// "[::1]:PORT"); the Kafka listener's line is "Kafka clients on H:PORT (advertised ...".
std::optional<std::uint16_t> port_in(const std::string& line, std::string_view marker = "listening on ",
                                     std::string_view after = " (ready in") {
  const auto at = line.find(marker);
  const auto end = line.find(after, at);
  if (at == std::string::npos || end == std::string::npos) return std::nullopt;
  const auto colon = line.rfind(':', end);
  if (colon == std::string::npos || colon < at) return std::nullopt;
  std::size_t i = colon + 1;
  unsigned value = 0;
  std::size_t digits = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9' && digits < 6) {
    value = value * 10 + static_cast<unsigned>(line[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string broker_binary() { return STRATA_BROKER_BIN; }

std::optional<std::string> refused_start(const std::filesystem::path& data_dir) {
  try {
    BrokerProcess b(data_dir, {}, 10s);
  } catch (const std::runtime_error& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

BrokerProcess::BrokerProcess(const std::filesystem::path& data_dir, std::vector<std::string> args,
                             std::chrono::milliseconds ready_timeout, std::optional<OpenFileLimit> nofile,
                             const std::string& netns) {
  std::vector<std::string> argv_strings{broker_binary(), "--data-dir", data_dir.string(), "--shards", "2"};
  if (std::find(args.begin(), args.end(), "--listen") == args.end()) {
    argv_strings.insert(argv_strings.end(), {"--listen", "127.0.0.1:0"});
  }
  // Never the default 127.0.0.1:9644: brokers of tests run side by side.
  if (std::find(args.begin(), args.end(), "--metrics-listen") == args.end()) {
    argv_strings.insert(argv_strings.end(), {"--metrics-listen", "127.0.0.1:0"});
  }
  // Never the default 127.0.0.1:9092 either.
  if (std::find(args.begin(), args.end(), "--kafka-listen") == args.end()) {
    argv_strings.insert(argv_strings.end(), {"--kafka-listen", "127.0.0.1:0"});
  }
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  // Everything the child needs is built before fork: between fork and exec
  // only async-signal-safe calls are allowed.
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);

  const std::string netns_path = netns.empty() ? std::string() : "/run/netns/" + netns;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    // dup2 clears FD_CLOEXEC on the copies.
    ::dup2(fds[1], STDERR_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    if (!netns_path.empty()) {
      const int ns = ::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) ::_exit(125);
    }
    if (nofile) {
      const rlimit lim{static_cast<rlim_t>(nofile->soft), static_cast<rlim_t>(nofile->hard)};
      if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) ::_exit(126);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  ::close(fds[1]);
  stderr_fd_ = fds[0];
  reader_ = std::thread([this] { read_stderr(); });

  std::unique_lock lock(mu_);
  const bool ready = cv_.wait_for(lock, ready_timeout, [this] { return port_ != 0 || eof_; });
  if (!ready || port_ == 0) {
    std::string log;
    for (const auto& l : lines_) log += l + "\n";
    lock.unlock();
    (void)stop(SIGKILL, 5s);
    throw std::runtime_error("strata-broker did not report its port (" + std::string(ready ? "exited" : "timeout") +
                             "); log:\n" + log);
  }
}

BrokerProcess::~BrokerProcess() {
  if (!reaped_) (void)stop(SIGKILL, 5s);
  if (reader_.joinable()) reader_.join();
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

void BrokerProcess::read_stderr() {
  std::string pending;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(stderr_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      std::lock_guard lock(mu_);
      if (port_ == 0) {
        if (auto p = port_in(line)) port_ = *p;
      }
      if (kafka_port_ == 0) {
        if (auto p = port_in(line, "Kafka clients on ", " (advertised")) kafka_port_ = *p;
      }
      lines_.push_back(std::move(line));
      cv_.notify_all();
    }
  }
  std::lock_guard lock(mu_);
  if (!pending.empty()) lines_.push_back(std::move(pending));
  eof_ = true;
  cv_.notify_all();
}

bool BrokerProcess::running() {
  if (reaped_) return false;
  return !try_reap(0ms).has_value();
}

std::optional<ExitStatus> BrokerProcess::try_reap(std::chrono::milliseconds timeout) {
  if (reaped_) return status_;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int wstatus = 0;
    const pid_t r = ::waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      status_.exited = WIFEXITED(wstatus);
      status_.code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
      status_.signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
      return status_;
    }
    if (r < 0 && errno != EINTR) {
      reaped_ = true;  // not our child any more: nothing to wait for
      return status_;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(5ms);
  }
}

void BrokerProcess::signal(int sig) {
  if (!reaped_) ::kill(pid_, sig);
}

ExitStatus BrokerProcess::stop(int sig, std::chrono::milliseconds timeout) {
  if (reaped_) return status_;
  const auto sent = Clock::now();
  ::kill(pid_, sig);
  auto status = try_reap(timeout);
  if (!status) {
    ::kill(pid_, SIGKILL);
    status = try_reap(10s);
  }
  ExitStatus out = status.value_or(ExitStatus{});
  out.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent);
  status_.took = out.took;
  // The pipe reaches EOF once the child is gone: every log line is in.
  if (reaped_ && reader_.joinable()) reader_.join();
  return out;
}

std::vector<std::string> BrokerProcess::log_lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

std::string BrokerProcess::log_text() const {
  std::string out;
  for (const auto& l : log_lines()) out += l + "\n";
  return out;
}

bool BrokerProcess::wait_for_log(std::string_view needle, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  auto found = [&] {
    for (const auto& l : lines_) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  return cv_.wait_for(lock, timeout, [&] { return found() || eof_; }) && found();
}

std::size_t BrokerProcess::count_log(std::string_view needle) const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& l : lines_) n += l.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

std::optional<std::uint64_t> BrokerProcess::proc_status_kb(std::string_view field) const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 && line[field.size()] == ':') {
      return std::stoull(line.substr(field.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace strata::it
