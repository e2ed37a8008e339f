// The topic description APIs: DescribeConfigs (7) and DescribeRetention (10).
#include "broker/core/topic_queries.h"
#include "broker/native/request_handlers.h"
#include "broker/ops/metrics.h"
#include "protocol/retention_messages.h"

namespace strata::broker {

namespace {

// The wire's reason numbers are storage's.
constexpr bool same_number(protocol::RetentionReason wire, storage::RetentionHold hold) {
  return static_cast<int>(wire) == static_cast<int>(hold);
}
static_assert(same_number(protocol::RetentionReason::active_segment, storage::RetentionHold::active_segment) &&
              same_number(protocol::RetentionReason::time, storage::RetentionHold::time) &&
              same_number(protocol::RetentionReason::size, storage::RetentionHold::size) &&
              same_number(protocol::RetentionReason::future_timestamp, storage::RetentionHold::future_timestamp) &&
              same_number(protocol::RetentionReason::forever, storage::RetentionHold::forever) &&
              same_number(protocol::RetentionReason::due, storage::RetentionHold::due) &&
              protocol::kLastRetentionReason == static_cast<int>(storage::RetentionHold::due));

protocol::PartitionRetention to_wire(PartitionRetentionInfo info) {
  protocol::PartitionRetention r;
  r.partition = info.partition;
  r.error = native::to_wire(info.error);
  r.oldest_base_offset = info.status.oldest_base.value();
  r.oldest_size_bytes = info.status.oldest_size;
  r.oldest_max_timestamp = info.status.oldest_max_timestamp;
  r.segments = info.status.segments;
  r.reason = static_cast<protocol::RetentionReason>(info.status.hold);  // the same numbers
  r.reason_time = info.status.hold_until_ms;
  r.reason_text = std::move(info.text);
  return r;
}

}  // namespace

awaitable<Response> describe_configs_api(ApiRequest r) {
  auto req = decode_body<protocol::TopicRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed DescribeConfigs request");
  TopicConfigs found = describe_configs(r.broker, req->name);
  protocol::DescribeConfigsResponse m;
  m.error = native::to_wire(found.status.code);
  m.message = std::move(found.status.message);
  for (auto& c : found.configs) m.configs.push_back({std::move(c.key), std::move(c.value)});
  count_error(protocol::ApiKey::describe_configs, m.error);
  co_return encode_response(r.header.correlation_id, m);
}

awaitable<Response> describe_retention_api(ApiRequest r) {
  auto req = decode_body<protocol::TopicRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed DescribeRetention request");
  TopicRetention found = co_await describe_retention(r.broker, std::move(req->name));
  protocol::DescribeRetentionResponse m;
  m.error = native::to_wire(found.status.code);
  m.message = std::move(found.status.message);
  for (auto& p : found.partitions) m.partitions.push_back(to_wire(std::move(p)));
  co_return encode_response(r.header.correlation_id, m);
}

}  // namespace strata::broker
