// kafka-bench: produce and consume throughput of a librdkafka client (C API,
// Debian's librdkafka-dev) against any Kafka bootstrap address, e.g. strata's
// Kafka port, for comparison with `strata perf` on strata's own protocol.
// Prints figures; not a test. For each message size it creates the topic
// (CreateTopics; an existing one is reused), produces N messages of that
// size, then reads them back from the beginning of every partition.
//
//   kafka-bench --bootstrap 127.0.0.1:9092 [--topic T] [--messages N] [--sizes 100,1024]
//               [--partitions P] [--acks 1|-1|0] [--compression none|lz4|zstd|snappy|gzip]
//               [--idempotence]
//
// Every consumer verifies CRCs (check.crcs=true). Exit status: 0, or 1 if a
// delivery failed or fewer messages came back than were produced.
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Options {
  std::string bootstrap;
  std::string topic = "kafka-bench";
  long messages = 1'000'000;
  std::vector<long> sizes{100, 1024};
  int partitions = 1;
  std::string acks = "1";
  std::string compression = "none";
  bool idempotence = false;
};

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "kafka-bench: %s\nusage: kafka-bench --bootstrap HOST:PORT [--topic T] [--messages N] "
               "[--sizes 100,1024] [--partitions P] [--acks 1|-1|0] [--compression C] [--idempotence]\n",
               why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--bootstrap") o.bootstrap = value();
    else if (a == "--topic") o.topic = value();
    else if (a == "--messages") o.messages = std::stol(value());
    else if (a == "--partitions") o.partitions = std::stoi(value());
    else if (a == "--acks") o.acks = value();
    else if (a == "--compression") o.compression = value();
    else if (a == "--idempotence") o.idempotence = true;
    else if (a == "--sizes") {
      o.sizes.clear();
      const std::string list = value();
      for (std::size_t at = 0; at <= list.size();) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        o.sizes.push_back(std::stol(list.substr(at, comma - at)));
        at = comma + 1;
      }
    } else usage(("unknown option " + a).c_str());
  }
  if (o.bootstrap.empty()) usage("--bootstrap is required");
  if (o.messages <= 0 || o.partitions <= 0) usage("--messages and --partitions must be positive");
  return o;
}

void set(rd_kafka_conf_t* conf, const char* key, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key, value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    throw std::runtime_error(std::string("config ") + key + ": " + err);
  }
}

rd_kafka_t* make_client(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);  // takes conf on success
  if (rk == nullptr) throw std::runtime_error(std::string("rd_kafka_new: ") + err);
  return rk;
}

rd_kafka_conf_t* base_conf(const Options& o) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", o.bootstrap);
  return conf;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void report(const char* what, long size, long count, double secs, long errors) {
  const double rate = static_cast<double>(count) / secs;
  std::printf("kafka-bench %-7s %5ld B: %9ld msgs in %7.3f s = %10.0f msgs/s, %8.1f MB/s (errors %ld)\n", what,
              size, count, secs, rate, rate * static_cast<double>(size) / 1e6, errors);
  std::fflush(stdout);
}

void create_topic(const Options& o, const std::string& topic) {
  rd_kafka_t* rk = make_client(RD_KAFKA_PRODUCER, base_conf(o));
  char err[512];
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), o.partitions, -1, err, sizeof err);
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &nt, 1, nullptr, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 30'000);
  if (ev == nullptr) throw std::runtime_error("CreateTopics: no answer in 30 s");
  const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev);
  size_t n = 0;
  const rd_kafka_topic_result_t** results = res != nullptr ? rd_kafka_CreateTopics_result_topics(res, &n) : nullptr;
  const rd_kafka_resp_err_t e = n == 1 ? rd_kafka_topic_result_error(results[0]) : rd_kafka_event_error(ev);
  const std::string message = n == 1 && rd_kafka_topic_result_error_string(results[0]) != nullptr
                                  ? rd_kafka_topic_result_error_string(results[0])
                                  : rd_kafka_err2str(e);
  rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(q);
  rd_kafka_NewTopic_destroy(nt);
  rd_kafka_destroy(rk);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
    throw std::runtime_error("CreateTopics " + topic + ": " + message);
  }
}

