// Child processes for the client and CLI integration tests: the `strata`
// CLI run with arguments and stdin, its stdout, stderr and exit status
// captured, always within a timeout; and long-running children (a
// `strata consume --follow`, a broker on a fixed port) whose output can be
// waited on while they run.
//
// Contract: every wait is bounded; a child still running when its
// ChildProcess is destroyed is SIGKILLed, and every child gets
// PR_SET_PDEATHSIG so it dies with the test binary. Note that the "parent"
// is the thread that forked: start long-lived children on the test thread. The child's
// environment is the test's minus STRATA_BROKER, plus `env`.
// Threads: one test thread drives a ChildProcess; its reader threads only
// append output.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace strata::it {

using namespace std::chrono_literals;

using EnvVars = std::vector<std::pair<std::string, std::string>>;

struct ProcessResult {
  bool exited = false;     // normal exit: `code` holds the exit code
  int code = -1;
  int signal = 0;          // killed by this signal
  bool timed_out = false;  // it outlived the timeout and was SIGKILLed
  std::string out;
  std::string err;
  // Everything, for failure messages.
  [[nodiscard]] std::string describe() const;
};

class ChildProcess {
 public:
  // Starts argv[0] (a path) with the arguments; `stdin_data` is written to
  // its stdin, which is then closed.
  explicit ChildProcess(std::vector<std::string> argv, std::string stdin_data = {}, EnvVars env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] std::string out() const;
  [[nodiscard]] std::string err() const;
  // Waits up to `timeout` for `needle` to appear in stdout (stderr).
  [[nodiscard]] bool wait_for_out(std::string_view needle, std::chrono::milliseconds timeout) const;
  [[nodiscard]] bool wait_for_err(std::string_view needle, std::chrono::milliseconds timeout) const;
  [[nodiscard]] bool running();

  void signal(int sig);
  // Waits up to `timeout` for the child to end, SIGKILLs it after that
  // (timed_out), and returns its status with all its output.
  ProcessResult wait(std::chrono::milliseconds timeout);

 private:
  bool try_reap(bool block);
  void read_pipe(int fd, std::string* into);

  pid_t pid_ = -1;
  bool reaped_ = false;
  ProcessResult result_;
  std::thread out_reader_, err_reader_, stdin_writer_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::string out_, err_;
};

// The strata CLI under test (STRATA_CLI_BIN from CMake) and the broker.
[[nodiscard]] std::string strata_cli_binary();

// `strata --broker BROKER ARGS...` (no --broker when BROKER is empty).
[[nodiscard]] ProcessResult run_strata(const std::string& broker, const std::vector<std::string>& args,
                                       const std::string& stdin_data = {},
                                       std::chrono::milliseconds timeout = 20s, const EnvVars& env = {});

// A loopback TCP port that was free a moment ago (nothing listens on it).
[[nodiscard]] std::uint16_t free_port();

// Splits text into lines (without their '\n'); a last line without '\n'
// counts too.
[[nodiscard]] std::vector<std::string> lines_of(const std::string& text);

}  // namespace strata::it
