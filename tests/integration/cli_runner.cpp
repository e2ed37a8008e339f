#include "tests/integration/cli_runner.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace strata::it {

namespace {

using Clock = std::chrono::steady_clock;

void ignore_sigpipe() {
  // Writing a child's stdin after it exited must fail with EPIPE, not kill
  // the test binary.
  static const bool once = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)once;
}

}  // namespace

std::string ProcessResult::describe() const {
  std::string s;
  s.append(timed_out ? "TIMED OUT; " : "");
  if (exited) {
    s.append("exit code ").append(std::to_string(code));
  } else {
    s.append("killed by signal ").append(std::to_string(signal));
  }
  s.append("\n--- stdout ---\n").append(out.size() > 4000 ? out.substr(0, 4000) + "...(cut)" : out);
  s.append("\n--- stderr ---\n").append(err.size() > 4000 ? err.substr(0, 4000) + "...(cut)" : err);
  return s;
}

ChildProcess::ChildProcess(std::vector<std::string> argv_strings, std::string stdin_data, EnvVars env) {
  ignore_sigpipe();
  // Everything the child needs is built before fork: between fork and exec
  // only async-signal-safe calls are allowed.
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (entry.starts_with("STRATA_BROKER=")) continue;
    bool overridden = false;
    for (const auto& [k, v] : env) overridden = overridden || entry.starts_with(k + "=");
    if (!overridden) env_strings.emplace_back(entry);
  }
  for (const auto& [k, v] : env) env_strings.push_back(std::string(k).append("=").append(v));
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  if (::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    // dup2 clears FD_CLOEXEC on the copies.
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  pid_ = pid;
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  out_reader_ = std::thread([this, fd = out[0]] { read_pipe(fd, &out_); });
  err_reader_ = std::thread([this, fd = err[0]] { read_pipe(fd, &err_); });
  stdin_writer_ = std::thread([fd = in[1], data = std::move(stdin_data)] {
    std::size_t at = 0;
    while (at < data.size()) {
      const ssize_t n = ::write(fd, data.data() + at, data.size() - at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      at += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
}

ChildProcess::~ChildProcess() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    (void)try_reap(true);
  }
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
  if (stdin_writer_.joinable()) stdin_writer_.join();
}

void ChildProcess::read_pipe(int fd, std::string* into) {
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard lock(mu_);
    into->append(buf, static_cast<std::size_t>(n));
    cv_.notify_all();
  }
  ::close(fd);
}

std::string ChildProcess::out() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string ChildProcess::err() const {
  std::lock_guard lock(mu_);
  return err_;
}

bool ChildProcess::wait_for_out(std::string_view needle, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return out_.find(needle) != std::string::npos; });
}

bool ChildProcess::wait_for_err(std::string_view needle, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return err_.find(needle) != std::string::npos; });
}

bool ChildProcess::try_reap(bool block) {
  if (reaped_) return true;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (r < 0 && errno == EINTR) continue;
    if (r == pid_) {
      reaped_ = true;
      result_.exited = WIFEXITED(status);
      result_.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      result_.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      return true;
    }
    if (r < 0) {
      reaped_ = true;
      return true;
    }
    return false;
  }
}

bool ChildProcess::running() { return !try_reap(false); }

void ChildProcess::signal(int sig) {
  if (!reaped_) ::kill(pid_, sig);
}

ProcessResult ChildProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!try_reap(false)) {
    if (Clock::now() >= deadline) {
      result_.timed_out = true;
      ::kill(pid_, SIGKILL);
      (void)try_reap(true);
      break;
    }
    std::this_thread::sleep_for(2ms);
  }
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
  if (stdin_writer_.joinable()) stdin_writer_.join();
  ProcessResult r = result_;
  r.out = out();
  r.err = err();
  return r;
}

std::string strata_cli_binary() { return STRATA_CLI_BIN; }

ProcessResult run_strata(const std::string& broker, const std::vector<std::string>& args,
                         const std::string& stdin_data, std::chrono::milliseconds timeout, const EnvVars& env) {
  std::vector<std::string> argv{strata_cli_binary()};
  if (!broker.empty()) {
    argv.emplace_back("--broker");
    argv.push_back(broker);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child(std::move(argv), stdin_data, env);
  return child.wait(timeout);
}

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto nl = text.find('\n', at);
    if (nl == std::string::npos) {
      out.push_back(text.substr(at));
      break;
    }
    out.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

}  // namespace strata::it
