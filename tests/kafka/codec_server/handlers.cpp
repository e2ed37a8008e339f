#include "tests/kafka/codec_server/handlers.h"

#include <algorithm>

#include "protocol/kafka/topic_configs.h"
#include "protocol/record_batch.h"

namespace strata::kafka::test {
namespace {

StoredTopic& create(Store& s, const std::string& name, std::int32_t partitions) {
  StoredTopic& t = s.topics[name];
  t.partitions.resize(static_cast<std::size_t>(partitions));
  return t;
}

MetadataTopic describe(const std::string& name, const StoredTopic& t) {
  MetadataTopic out{KafkaError::none, name, false, {}};
  for (std::size_t p = 0; p < t.partitions.size(); ++p) {
    out.partitions.push_back({KafkaError::none, static_cast<std::int32_t>(p), 0, {0}, {0}, {}});
  }
  return out;
}

StoredPartition* find(Store& s, const std::string& topic, std::int32_t partition) {
  auto it = s.topics.find(topic);
  if (it == s.topics.end() || partition < 0 || static_cast<std::size_t>(partition) >= it->second.partitions.size()) {
    return nullptr;
  }
  return &it->second.partitions[static_cast<std::size_t>(partition)];
}

// Appends every batch in `records`, stamping base offsets; the first batch's base offset, or an error.
ProducePartitionResponse append(StoredPartition& p, std::int32_t index, Bytes records) {
  ProducePartitionResponse out{index, KafkaError::none, p.log_end, -1, 0};
  while (!records.empty()) {
    auto h = protocol::decode_header(records);
    if (!h || h.value().total_size() > records.size()) return {index, KafkaError::corrupt_message, -1, -1, 0};
    std::vector<std::uint8_t> batch(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(h.value().total_size()));
    protocol::stamp_base_offset(batch, static_cast<std::uint64_t>(p.log_end));
    p.log_end += h.value().last_offset_delta + 1;
    p.batches.push_back(std::move(batch));
    p.next_offsets.push_back(p.log_end);
    records = records.subspan(h.value().total_size());
  }
  return out;
}

void apply(StoredTopic& t, const ConfigChanges& c) {
  for (const auto& ch : c.changes) {
    if (ch.value) {
      t.configs[std::string(ch.spec->key)] = *ch.value;
    } else {
      t.configs.erase(std::string(ch.spec->key));
    }
  }
}

template <typename Request, typename Changes>
AlterConfigsResponse alter(Store& s, const Request& r, Changes changes_for) {
  AlterConfigsResponse out;
  for (const auto& res : r.resources) {
    AlterConfigsResourceResponse rr{KafkaError::none, std::nullopt, res.resource_type, res.resource_name};
    auto it = s.topics.find(res.resource_name);
    const ConfigChanges c = changes_for(res.configs);
    if (it == s.topics.end()) {
      rr.error = KafkaError::unknown_topic_or_partition;
    } else if (c.error != KafkaError::none) {
      rr.error = c.error;
      rr.error_message = c.message;
    } else if (!r.validate_only) {
      apply(it->second, c);
    }
    out.resources.push_back(rr);
  }
  return out;
}

}  // namespace

MetadataResponse handle(Store& s, const ServerInfo& info, const MetadataRequest& r) {
  MetadataResponse out;
  out.brokers.push_back({0, "127.0.0.1", info.port, std::nullopt});
  out.cluster_id = "strata-codec-test";
  out.controller_id = 0;
  if (!r.topics) {
    for (const auto& [name, t] : s.topics) out.topics.push_back(describe(name, t));
    return out;
  }
  for (const auto& name : *r.topics) {
    auto it = s.topics.find(name);
    if (it != s.topics.end()) {
      out.topics.push_back(describe(name, it->second));
    } else if (r.allow_auto_topic_creation) {
      out.topics.push_back(describe(name, create(s, name, 1)));
    } else {
      out.topics.push_back({KafkaError::unknown_topic_or_partition, name, false, {}});
    }
  }
  return out;
}

ProduceResponse handle(Store& s, const ProduceRequest& r) {
  ProduceResponse out;
  for (const auto& t : r.topics) {
    ProduceTopicResponse tr{t.name, {}};
    for (const auto& p : t.partitions) {
      StoredPartition* sp = find(s, t.name, p.partition);
      if (sp == nullptr) {
        tr.partitions.push_back({p.partition, KafkaError::unknown_topic_or_partition, -1, -1, -1});
      } else if (!p.records) {
        tr.partitions.push_back({p.partition, KafkaError::corrupt_message, -1, -1, -1});
      } else {
        tr.partitions.push_back(append(*sp, p.partition, *p.records));
      }
    }
    out.topics.push_back(std::move(tr));
  }
  return out;
}

FetchResponse handle(Store& s, const FetchRequest& r, std::int16_t /*version*/,
                     std::vector<std::vector<std::uint8_t>>& records_keepalive) {
  FetchResponse out;
  for (const auto& t : r.topics) {
    FetchTopicResponse tr{t.name, {}};
    for (const auto& p : t.partitions) {
      FetchPartitionResponse pr;
      pr.partition = p.partition;
      StoredPartition* sp = find(s, t.name, p.partition);
      if (sp == nullptr) {
        pr.error = KafkaError::unknown_topic_or_partition;
      } else if (p.fetch_offset < 0 || p.fetch_offset > sp->log_end) {
        pr.error = KafkaError::offset_out_of_range;
        pr.high_watermark = pr.last_stable_offset = sp->log_end;
        pr.log_start_offset = 0;
      } else {
        pr.high_watermark = pr.last_stable_offset = sp->log_end;
        pr.log_start_offset = 0;
        std::vector<std::uint8_t> bytes;
        for (std::size_t i = 0; i < sp->batches.size(); ++i) {
          if (sp->next_offsets[i] <= p.fetch_offset) continue;
          if (!bytes.empty() && bytes.size() + sp->batches[i].size() > static_cast<std::size_t>(p.partition_max_bytes)) break;
          bytes.insert(bytes.end(), sp->batches[i].begin(), sp->batches[i].end());
        }
        records_keepalive.push_back(std::move(bytes));
        pr.records = {records_keepalive.back().data(), records_keepalive.back().size()};
        pr.records_size = static_cast<std::int32_t>(pr.records.size());
      }
      tr.partitions.push_back(pr);
    }
    out.topics.push_back(std::move(tr));
  }
  return out;
}

ListOffsetsResponse handle(Store& s, const ListOffsetsRequest& r) {
  ListOffsetsResponse out;
  for (const auto& t : r.topics) {
    ListOffsetsTopicResponse tr{t.name, {}};
    for (const auto& p : t.partitions) {
      StoredPartition* sp = find(s, t.name, p.partition);
      if (sp == nullptr) {
        tr.partitions.push_back({p.partition, KafkaError::unknown_topic_or_partition, -1, -1});
      } else {
        tr.partitions.push_back({p.partition, KafkaError::none, -1, p.timestamp == kEarliestTimestamp ? 0 : sp->log_end});
      }
    }
    out.topics.push_back(std::move(tr));
  }
  return out;
}

CreateTopicsResponse handle(Store& s, const CreateTopicsRequest& r) {
  CreateTopicsResponse out;
  for (const auto& t : r.topics) {
    const ConfigChanges c = changes_for_create(t.configs);
    if (s.topics.count(t.name) != 0) {
      out.topics.push_back({t.name, KafkaError::topic_already_exists, "topic exists"});
    } else if (c.error != KafkaError::none) {
      out.topics.push_back({t.name, c.error, c.message});
    } else {
      if (!r.validate_only) apply(create(s, t.name, t.num_partitions > 0 ? t.num_partitions : 1), c);
      out.topics.push_back({t.name, KafkaError::none, std::nullopt});
    }
  }
  return out;
}

DeleteTopicsResponse handle(Store& s, const DeleteTopicsRequest& r) {
  DeleteTopicsResponse out;
  for (const auto& name : r.topic_names) {
    const bool erased = s.topics.erase(name) != 0;
    out.topics.push_back({name, erased ? KafkaError::none : KafkaError::unknown_topic_or_partition});
  }
  return out;
}

DescribeConfigsResponse handle(Store& s, const DescribeConfigsRequest& r) {
  DescribeConfigsResponse out;
  for (const auto& res : r.resources) {
    DescribeConfigsResult dr{KafkaError::none, std::nullopt, res.resource_type, res.resource_name, {}};
    auto it = s.topics.find(res.resource_name);
    if (res.resource_type != static_cast<std::int8_t>(ResourceType::topic) || it == s.topics.end()) {
      dr.error = KafkaError::unknown_topic_or_partition;
    } else {
      const auto& configs = it->second.configs;
      dr.configs = describe_topic_configs(
          [&](const protocol::TopicConfigSpec& spec) {
            auto c = configs.find(std::string(spec.key));
            return c == configs.end() ? std::pair{spec.default_value, false} : std::pair{c->second, true};
          },
          res.configuration_keys, r.include_synonyms);
    }
    out.results.push_back(std::move(dr));
  }
  return out;
}

AlterConfigsResponse handle(Store& s, const AlterConfigsRequest& r) { return alter(s, r, changes_for_alter); }
AlterConfigsResponse handle(Store& s, const IncrementalAlterConfigsRequest& r) {
  return alter(s, r, changes_for_incremental);
}

InitProducerIdResponse handle(Store& s, const InitProducerIdRequest& r) {
  if (r.transactional_id) return {0, KafkaError::transactional_id_authorization_failed, -1, -1};
  return {0, KafkaError::none, s.next_producer_id++, 0};
}

FindCoordinatorResponse handle(Store&, const FindCoordinatorRequest&) { return {}; }

}  // namespace strata::kafka::test
