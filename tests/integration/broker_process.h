// A real strata-broker child process for integration tests: started with
// fork/exec on a loopback ephemeral port (--listen 127.0.0.1:0), its stderr
// read on a thread (every line kept, the port learned from the "listening
// on" line), stopped with a signal or killed with SIGKILL.
//
// Contract: every call is bounded by a timeout, so a test never hangs on a
// broker that misbehaves. The destructor SIGKILLs a child still running, and
// the child gets PR_SET_PDEATHSIG so it dies with the test binary.
// Threads: one test thread drives it; the reader thread only appends lines.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace strata::it {

using namespace std::chrono_literals;

// How a stopped child ended.
struct ExitStatus {
  bool exited = false;  // normal exit: `code` holds the exit code
  int code = -1;
  int signal = 0;       // killed by this signal (exited == false)
  std::chrono::milliseconds took{0};  // from the signal to the end
};

// RLIMIT_NOFILE for the child, set between fork and exec (as `ulimit -Sn`
// and `ulimit -Hn` would in a shell).
struct OpenFileLimit {
  std::uint64_t soft = 0;
  std::uint64_t hard = 0;
};

class BrokerProcess {
 public:
  // Starts the broker with --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0
  // --kafka-listen 127.0.0.1:0
  // --data-dir <data_dir>
  // --shards 2 plus `args` (later flags are added after, so they can add
  // anything the broker accepts), and waits until it logs its port. A
  // "--listen" in `args` replaces the default (e.g. a fixed loopback port
  // kept across restarts).
  // Throws std::runtime_error with the collected log if it does not.
  // `netns`: the name of a network namespace (ip netns) to run it in.
  BrokerProcess(const std::filesystem::path& data_dir, std::vector<std::string> args = {},
                std::chrono::milliseconds ready_timeout = 10s, std::optional<OpenFileLimit> nofile = std::nullopt,
                const std::string& netns = {});
  ~BrokerProcess();
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // The Kafka listener's port (--kafka-listen 127.0.0.1:0 unless `args`
  // set it); 0 when it is off. Logged before port(), so known once it is.
  [[nodiscard]] std::uint16_t kafka_port() const noexcept { return kafka_port_; }
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] bool running();

  // Every stderr line so far, and all of them joined (for failure messages).
  [[nodiscard]] std::vector<std::string> log_lines() const;
  [[nodiscard]] std::string log_text() const;
  // Whether some line contains `needle`; waits up to `timeout` for one.
  [[nodiscard]] bool wait_for_log(std::string_view needle, std::chrono::milliseconds timeout = 0ms) const;
  [[nodiscard]] std::size_t count_log(std::string_view needle) const;

  // Sends `sig` and waits up to `timeout` for the child to end; SIGKILLs it
  // after that (the returned status then says so).
  ExitStatus stop(int sig = SIGTERM, std::chrono::milliseconds timeout = 10s);
  // SIGKILL: a crash. Returns once the child is reaped.
  ExitStatus kill9() { return stop(SIGKILL, 10s); }
  // Sends a signal without waiting (stop() reaps the child afterwards).
  void signal(int sig);

  // A field of /proc/<pid>/status in kB (e.g. "VmHWM"), or nullopt.
  [[nodiscard]] std::optional<std::uint64_t> proc_status_kb(std::string_view field) const;

 private:
  void read_stderr();
  std::optional<ExitStatus> try_reap(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t kafka_port_ = 0;
  bool reaped_ = false;
  ExitStatus status_;
  std::thread reader_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

// Starts a broker on `data_dir` that must refuse to start: returns what it
// logged, or nullopt if it started after all (the test then fails).
[[nodiscard]] std::optional<std::string> refused_start(const std::filesystem::path& data_dir);

// The broker binary under test (STRATA_BROKER_BIN from CMake).
[[nodiscard]] std::string broker_binary();

}  // namespace strata::it
