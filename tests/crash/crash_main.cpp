// strata-crash-test: SIGKILLs a real strata-broker at random moments while
// several producers write to it, restarts it on the same port and data
// directory, and checks the whole log against every acknowledged send
// (log_audit.h says what is checked). With --brokers N the same against a
// cluster of N brokers and one etcd, one broker killed per round. Exits 0
// if nothing was violated, 1 if something was (the data directory and
// broker logs are kept), 2 on bad usage, 77 when --brokers needs etcd and
// it is not installed.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <thread>

#include "tests/crash/crash_fleet.h"
#include "tests/crash/crash_options.h"
#include "tests/crash/log_audit.h"
#include "tests/crash/producer_worker.h"
#include "tests/integration/client_test_util.h"
#include "tests/support/temp_dir.h"

namespace strata::crash {
namespace {

using namespace std::chrono_literals;
constexpr const char* kTopic = "crash";

enum class Fault { kill, pause, partition };

struct Run {
  const CrashOptions& options;
  CrashFleet& broker;
  std::vector<std::unique_ptr<ProducerWorker>>& workers;
};

// Cluster mode: until every partition of the new topic has a leader
// (bounded: 30 s).
bool wait_for_leaders(Client& admin) {
  for (int i = 0; i < 300; ++i) {
    try {
      const TopicInfo t = admin.describe_topic(kTopic);
      bool all = true;
      for (const auto& p : t.details) all = all && p.leader >= 0 && p.error == ErrorCode::none;
      if (all && !t.details.empty()) return true;
    } catch (const strata::Error&) {
      // not visible to the broker asked yet
    }
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

std::vector<std::vector<SendEntry>> snapshot(const Run& run) {
  std::vector<std::vector<SendEntry>> out;
  for (const auto& w : run.workers) out.push_back(w->ledger().snapshot());
  return out;
}

// Reads every partition from its start with a fresh Client and audits it.
AuditResult check_log(const Run& run) {
  const auto acked_before = snapshot(run);
  std::vector<std::uint32_t> partitions;
  for (std::uint32_t p = 0; p < run.options.partitions; ++p) partitions.push_back(p);
  std::vector<ConsumerRecord> records;
  std::string read_error;
  // Retriable errors (a lost connection; in a cluster a restarted broker's
  // partitions LEADER_NOT_AVAILABLE until the controller gives them back)
  // are retried for up to 60 s; others (e.g. CORRUPT_BATCH) end the read.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  for (int attempt = 0; attempt < 600 && std::chrono::steady_clock::now() < deadline; ++attempt) {
    try {
      Client reader(ClientOptions{run.broker.address(), "crash-reader", 20000, 5000});
      records = it::consume_all(reader, kTopic, partitions, StartPosition::earliest(), {}, 60s);
      read_error.clear();
      break;
    } catch (const strata::Error& e) {
      read_error = e.what();
      if (!e.retriable()) break;
      std::this_thread::sleep_for(100ms);
    } catch (const std::exception& e) {
      read_error = e.what();
      break;
    }
  }
  AuditResult result = audit_log(records, run.options.partitions, snapshot(run), acked_before);
  if (!read_error.empty()) {
    ++result.read_errors;
    result.note("reading the log failed: " + read_error);
  }
  for (const auto& w : run.workers) {
    if (const auto n = w->ledger().repeated_callbacks(); n > 0) {
      ++result.bad_acks;
      result.note("producer " + std::to_string(w->id()) + " got " + std::to_string(n) + " callbacks twice");
    }
    if (!w->error().empty()) {
      ++result.read_errors;
      result.note("producer " + std::to_string(w->id()) + " stopped: " + w->error());
    }
  }
  return result;
}

// Copies the data directory and every broker log to the keep directory.
void keep_evidence(const Run& run, const std::filesystem::path& data_dir, const std::string& why) {
  std::filesystem::path keep = run.options.keep_dir.empty()
                                   ? std::filesystem::temp_directory_path() /
                                         ("strata-crash-" + std::to_string(run.options.seed))
                                   : std::filesystem::path(run.options.keep_dir);
  std::error_code ec;
  std::filesystem::remove_all(keep, ec);
  std::filesystem::create_directories(keep, ec);
  std::filesystem::copy(data_dir, keep / "data", std::filesystem::copy_options::recursive, ec);
  std::ofstream(keep / "broker.log") << run.broker.history();
  std::ofstream(keep / "failure.txt") << why << "\nrepeat with: " << describe(run.options) << "\n";
  std::cerr << "crash test: evidence kept in " << keep.string() << (ec ? " (copy failed: " + ec.message() + ")" : "")
            << "\n";
}

// Prints what went wrong, keeps the evidence; returns the exit code 1.
int report_failure(const Run& run, const std::filesystem::path& data_dir, const std::string& what,
                   const AuditResult* audit) {
  std::string why = "crash test FAILED (" + what + "), seed " + std::to_string(run.options.seed);
  if (audit != nullptr) {
    why += "\n  " + audit->counts();
    for (const auto& e : audit->examples) why += "\n  - " + e;
  }
  std::cerr << why << "\n";
  keep_evidence(run, data_dir, why);
  return 1;
}

// 0 if every round passed, else report_failure's 1.
int run_rounds(const Run& run, const std::filesystem::path& data_dir, std::mt19937_64& rng) {
  const auto& o = run.options;
  std::uniform_int_distribution<std::uint32_t> up_ms(o.kill_min_ms, o.kill_max_ms);
  std::uniform_int_distribution<std::uint32_t> down_ms(0, o.down_max_ms);
  // One broker and one fault: no draws, so a standalone seed repeats as before.
  std::uniform_int_distribution<std::uint32_t> pick(0, run.broker.size() - 1);
  std::uniform_int_distribution<std::uint32_t> outage_ms(0, o.outage_max_ms);
  std::vector<Fault> faults;
  if (o.fault_kill) faults.push_back(Fault::kill);
  if (o.fault_pause) faults.push_back(Fault::pause);
  if (o.fault_partition) faults.push_back(Fault::partition);
  std::uniform_int_distribution<std::size_t> pick_fault(0, faults.size() - 1);
  for (std::uint32_t round = 1; round <= o.rounds; ++round) {
    const auto up = up_ms(rng);
    const auto down = down_ms(rng);
    const std::uint32_t victim = run.broker.size() > 1 ? pick(rng) : 0;
    CrashBroker& broker = run.broker.broker(victim);
    const Fault fault = faults.size() > 1 ? faults[pick_fault(rng)] : faults[0];
    std::this_thread::sleep_for(std::chrono::milliseconds(up));
    std::string line = "round " + std::to_string(round) + ": ";
    if (run.broker.clustered()) line += "broker " + std::to_string(victim + 1) + " ";
    if (fault == Fault::kill) {
      broker.kill();
      std::string cut;
      if (o.power_loss) cut = ", power cut: " + broker.power_cut();
      std::this_thread::sleep_for(std::chrono::milliseconds(down));
      try {
        broker.start();
      } catch (const std::exception& e) {
        return report_failure(run, data_dir, "round " + std::to_string(round) + ": the broker did not restart: " +
                                                 e.what(), nullptr);
      }
      line += "killed after " + std::to_string(up) + " ms, down " + std::to_string(down) + " ms, restarted in " +
              std::to_string(broker.last_start_time().count()) + " ms, recovery scanned " +
              std::to_string(broker.last_scanned_bytes()) + " and truncated " +
              std::to_string(broker.last_truncated_bytes()) + " bytes" + cut;
    } else {
      const auto outage = outage_ms(rng);
      if (fault == Fault::pause) broker.pause(); else run.broker.isolate(victim);
      std::this_thread::sleep_for(std::chrono::milliseconds(outage));
      if (fault == Fault::pause) broker.resume(); else run.broker.heal(victim);
      line += std::string(fault == Fault::pause ? "paused" : "partitioned") + " after " + std::to_string(up) +
              " ms for " + std::to_string(outage) + " ms";
    }
    if (o.check_every_round) {
      for (auto& w : run.workers) w->pause(true);
      const AuditResult a = check_log(run);
      for (auto& w : run.workers) w->pause(false);
      if (a.failed(o.acks, o.idempotence)) return report_failure(run, data_dir, "after round " + std::to_string(round), &a);
      line += "; " + std::to_string(a.acknowledged) + " acknowledged, " + std::to_string(a.lost) + " lost, " +
              std::to_string(a.records_read) + " records read";
    }
    std::cout << line << std::endl;
  }
  return 0;
}

int run_test(CrashOptions o) {
  if (o.seed == 0) o.seed = std::random_device{}() | 1;
  std::cout << "crash test: seed " << o.seed << "; repeat with: " << describe(o) << std::endl;
  std::mt19937_64 rng(o.seed);
  test::TempDir dir("strata-crash");
  const auto data_dir = dir.path() / "data";
  if (o.brokers > 1 && !it::etcd_installed()) {
    std::cout << "crash test: --brokers " << o.brokers << " needs etcd (scripts/install-deps.sh): skipped\n";
    return 77;
  }
  if (o.fault_partition && !it::NetLab::available()) {
    std::cout << "crash test: --faults partition needs network namespaces (root, iproute2): skipped\n";
    return 77;
  }
  CrashFleet broker(data_dir, o.brokers, std::chrono::milliseconds(o.start_timeout_ms), o.fault_partition,
                    o.power_loss);
  std::vector<std::unique_ptr<ProducerWorker>> workers;
  const Run run{o, broker, workers};
  {
    Client admin(ClientOptions{broker.address()});
    admin.create_topic(kTopic, o.partitions,
                       {{"segment.bytes", std::to_string(o.segment_bytes)}, {"retention.ms", "-1"},
                        {"retention.bytes", "-1"}});
    if (broker.clustered() && !wait_for_leaders(admin)) {
      return report_failure(run, data_dir, "the topic's partitions did not all get a leader in 30 s", nullptr);
    }
  }
  for (std::uint32_t p = 0; p < o.producers; ++p) {
    workers.push_back(std::make_unique<ProducerWorker>(p, broker.address(), kTopic, o));
  }
  if (const int failed = run_rounds(run, data_dir, rng); failed != 0) return failed;
  for (auto& w : workers) w->finish();
  const AuditResult final_audit = check_log(run);
  if (final_audit.failed(o.acks, o.idempotence)) return report_failure(run, data_dir, "final check", &final_audit);
  // A clean stop after all the crashes must keep everything too.
  if (!broker.stop_clean()) return report_failure(run, data_dir, "SIGTERM did not exit 0", nullptr);
  try {
    broker.start_all();
  } catch (const std::exception& e) {
    return report_failure(run, data_dir, std::string("restart after SIGTERM failed: ") + e.what(), nullptr);
  }
  const AuditResult after_clean = check_log(run);
  if (after_clean.failed(o.acks, o.idempotence) || after_clean.records_read != final_audit.records_read ||
      after_clean.lost != final_audit.lost) {
    return report_failure(run, data_dir, "check after a clean restart differs from the final check", &after_clean);
  }
  std::uint64_t rejected = 0;
  for (const auto& w : workers) rejected += w->rejected_sends();
  const char* mode = o.acks == strata::Acks::durable ? "durable" : "leader";
  std::cout << "crash test (acks=" << mode << ", seed " << o.seed << "): " << final_audit.counts() << "; "
            << rejected << " sends rejected at once\n";
  std::cout << "crash test: " << o.rounds << " rounds, " << final_audit.acknowledged << " acknowledged, "
            << final_audit.lost << " lost, " << final_audit.duplicated << " duplicated, " << final_audit.misplaced
            << " misplaced" << (o.acks == strata::Acks::leader ? " (acks=leader: losses allowed)" : "")
            << "; " << final_audit.retry_duplicates << " retry duplicates"
            << (o.idempotence ? "" : " (allowed)") << "; slowest restart "
            << broker.slowest_start_time().count() << " ms" << std::endl;
  return 0;
}

}  // namespace
}  // namespace strata::crash

int main(int argc, char** argv) {
  const auto parsed = strata::crash::parse_crash_options(argc, argv);
  if (parsed.help) {
    std::cout << strata::crash::crash_usage();
    return 0;
  }
  if (parsed.error) {
    std::cerr << "strata-crash-test: " << *parsed.error << "\n";
    return 2;
  }
  try {
    return strata::crash::run_test(parsed.options);
  } catch (const std::exception& e) {
    std::cerr << "crash test FAILED: " << e.what() << "\n";
    return 1;
  }
}
