#include "client/perf/perf_support.h"

#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <mutex>
#include <vector>

namespace strata::perf {

std::uint32_t ensure_topic(Client& client, const std::string& topic, std::uint32_t partitions) {
  try {
    const std::uint32_t count = client.partition_count(topic, true);
    if (count != partitions) {
      std::cerr << "strata: perf: topic " << topic << " exists with " << count << " partition(s); using them\n";
    }
    return count;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::unknown_topic) throw;
  }
  try {
    client.create_topic(topic, partitions);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::topic_exists) throw;  // created meanwhile
  }
  return client.partition_count(topic, true);
}

void run_workers(std::uint32_t n, const std::function<void(std::uint32_t)>& work) {
  std::mutex mu;
  std::exception_ptr first;
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      try {
        work(i);
      } catch (...) {
        std::lock_guard lock(mu);
        if (!first) first = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  if (first) std::rethrow_exception(first);
}

Progress::Progress(std::string what, std::uint64_t total, std::function<std::uint64_t()> done)
    : what_(std::move(what)), total_(total), done_(std::move(done)) {
  if (::isatty(STDERR_FILENO) == 1) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() {
  stop_.store(true);
  if (!thread_.joinable()) return;
  thread_.join();
  std::fprintf(stderr, "\r%70s\r", "");
  std::fflush(stderr);
}

void Progress::run() {
  const std::int64_t start = now_ns();
  while (!stop_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    const std::uint64_t done = done_();
    const double seconds = static_cast<double>(now_ns() - start) / 1e9;
    std::fprintf(stderr, "\r%s %llu/%llu messages, %.0f msgs/s   ", what_.c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total_),
                 seconds > 0 ? static_cast<double>(done) / seconds : 0.0);
    std::fflush(stderr);
  }
}

}  // namespace strata::perf