long g_delivery_errors = 0;

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR && g_delivery_errors++ == 0) {
    std::fprintf(stderr, "kafka-bench: delivery failed: %s\n", rd_kafka_err2str(m->err));
  }
}

void produce(const Options& o, const std::string& topic, long size) {
  rd_kafka_conf_t* conf = base_conf(o);
  set(conf, "acks", o.acks);
  set(conf, "compression.codec", o.compression);
  set(conf, "linger.ms", "5");
  set(conf, "batch.size", "1000000");
  set(conf, "queue.buffering.max.messages", "1000000");
  set(conf, "enable.idempotence", o.idempotence ? "true" : "false");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t* rk = make_client(RD_KAFKA_PRODUCER, conf);
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  std::vector<char> value(static_cast<std::size_t>(size), 'x');
  g_delivery_errors = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < o.messages;) {
    // rd_kafka_produce, not rd_kafka_producev: the latter's macros are C casts (-Wold-style-cast).
    const rd_kafka_resp_err_t e =
        rd_kafka_produce(rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, value.data(), value.size(), nullptr, 0,
                         nullptr) == 0
            ? RD_KAFKA_RESP_ERR_NO_ERROR
            : rd_kafka_last_error();
    if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(rk, 1);
      continue;
    }
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(e));
    ++i;
    rd_kafka_poll(rk, 0);
  }
  if (rd_kafka_flush(rk, 120'000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("produce: not all messages delivered within 120 s");
  }
  report("produce", size, o.messages, seconds_since(t0), g_delivery_errors);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
}

struct ConsumeCount {
  long got = 0;
  long errors = 0;
  int at_end = 0;
};

void on_message(rd_kafka_message_t* m, void* opaque) {
  auto* count = static_cast<ConsumeCount*>(opaque);
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    ++count->at_end;
  } else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (count->errors++ == 0) std::fprintf(stderr, "kafka-bench: consume error: %s\n", rd_kafka_message_errstr(m));
  } else {
    ++count->got;
  }
}

// Reads every partition from the beginning with the simple (group-less)
// consumer until `expected` messages or every partition's end.
long consume(const Options& o, const std::string& topic, long size, long expected) {
  rd_kafka_conf_t* conf = base_conf(o);
  set(conf, "check.crcs", "true");
  set(conf, "enable.partition.eof", "true");
  set(conf, "fetch.message.max.bytes", "1048576");
  rd_kafka_t* rk = make_client(RD_KAFKA_CONSUMER, conf);
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  for (int p = 0; p < o.partitions; ++p) {
    if (rd_kafka_consume_start_queue(rkt, p, RD_KAFKA_OFFSET_BEGINNING, q) != 0) {
      throw std::runtime_error("consume_start: " + std::string(rd_kafka_err2str(rd_kafka_last_error())));
    }
  }
  ConsumeCount count;
  const auto t0 = std::chrono::steady_clock::now();
  // The callback form hands over whatever is queued and returns; the batch
  // form (rd_kafka_consume_batch_queue) waits for a full batch or its
  // timeout, which added up to a second to a run's tail.
  while (count.got < expected && count.at_end < o.partitions && seconds_since(t0) < 300) {
    rd_kafka_consume_callback_queue(q, 100, on_message, &count);
  }
  report("consume", size, count.got, seconds_since(t0), count.errors);
  for (int p = 0; p < o.partitions; ++p) rd_kafka_consume_stop(rkt, p);
  rd_kafka_queue_destroy(q);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
  return count.errors == 0 ? count.got : -1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::printf("kafka-bench: librdkafka %s against %s, %ld messages per size, %d partition(s), acks %s, %s\n",
              rd_kafka_version_str(), o.bootstrap.c_str(), o.messages, o.partitions, o.acks.c_str(),
              o.compression.c_str());
  int status = 0;
  try {
    for (const long size : o.sizes) {
      const std::string topic = o.topic + "-" + std::to_string(size);
      create_topic(o, topic);
      produce(o, topic, size);
      if (g_delivery_errors != 0) status = 1;
      if (consume(o, topic, size, o.messages) < o.messages) status = 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kafka-bench: %s\n", e.what());
    return 1;
  }
  return status;
}
