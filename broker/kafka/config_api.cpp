// DescribeConfigs (Kafka key 32, v0-2), AlterConfigs (33, v0-1: the given
// set replaces the topic's configs, unnamed keys return to defaults) and
// IncrementalAlterConfigs (44, v0-1: only the named keys change). Topic
// resources only; a broker resource is answered INVALID_REQUEST naming
// what to ask instead. Changes apply through the service's alter_configs
// on shard 0.
#include "broker/core/topic_queries.h"
#include "broker/kafka/kafka_config_settings.h"
#include "broker/kafka/kafka_handlers.h"

namespace strata::broker::kafka {

namespace {

constexpr auto kTopic = static_cast<std::int8_t>(wire::ResourceType::topic);
constexpr std::string_view kTopicsOnly = "strata serves topic configs only (resource type 2)";

// One resource of an Alter: checks, then the changes applied (unless validate_only).
awaitable<wire::AlterConfigsResourceResponse> alter_one(KafkaCall call, std::int8_t type, std::string name,
                                                        wire::ConfigChanges changes, bool validate_only) {
  wire::AlterConfigsResourceResponse out;
  out.resource_type = type;
  out.resource_name = name;
  if (type != kTopic) {
    out.error = wire::KafkaError::invalid_request;
    out.error_message = std::string(kTopicsOnly);
    co_return out;
  }
  if (changes.error != wire::KafkaError::none) {
    out.error = changes.error;
    out.error_message = std::move(changes.message);
    co_return out;
  }
  const TopicConfigs found = describe_configs(call.broker, name);
  Status status = found.status;
  if (status.ok() && !validate_only && !changes.changes.empty()) {
    std::vector<ConfigSetting> settings = settings_for(call.broker.config().topic_defaults, changes);
    status = co_await on_admin(call.broker, call.broker.alter_configs(name, std::move(settings)));
  }
  out.error = error_for(call, status.code);
  if (!status.ok()) out.error_message = std::move(status.message);
  co_return out;
}

// Either Alter API: each resource's changes (by Kafka's meaning for that
// API), applied one after the other.
template <typename Request, typename Config>
awaitable<Response> alter_all(KafkaCall call, Request request,
                              wire::ConfigChanges (*changes_for)(const std::vector<Config>&)) {
  wire::AlterConfigsResponse response;
  for (auto& res : request.resources) {
    wire::ConfigChanges changes = changes_for(res.configs);
    wire::AlterConfigsResourceResponse done = co_await alter_one(call, res.resource_type, std::move(res.resource_name),
                                                                 std::move(changes), request.validate_only);
    response.resources.push_back(std::move(done));
  }
  co_return kafka_frame(call, response);
}

}  // namespace

awaitable<Response> describe_configs_api(KafkaCall call, wire::DescribeConfigsRequest request) {
  wire::DescribeConfigsResponse response;
  for (const auto& res : request.resources) {
    auto& out = response.results.emplace_back();
    out.resource_type = res.resource_type;
    out.resource_name = res.resource_name;
    if (res.resource_type != kTopic) {
      out.error = wire::KafkaError::invalid_request;
      out.error_message = std::string(kTopicsOnly);
      continue;
    }
    TopicConfigs found = describe_configs(call.broker, res.resource_name);
    if (!found.status.ok()) {
      out.error = error_for(call, found.status.code);
      out.error_message = std::move(found.status.message);
      continue;
    }
    const wire::ConfigLookup lookup = lookup_in(call.broker.config().topic_defaults, std::move(found.configs));
    out.configs = wire::describe_topic_configs(lookup,
                                               res.configuration_keys, request.include_synonyms);
  }
  co_return kafka_frame(call, response);
}

awaitable<Response> alter_configs_api(KafkaCall call, wire::AlterConfigsRequest request) {
  Response out = co_await alter_all(call, std::move(request), &wire::changes_for_alter);
  co_return out;
}

awaitable<Response> incremental_alter_configs_api(KafkaCall call, wire::IncrementalAlterConfigsRequest request) {
  Response out = co_await alter_all(call, std::move(request), &wire::changes_for_incremental);
  co_return out;
}

}  // namespace strata::broker::kafka
