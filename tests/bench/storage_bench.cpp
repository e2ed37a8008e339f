// storage-bench: throughput of the partition log, printed as figures.
//
//   storage-bench [--dir DIR] [--runs N] [--records N] [--recovery-mib N] [--cold]
//
// Prints medians over --runs of: the batch's checksums and the produce-path
// check per GB (batch_check_figures.h); appends of 100-byte records in 1,000-record
// batches without sync and with a sync per batch; sequential reads (raw
// bytes, and bytes validated and walked record by record); a follower's
// append of the same batches (append_replica); reopen after a clean
// shutdown, with the leader-epoch history rebuilt, recovery after a crash
// and a truncation to half, for a partition of --recovery-mib MiB (default
// 1024). With --cold (root only) the page cache
// is dropped before every reopen, so recovery reads from the disk.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "protocol/batch_builder.h"
#include "protocol/batch_validator.h"
#include "protocol/record.h"
#include "storage/file_cache.h"
#include "storage/partition_log.h"
#include "storage/posix_file_system.h"
#include "tests/bench/batch_check_figures.h"

namespace {

using namespace strata;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Options {
  fs::path dir = fs::temp_directory_path() / "strata-storage-bench";
  int runs = 3;
  std::uint64_t records = 5'000'000;
  std::uint64_t recovery_mib = 1024;
  bool cold = false;
};

// Empties the page cache so the next reads come from the device.
void drop_page_cache() {
  ::sync();
  std::FILE* f = std::fopen("/proc/sys/vm/drop_caches", "w");
  if (f == nullptr || std::fputs("3", f) < 0 || std::fclose(f) != 0) {
    std::fprintf(stderr, "storage-bench: --cold needs root (cannot write /proc/sys/vm/drop_caches)\n");
    std::exit(1);
  }
}

constexpr std::size_t kValueSize = 100;
constexpr std::size_t kBatchRecords = 1000;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

[[noreturn]] void die(const std::string& what, std::error_code ec) {
  std::fprintf(stderr, "storage-bench: %s: %s\n", what.c_str(), ec.message().c_str());
  std::exit(1);
}

std::vector<std::uint8_t> make_batch() {
  protocol::BatchBuilder b;
  std::string value(kValueSize, 'x');
  std::string key(16, 'k');
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  for (std::size_t i = 0; i < kBatchRecords; ++i) {
    std::memcpy(key.data(), &i, sizeof i);
    b.add(now, protocol::as_bytes(key), protocol::as_bytes(value));
  }
  return b.finish();
}

struct Partition {
  storage::PosixFileSystem fs;
  storage::FileCache cache{fs, 256};
  std::unique_ptr<storage::PartitionLog> log;

