#include "broker/ops/metrics_snapshot.h"

#include <charconv>
#include <map>

#include "protocol/kafka/api_table.h"

namespace strata::broker {

awaitable<ShardSample> sample_shard(Shard& shard) {
  ShardSample s;
  s.metrics = shard.metrics();
  s.partitions.reserve(shard.partitions().size());
  for (const auto& [key, p] : shard.partitions()) {
    s.partitions.push_back({key.first, key.second, p->log->log_start().value(), p->log->log_end().value(),
                            p->log->size_bytes(), p->log->segment_count(), p->messages_in, p->bytes_in,
                            p->log->recovery_report().bytes_scanned});
  }
  co_return s;
}

namespace {

// Appends the exposition format's lines, one family at a time.
class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  // A family of one sample without labels.
  template <typename T>
  void single(std::string_view name, std::string_view type, std::string_view help, T value) {
    family(name, type, help);
    sample(name, "", value);
  }
  // labels: already formatted `a="x",b="y"` or empty.
  template <typename T>
  void sample(std::string_view name, std::string_view labels, T value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out_.append(buf, r.ptr);
    out_ += '\n';
  }
  void histogram(std::string_view name, std::string_view labels, const Histogram& h) {
    const std::string bucket = std::string(name) + "_bucket";
    const std::string sep = labels.empty() ? "" : std::string(labels) + ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < h.counts().size(); ++i) {
      cumulative += h.counts()[i];
      std::string le = "+Inf";
      if (i < h.bounds().size()) {
        char buf[32];
        le.assign(buf, std::to_chars(buf, buf + sizeof buf, h.bounds()[i]).ptr);
      }
      sample(bucket, sep + "le=\"" + le + "\"", cumulative);
    }
    sample(std::string(name) + "_sum", labels, h.sum());
    sample(std::string(name) + "_count", labels, h.count());
  }
  [[nodiscard]] std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Topic names are [A-Za-z0-9._-] (protocol/topic_name.h): nothing to escape.
std::string topic_label(const std::string& topic) { return "topic=\"" + topic + "\""; }

std::string api_label(std::size_t slot) {
  const std::string_view name =
      slot < protocol::kApiKeyCount ? protocol::api_name(static_cast<protocol::ApiKey>(slot)) : "unknown";
  return "api=\"" + std::string(name) + "\"";
}

struct TopicTotals {
  std::uint64_t partitions = 0, size_bytes = 0, segments = 0, messages_in = 0, bytes_in = 0;
  TopicTraffic out;
};

void write_process(Writer& w, const ProcessSample& p) {
  w.family("strata_build_info", "gauge", "Always 1; the labels name the version and the git commit built from.");
  w.sample("strata_build_info", "version=\"" + p.version + "\",commit=\"" + p.commit + "\"", 1);
  w.single("strata_ready", "gauge", "1 once recovery finished and the broker accepts clients, else 0.",
           p.ready ? 1 : 0);
  w.single("strata_start_time_seconds", "gauge", "Unix time the broker process started.", p.start_time_seconds);
  w.single("strata_recovery_seconds", "gauge", "Seconds loading and recovering every partition at start.",
           p.recovery_seconds);
  w.single("strata_connections_open", "gauge", "Client connections open now (max.connections bounds it).",
           p.connections_open);
  w.single("strata_open_fds", "gauge", "File descriptors open in the broker process.", p.fds_open);
  w.single("strata_open_fds_limit", "gauge", "The soft open-file limit (RLIMIT_NOFILE).", p.fds_limit);
  w.single("strata_open_fds_budget", "gauge",
           "Descriptors the settings can hold open: file.cache.size x shards + max.connections + reserve.", p.fds_budget);
}

// A request counter and a latency histogram, one series per slot that saw
// requests, labelled by `label(slot)`.
struct RequestFamilies {
  std::string_view counter, counter_help, duration, duration_help;
};
template <typename Slots, typename Label>
void write_requests(Writer& w, const RequestFamilies& f, const Slots& slots, Label label) {
  w.family(f.counter, "counter", f.counter_help);
  for (std::size_t a = 0; a < slots.size(); ++a) {
    if (slots[a].requests > 0) w.sample(f.counter, label(a), slots[a].requests);
  }
  w.family(f.duration, "histogram", f.duration_help);
  for (std::size_t a = 0; a < slots.size(); ++a) {
    if (slots[a].requests > 0) w.histogram(f.duration, label(a), slots[a].latency);
  }
}

// The Kafka door's requests, by Kafka's API name ("Produce", "Metadata").
std::string kafka_api_label(std::size_t key) {
  const auto* api = kafka::find_api(static_cast<std::int16_t>(key));
  return "api=\"" + std::string(api != nullptr ? api->name : "unknown") + "\"";
}

void write_shards(Writer& w, const ShardMetrics& m) {
  w.single("strata_connections_accepted_total", "counter", "Client connections accepted.", m.connections_accepted);
  w.family("strata_connections_refused_total", "counter",
           "Client connections refused: at max.connections, or out of open files.");
  w.sample("strata_connections_refused_total", "reason=\"max_connections\"", m.connections_refused_max);
  w.sample("strata_connections_refused_total", "reason=\"open_files\"", m.connections_refused_descriptors);
  w.single("strata_connections_moved_total", "counter",
           "Connections moved to the shard owning the partitions they use.", m.connections_moved);
  write_requests(w,
                 {"strata_requests_total", "Requests answered, by API.", "strata_request_duration_seconds",
                  "Time from a request's arrival to its answer, by API."},
                 m.apis, api_label);
  write_requests(w,
                 {"strata_kafka_requests_total", "Kafka-protocol requests answered, by Kafka API.",
                  "strata_kafka_request_duration_seconds",
                  "Time from a Kafka-protocol request's arrival to its answer, by Kafka API."},
                 m.kafka_apis, kafka_api_label);
  w.family("strata_request_errors_total", "counter",
           "Errors answered, by API and error code (one per failed partition or topic, or per failed request).");
  for (std::size_t a = 0; a < kApiSlots; ++a) {
    for (std::size_t e = 1; e < kErrorSlots; ++e) {
      if (m.apis[a].errors[e] == 0) continue;
      const auto name = protocol::error_info(static_cast<protocol::ErrorCode>(e)).name;
      w.sample("strata_request_errors_total", api_label(a) + ",error=\"" + std::string(name) + "\"",
               m.apis[a].errors[e]);
    }
  }
  w.family("strata_produce_batch_bytes", "histogram", "Size of each appended batch.");
  w.histogram("strata_produce_batch_bytes", "", m.produce_batch_bytes);
  w.family("strata_produce_batch_records", "histogram", "Records in each appended batch.");
  w.histogram("strata_produce_batch_records", "", m.produce_batch_records);
  w.family("strata_fsync_duration_seconds", "histogram",
           "Duration of each partition sync (group commit for acks=durable, background flush).");
  w.histogram("strata_fsync_duration_seconds", "", m.fsync_seconds);
  w.family("strata_group_commit_offsets", "histogram", "Offsets made durable by one sync.");
  w.histogram("strata_group_commit_offsets", "", m.group_commit_offsets);
  w.single("strata_fsync_errors_total", "counter", "Syncs that failed (the partition turns read-only).",
           m.fsync_errors);
  w.single("strata_retention_deleted_segments_total", "counter", "Segments deleted by retention.",
           m.retention_segments_deleted);
  w.single("strata_retention_freed_bytes_total", "counter", "Bytes freed by retention.", m.retention_bytes_freed);
}

void write_topics(Writer& w, const std::map<std::string, TopicTotals>& topics) {
  struct Family {
    const char* name;
    const char* type;
    const char* help;
    std::uint64_t (*get)(const TopicTotals&);
  };
  static const Family families[] = {
      {"strata_messages_in_total", "counter", "Records appended, by topic (retries answered as duplicates not counted).",
       [](const TopicTotals& t) { return t.messages_in; }},
      {"strata_bytes_in_total", "counter", "Batch bytes appended, by topic.",
       [](const TopicTotals& t) { return t.bytes_in; }},
      {"strata_messages_out_total", "counter", "Records sent to consumers, by topic.",
       [](const TopicTotals& t) { return t.out.messages; }},
      {"strata_bytes_out_total", "counter", "Record bytes sent to consumers, by topic.",
       [](const TopicTotals& t) { return t.out.bytes; }},
      {"strata_topic_partitions", "gauge", "Partitions of the topic.", [](const TopicTotals& t) { return t.partitions; }},
      {"strata_topic_size_bytes", "gauge", "Bytes on disk over the topic's partitions.",
       [](const TopicTotals& t) { return t.size_bytes; }},
      {"strata_topic_segments", "gauge", "Segments over the topic's partitions.",
       [](const TopicTotals& t) { return t.segments; }},
  };
  for (const auto& f : families) {
    w.family(f.name, f.type, f.help);
    for (const auto& [topic, t] : topics) w.sample(f.name, topic_label(topic), f.get(t));
  }
}

void write_partitions(Writer& w, std::span<const ShardSample> shards) {
  struct Family {
    const char* name;
    const char* help;
    std::uint64_t PartitionSample::*field;
  };
  static const Family families[] = {
      {"strata_partition_log_start_offset", "First offset kept.", &PartitionSample::log_start},
      {"strata_partition_log_end_offset", "Offset the next record gets.", &PartitionSample::log_end},
      {"strata_partition_size_bytes", "Bytes of the partition's segments on disk.", &PartitionSample::size_bytes},
      {"strata_partition_segments", "Segments of the partition.", &PartitionSample::segments},
  };
  for (const auto& f : families) {
    w.family(f.name, "gauge", f.help);
    for (const auto& s : shards) {
      for (const auto& p : s.partitions) {
        w.sample(f.name, topic_label(p.topic) + ",partition=\"" + std::to_string(p.partition) + "\"", p.*f.field);
      }
    }
  }
}

}  // namespace

std::string render_metrics(const ProcessSample& process, std::span<const ShardSample> shards, bool partition_level) {
  Writer w;
  write_process(w, process);
  ShardMetrics total;
  std::map<std::string, TopicTotals> topics;
  std::uint64_t scanned = 0;
  for (const auto& s : shards) {
    total.merge(s.metrics);
    for (const auto& p : s.partitions) {
      TopicTotals& t = topics[p.topic];
      ++t.partitions;
      t.size_bytes += p.size_bytes;
      t.segments += p.segments;
      t.messages_in += p.messages_in;
      t.bytes_in += p.bytes_in;
      scanned += p.recovery_bytes_scanned;
    }
  }
  // Traffic out of topics that no longer exist is left out.
  for (const auto& [topic, out] : total.topic_out) {
    if (auto it = topics.find(topic); it != topics.end()) it->second.out = out;
  }
  w.single("strata_recovery_scanned_bytes", "gauge", "Bytes validated batch by batch when the partitions opened.",
           scanned);
  write_shards(w, total);
  write_topics(w, topics);
  if (partition_level) write_partitions(w, shards);
  return w.take();
}

}  // namespace strata::broker
