// strata produce: one message per input line. Reading stops at the first
// message that fails (or cannot be queued); every exit after the topic is
// found prints "sent N of M", which lines failed and why it stopped.
#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <vector>

#include "client/cli/failed_lines.h"
#include "client/cli/line_reader.h"
#include "client/cli/options.h"
#include "strata/client.h"
#include "strata/producer.h"

namespace strata::cli {

namespace {

// SIGINT/SIGTERM: the first stops reading input (what was read is still
// sent and summarised, exit 130); a second ends the process at once.
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_produce_interrupt(int) {
  if (g_interrupted) ::_exit(130);
  g_interrupted = 1;
}

// Without SA_RESTART, so a read of stdin blocked in getline returns.
void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_produce_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

// --header name=value (repeatable) as headers of every message.
std::vector<Header> header_options(const po::variables_map& vm) {
  std::vector<Header> out;
  if (!vm.count("header")) return out;
  for (const auto& h : vm["header"].as<std::vector<std::string>>()) {
    const auto eq = h.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError("produce: --header '" + h + "' is not NAME=VALUE");
    }
    out.push_back({h.substr(0, eq), h.substr(eq + 1)});
  }
  return out;
}

}  // namespace

int produce_command(const Globals& g, const Args& args) {
  po::options_description d("strata produce TOPIC [options]  (one message per line of stdin or --file)");
  d.add_options()("topic", po::value<std::string>()->required(), "topic")(
      "key,k", po::value<std::string>(), "the key of every message")(
      "key-separator", po::value<std::string>(), "text before the first SEP on a line is its key")(
      "partition,p", po::value<std::uint32_t>(), "send to this partition (overrides the key)")(
      "header,H", po::value<std::vector<std::string>>()->composing(),
      "NAME=VALUE: a header on every message (repeatable)")(
      "acks", po::value<std::string>()->default_value("leader"), "none, leader or durable")(
      "file,f", po::value<std::string>(), "read messages from PATH instead of stdin")(
      "linger", po::value<std::string>()->default_value("5ms"), "how long to wait to fill a batch")(
      "compression,z", po::value<std::string>()->default_value("none"),
      "compress each batch: none, gzip, snappy, lz4 or zstd")(
      "max-block", po::value<std::string>()->default_value("60s"),
      "longest wait for buffer space, and for the last acknowledgements, while the broker does not answer; "
      "then stop with a summary")(
      "delivery-timeout", po::value<std::string>()->default_value("120s"),
      "how long a message may wait for its acknowledgement, retries included; then it fails (it may or may not "
      "be stored if it was sent)")(
      "buffer", po::value<std::string>()->default_value("64MiB"), "memory for messages not yet acknowledged");
  po::positional_options_description pos;
  pos.add("topic", 1);
  po::variables_map vm;
  if (!parse_args("produce", args, d, pos, vm)) return 0;
  refuse_together("produce", vm, "key", "key-separator", "one key for every line, or each line's own");
  ProducerOptions options;
  options.acks = acks_option("produce", vm["acks"].as<std::string>());
  options.linger_ms = static_cast<std::uint32_t>(duration_option("linger", vm["linger"].as<std::string>()));
  options.compression = compression_option("produce", vm["compression"].as<std::string>());
  options.max_block_ms = ms_option("produce", "max-block", vm["max-block"].as<std::string>());
  options.delivery_timeout_ms = ms_option("produce", "delivery-timeout", vm["delivery-timeout"].as<std::string>());
  const std::int64_t buffer = size_option("buffer", vm["buffer"].as<std::string>());
  if (buffer < 1024) throw UsageError("produce: --buffer must be at least 1KiB");
  options.buffer_bytes = static_cast<std::size_t>(buffer);

  int input_fd = 0;  // stdin
  if (vm.count("file") && vm["file"].as<std::string>() != "-") {
    const std::string path = vm["file"].as<std::string>();
    std::error_code ec;
    const auto type = std::filesystem::status(path, ec).type();
    if (type == std::filesystem::file_type::not_found) {
      throw UsageError("produce: --file '" + path + "' does not exist");
    }
    if (type == std::filesystem::file_type::directory) {
      throw UsageError("produce: --file '" + path + "' is a directory; give a file (or - for stdin)");
    }
    input_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (input_fd < 0) throw UsageError("produce: cannot read --file '" + path + "': " + std::strerror(errno));
  }
  LineReader in(input_fd, input_fd != 0);
  const std::vector<Header> headers = header_options(vm);
  const std::string topic = vm["topic"].as<std::string>();
  Client client(client_options(g));
  // What callbacks (any thread) report. Reading stops at the first failure
  // other than a record too large for the topic (that one line fails, the
  // rest go on).
  FailedLines outcomes;
  std::atomic<bool> any_failed{false};
  std::uint64_t queued = 0;  // lines handed to the producer
  std::string stopped;       // why reading stopped before the input's end
  auto summary = [&](bool flushed) {
    std::cerr << "sent " << outcomes.acked() << " of " << queued << " messages to " << topic;
    outcomes.describe(std::cerr);
    const std::uint64_t unanswered = queued - outcomes.acked() - outcomes.failed();
    if (!flushed && unanswered > 0) {
      std::cerr << "; " << unanswered << " not acknowledged within --max-block (they may or may not be stored)";
    }
    if (!stopped.empty()) std::cerr << "; stopped reading input after line " << queued << ": " << stopped;
    std::cerr << "\n";
    return outcomes.failed() > 0 || !stopped.empty() || !flushed ? 1 : 0;
  };
  auto producer = std::make_unique<Producer>(client, options);
  // Fails fast (with advice) on an unknown topic; a broker with
  // auto.create.topics creates it here.
  (void)producer->partition_for(topic, std::nullopt);
  std::string line;
  try {
    catch_interrupts();
    while (!g_interrupted && in.next(line, [] { return g_interrupted != 0; })) {
      if (any_failed.load()) {
        stopped = "a message failed";
        break;
      }
      ProducerRecord r;
      r.topic = topic;
      std::string_view value = line;
      if (vm.count("key")) {
        r.key = vm["key"].as<std::string>();
      } else if (vm.count("key-separator")) {
        const std::string& sep = vm["key-separator"].as<std::string>();
        if (const auto at = line.find(sep); at != std::string::npos && !sep.empty()) {
          r.key = std::string_view(line).substr(0, at);
          value = std::string_view(line).substr(at + sep.size());
        }
      }
      r.value = value;
      r.headers = headers;
      if (vm.count("partition")) r.partition = vm["partition"].as<std::uint32_t>();
      const std::uint64_t number = queued + 1;
      producer->send(r, [&outcomes, &any_failed, number](const RecordMetadata*, const Error* e) {
        if (!e) {
          outcomes.acked_one();
          return;
        }
        outcomes.failed_one(number, e->what());
        if (e->code() != ErrorCode::batch_too_large) any_failed.store(true);
      });
      ++queued;
    }
  } catch (const Error& e) {
    stopped = "line " + std::to_string(queued + 1) + " could not be sent: " + e.what();
  }
  if (g_interrupted) stopped = "interrupted (what was read was sent; a second interrupt quits at once)";
  // Bounded too: a broker that stopped answering must not hold the exit.
  if (!producer->flush_for(std::chrono::milliseconds(options.max_block_ms))) {
    const int code = g_interrupted ? 130 : summary(false);
    if (g_interrupted) (void)summary(false);
    std::cerr.flush();
    // The producer still owns requests in flight; its destructor would wait
    // for them. Nothing else is left to do, so leave without it.
    (void)producer.release();
    std::_Exit(code);
  }
  producer.reset();
  const int code = summary(true);
  return g_interrupted ? 130 : code;
}

}  // namespace strata::cli
