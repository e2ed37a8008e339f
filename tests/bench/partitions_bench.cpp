// partitions-bench: the many-partitions benchmark (performance issue).
// Starts a real strata-broker on a temporary data dir, creates T topics of
// P partitions, produces one message to every partition (acks=leader),
// then prints the broker's RSS and open descriptors, the time from SIGTERM
// to exit, the restart time after a clean shutdown (SIGTERM) and after
// kill -9, and its RSS after each.
//
//   partitions-bench [--topics 1000] [--partitions 10] [--runs 3] [--data-dir NEW_DIR]
//
// With --data-dir the data stays there afterwards (to profile restarts).
//
// The restart time is from fork to the broker's "listening on" line, so it
// includes process start and recovery of every partition. Figures are the
// median of --runs restarts of each kind.
#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "tests/integration/broker_process.h"
#include "tests/integration/test_util.h"

namespace {

using namespace strata;
using namespace strata::it;
using Clock = std::chrono::steady_clock;

struct Options {
  unsigned topics = 1000;
  unsigned partitions = 10;
  unsigned runs = 3;
  std::string data_dir;  // kept afterwards (for profiling restarts); empty: a temporary one
};

std::size_t open_descriptors(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fd";
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return 0;
  std::size_t n = 0;
  while (const dirent* e = ::readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(d);
  return n;
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

struct Started {
  std::unique_ptr<BrokerProcess> broker;
  double ms = 0;
};

Started start(const std::filesystem::path& dir) {
  const auto t0 = Clock::now();
  auto broker = std::make_unique<BrokerProcess>(dir, std::vector<std::string>{}, std::chrono::seconds(120));
  return {std::move(broker), ms_since(t0)};
}

std::string mib(std::optional<std::uint64_t> kb) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", kb ? static_cast<double>(*kb) / 1024.0 : -1.0);
  return buf;
}

int run(const Options& o) {
  TempDir tmp;
  const auto dir = o.data_dir.empty() ? tmp.path() / "data" : std::filesystem::path(o.data_dir);
  Started s = start(dir);
  const auto t0 = Clock::now();
  {
    WireClient c(s.broker->port(), std::chrono::seconds(60));
    for (unsigned t = 0; t < o.topics; ++t) {
      const std::string name = "t" + std::to_string(t);
      if (c.create_topic(name, o.partitions).error != protocol::ErrorCode::none) {
        std::cerr << "partitions-bench: could not create " << name << "\n" << s.broker->log_text();
        return 1;
      }
    }
    const double create_ms = ms_since(t0);
    const auto t1 = Clock::now();
    for (unsigned t = 0; t < o.topics; ++t) {
      const std::string name = "t" + std::to_string(t);
      for (unsigned p = 0; p < o.partitions; ++p) {
        const auto batch = make_batch(make_records(name, p, 1, now_ms(), 100));
        if (c.produce(name, p, batch).error != protocol::ErrorCode::none) {
          std::cerr << "partitions-bench: produce to " << name << "/" << p << " failed\n";
          return 1;
        }
      }
    }
    std::printf("partitions-bench: %u topics x %u partitions = %u partitions, one 100-byte message each\n",
                o.topics, o.partitions, o.topics * o.partitions);
    std::printf("  create all topics          %10.0f ms\n", create_ms);
    std::printf("  produce one message each   %10.0f ms\n", ms_since(t1));
  }
  std::printf("  broker RSS after produce   %10s   (peak %s)\n", mib(s.broker->proc_status_kb("VmRSS")).c_str(),
              mib(s.broker->proc_status_kb("VmHWM")).c_str());
  std::printf("  open descriptors           %10zu\n", open_descriptors(s.broker->pid()));
  rlimit nofile{};
  ::getrlimit(RLIMIT_NOFILE, &nofile);
  std::printf("  descriptor limit (soft)    %10llu\n", static_cast<unsigned long long>(nofile.rlim_cur));

  std::vector<double> clean, crash, stops;
  std::optional<std::uint64_t> rss_clean, rss_crash;
  std::size_t fds_clean = 0;
  for (unsigned r = 0; r < o.runs; ++r) {
    const auto t_stop = Clock::now();
    const auto st = s.broker->stop(SIGTERM, std::chrono::seconds(60));
    stops.push_back(ms_since(t_stop));
    for (const auto& line : s.broker->log_lines()) {
      // The broker's own figures for closing the partitions (within the above).
      const bool closed = line.find("INFO ") != std::string::npos && line.find("closed ") != std::string::npos &&
                          line.find(" partitions ") != std::string::npos;
      if (r == 0 && closed) std::printf("  first stop: %s\n", line.c_str());
    }
    if (!st.exited || st.code != 0) {
      std::cerr << "partitions-bench: SIGTERM shutdown did not exit 0\n" << s.broker->log_text();
      return 1;
    }
    s.broker.reset();
    s = start(dir);
    clean.push_back(s.ms);
    rss_clean = s.broker->proc_status_kb("VmRSS");
    fds_clean = open_descriptors(s.broker->pid());
  }
  for (unsigned r = 0; r < o.runs; ++r) {
    s.broker->kill9();
    s.broker.reset();
    s = start(dir);
    crash.push_back(s.ms);
    rss_crash = s.broker->proc_status_kb("VmRSS");
  }
  // Everything is still there: the last message of the last partition.
  {
    WireClient c(s.broker->port(), std::chrono::seconds(60));
    const auto last = "t" + std::to_string(o.topics - 1);
    const auto end = c.list_offset(last, o.partitions - 1, protocol::kLatestTimestamp);
    if (end.error != protocol::ErrorCode::none || end.offset != 1) {
      std::cerr << "partitions-bench: " << last << " lost its message across restarts\n";
      return 1;
    }
  }
  std::printf("  SIGTERM to exit 0          %10.0f ms   (median of %u; first one has every partition dirty: %.0f ms)\n",
              median(stops), o.runs, stops.empty() ? 0.0 : stops.front());
  std::printf("  restart after clean stop   %10.0f ms   (median of %u; RSS %s, %zu descriptors)\n", median(clean),
              o.runs, mib(rss_clean).c_str(), fds_clean);
  std::printf("  restart after kill -9      %10.0f ms   (median of %u; RSS %s)\n", median(crash), o.runs,
              mib(rss_crash).c_str());
  s.broker->stop(SIGTERM, std::chrono::seconds(60));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> unsigned {
      if (i + 1 >= argc) {
        std::cerr << "partitions-bench: " << a << " needs a number\n";
        std::exit(2);
      }
      return static_cast<unsigned>(std::stoul(argv[++i]));
    };
    if (a == "--topics") {
      o.topics = next();
    } else if (a == "--partitions") {
      o.partitions = next();
    } else if (a == "--runs") {
      o.runs = next();
    } else if (a == "--data-dir" && i + 1 < argc) {
      o.data_dir = argv[++i];
    } else {
      std::cerr << "usage: partitions-bench [--topics N] [--partitions N] [--runs N] [--data-dir NEW_DIR]\n";
      return a == "--help" ? 0 : 2;
    }
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::cerr << "partitions-bench: " << e.what() << "\n";
    return 1;
  }
}