  explicit Partition(const fs::path& dir, storage::LogConfig config = {}) {
    storage::PartitionOptions options;
    options.config = config;
    auto opened = storage::PartitionLog::open(dir, cache, options);
    if (!opened) die("open " + dir.string(), opened.error());
    log = std::move(opened).value();
  }
};

// Appends `batches` copies of the batch; returns seconds taken. With
// `fresh`, the batch is first copied from it each time, as a broker gets
// fresh bytes per request (a LogAppendTime log stamps the batch in place,
// and a stamped batch is no longer one a producer may send).
double append_run(storage::PartitionLog& log, std::vector<std::uint8_t>& batch, std::uint64_t batches,
                  bool sync_each, const std::vector<std::uint8_t>* fresh = nullptr) {
  const auto t0 = Clock::now();
  for (std::uint64_t i = 0; i < batches; ++i) {
    if (fresh) std::memcpy(batch.data(), fresh->data(), batch.size());
    // Validation is part of the broker's append path, so it is timed too.
    auto valid = protocol::validate_for_append(batch, protocol::kMaxBatchBytes);
    if (!valid) die("validate", valid.error());
    auto r = log.append(valid.value());
    if (!r) die("append", r.error());
    if (sync_each) {
      if (auto ec = log.sync()) die("sync", ec);
    }
  }
  return seconds_since(t0);
}

// A follower's appends (append_replica) of `batches` copies of the batch,
// each at the log end as a leader stamped it; returns seconds taken.
double replica_run(storage::PartitionLog& log, std::vector<std::uint8_t> batch, std::uint64_t batches) {
  protocol::stamp_leader_epoch(batch, 0);
  const auto t0 = Clock::now();
  for (std::uint64_t i = 0; i < batches; ++i) {
    protocol::stamp_base_offset(batch, log.log_end().value());
    auto r = log.append_replica(batch);
    if (!r) die("append_replica", r.error());
  }
  return seconds_since(t0);
}

// The LogAppendTime stamp alone (attribute bit, maxTimestamp, CRC-32C of
// the batch) on `batches` batches; returns seconds taken.
double stamp_run(std::vector<std::uint8_t> batch, std::uint64_t batches) {
  const auto t0 = Clock::now();
  for (std::uint64_t i = 0; i < batches; ++i) {
    protocol::stamp_log_append_time(batch, static_cast<std::int64_t>(i));
  }
  return seconds_since(t0);
}

struct ReadFigures {
  double raw_s;
  double walked_s;
  std::uint64_t records;
  std::uint64_t bytes;
};

ReadFigures read_run(storage::PartitionLog& log) {
  ReadFigures f{};
  std::vector<std::uint8_t> buf;
  for (int pass = 0; pass < 2; ++pass) {
    const bool walk = pass == 1;
    std::uint64_t records = 0, bytes = 0;
    const auto t0 = Clock::now();
    storage::Offset next = log.log_start();
    while (next < log.log_end()) {
      auto slice = log.read(next, 1 << 20);
      if (!slice) die("read", slice.error());
      buf.resize(slice.value().length);
      auto n = slice.value().file->read_at(slice.value().position, buf);
      if (!n) die("pread", n.error());
      bytes += buf.size();
      if (walk) {
        std::size_t at = 0;
        while (at < buf.size()) {
          const std::size_t size = protocol::framed_size(protocol::Bytes(buf).subspan(at));
          auto header = protocol::validate_batch(protocol::Bytes(buf).subspan(at, size), protocol::kMaxBatchBytes);
          if (!header) die("validate on read", header.error());
          protocol::RecordReader reader(protocol::Bytes(buf).subspan(at, size), header.value());
          protocol::Record r;
          while (reader.next(r)) ++records;
          at += size;
        }
      }
      next = slice.value().next_offset;
    }
    (walk ? f.walked_s : f.raw_s) = seconds_since(t0);
    if (walk) f.records = records;
    f.bytes = bytes;
  }
  return f;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "storage-bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--dir") o.dir = next();
    else if (a == "--runs") o.runs = std::max(1, std::stoi(next()));
    else if (a == "--records") o.records = std::stoull(next());
    else if (a == "--recovery-mib") o.recovery_mib = std::stoull(next());
    else if (a == "--cold") o.cold = true;
    else {
      std::fprintf(stderr,
                   "usage: storage-bench [--dir DIR] [--runs N] [--records N] [--recovery-mib N] [--cold]\n");
      std::exit(a == "--help" ? 0 : 2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  auto batch = make_batch();
  const double batch_mb = static_cast<double>(batch.size()) / 1e6;
  const std::uint64_t batches = std::max<std::uint64_t>(1, opt.records / kBatchRecords);
  std::printf("storage-bench: %zu-byte values, 16-byte keys, %zu records/batch (%zu bytes), %d runs, dir %s\n",
              kValueSize, kBatchRecords, batch.size(), opt.runs, opt.dir.c_str());

  bench::print_batch_check_figures(opt.runs);

  std::vector<double> nosync, withsync, raw, walked, fresh_create, fresh_append, stamp, replica;
  const std::vector<std::uint8_t> pristine = batch;
  const storage::LogConfig append_time = [] {
    storage::LogConfig c;
    c.timestamp_type = storage::TimestampType::log_append_time;
    return c;
  }();
  ReadFigures last{};
  for (int run = 0; run < opt.runs; ++run) {
    fs::remove_all(opt.dir);
    {
      Partition p(opt.dir / "nosync");
      nosync.push_back(append_run(*p.log, batch, batches, false));
      last = read_run(*p.log);
      raw.push_back(last.raw_s);
      walked.push_back(last.walked_s);
    }
    {
      Partition p(opt.dir / "sync");
      const std::uint64_t sync_batches = std::max<std::uint64_t>(1, batches / 10);
      withsync.push_back(append_run(*p.log, batch, sync_batches, true) / static_cast<double>(sync_batches) *
                         static_cast<double>(batches));
    }
    // The same appends in a CreateTime and a LogAppendTime log, each batch
    // copied fresh; and the stamp alone.
    for (auto* config : {static_cast<const storage::LogConfig*>(nullptr), &append_time}) {
      fs::remove_all(opt.dir);
      Partition p(opt.dir / "fresh", config ? *config : storage::LogConfig{});
      std::vector<std::uint8_t> work = pristine;
      (config ? fresh_append : fresh_create).push_back(append_run(*p.log, work, batches, false, &pristine));
    }
    stamp.push_back(stamp_run(pristine, batches));
    fs::remove_all(opt.dir);
    Partition follower(opt.dir / "follower");
    replica.push_back(replica_run(*follower.log, pristine, batches));
  }
  const double n = static_cast<double>(batches * kBatchRecords);
  const double mb = static_cast<double>(batches) * batch_mb;
  std::printf("%-44s %12.0f records/s %9.1f MB/s\n", "append, no sync", n / median(nosync), mb / median(nosync));
  std::printf("%-44s %12.0f records/s %9.1f MB/s\n", "append, fdatasync per batch", n / median(withsync),
              mb / median(withsync));
  std::printf("%-44s %12.0f records/s %9.1f MB/s\n", "append, no sync, fresh bytes, CreateTime",
              n / median(fresh_create), mb / median(fresh_create));
  std::printf("%-44s %12.0f records/s %9.1f MB/s\n", "append, no sync, fresh bytes, LogAppendTime",
              n / median(fresh_append), mb / median(fresh_append));
  std::printf("%-44s %12.0f records/s %9.1f MB/s\n", "follower append (append_replica), no sync",
              n / median(replica), mb / median(replica));
  std::printf("%-44s %12.1f ms per GB %9.1f GB/s\n", "LogAppendTime stamp alone (CRC-32C recompute)",
              median(stamp) / (mb / 1e3) * 1e3, mb / 1e3 / median(stamp));
  std::printf("%-44s %12.0f records/s %9.1f MB/s\n", "sequential read, raw bytes (page cache)",
              static_cast<double>(last.records) / median(raw), static_cast<double>(last.bytes) / 1e6 / median(raw));
  std::printf("%-44s %12.0f records/s %9.1f MB/s\n", "sequential read, validated + records walked",
              static_cast<double>(last.records) / median(walked),
              static_cast<double>(last.bytes) / 1e6 / median(walked));

  // Recovery: one partition of recovery_mib MiB, written without any sync.
  fs::remove_all(opt.dir);
  const fs::path rdir = opt.dir / "recovery";
  const std::uint64_t rbatches = opt.recovery_mib * 1024 * 1024 / batch.size() + 1;
  {
    Partition p(rdir);
    append_run(*p.log, batch, rbatches, false);
    if (auto ec = p.log->close()) die("close", ec);
  }
  std::vector<double> clean_open, rebuild_open, crash_open;
  std::uint64_t scanned = 0;
  for (int run = 0; run < opt.runs; ++run) {
    {
      if (opt.cold) drop_page_cache();
      const auto t0 = Clock::now();
      Partition p(rdir);
      clean_open.push_back(seconds_since(t0));
      if (auto ec = p.log->close()) die("close", ec);
    }
    {
      // A log from before the leader-epoch history: rebuilt from headers.
      fs::remove(rdir / storage::kLeaderEpochFile);
      if (opt.cold) drop_page_cache();
      const auto t0 = Clock::now();
      Partition p(rdir);
      rebuild_open.push_back(seconds_since(t0));
      // Leave it dirty with no usable checkpoint: the worst crash, where
      // nothing is known to be synced and every byte is validated.
      auto one = batch;
      auto valid = protocol::validate_for_append(one, protocol::kMaxBatchBytes);
      if (!valid || !p.log->append(valid.value())) die("append before crash", {});
    }  // destroyed without close(): a crash
    fs::remove(rdir / "checkpoint");
    {
      if (opt.cold) drop_page_cache();
      const auto t0 = Clock::now();
      Partition p(rdir);
      crash_open.push_back(seconds_since(t0));
      scanned = p.log->recovery_report().bytes_scanned;
      if (auto ec = p.log->close()) die("close", ec);
    }
  }
  const char* cache_state = opt.cold ? ", page cache dropped" : ", page cache warm";
  std::printf("%-44s %12.1f ms (partition of %.0f MiB%s)\n", "reopen after clean shutdown", median(clean_open) * 1e3,
              static_cast<double>(rbatches * batch.size()) / 1048576.0, cache_state);
  std::printf("%-44s %12.1f ms\n", "reopen, leader-epoch history rebuilt", median(rebuild_open) * 1e3);
  std::printf("%-44s %12.1f ms (%.0f MiB validated, %.0f MB/s%s)\n", "recovery after crash, full scan",
              median(crash_open) * 1e3, static_cast<double>(scanned) / 1048576.0,
              static_cast<double>(scanned) / 1e6 / median(crash_open), cache_state);
  {
    // A follower's truncation to the middle of the log, synced.
    Partition p(rdir);
    const auto t0 = Clock::now();
    auto cut = p.log->truncate_to(storage::Offset(p.log->log_end().value() / 2));
    if (!cut) die("truncate", cut.error());
    std::printf("%-44s %12.1f ms (%.0f MiB and %zu segments dropped)\n", "truncate to half, durable",
                seconds_since(t0) * 1e3, static_cast<double>(cut.value().bytes_removed) / 1048576.0,
                cut.value().segments_deleted);
  }
  fs::remove_all(opt.dir);
  return 0;
}
