// The topic admin APIs, each a decode, one call of the service on the admin
// shard, and a StatusResponse: CreateTopic (5), DeleteTopic (6) and
// AlterConfigs (8).
#include "broker/native/request_handlers.h"

namespace strata::broker {

namespace {

std::vector<ConfigSetting> settings_of(std::vector<protocol::ConfigEntry> entries) {
  std::vector<ConfigSetting> out;
  out.reserve(entries.size());
  for (auto& e : entries) out.push_back({std::move(e.key), std::move(e.value)});
  return out;
}

}  // namespace

awaitable<Response> create_topic_api(ApiRequest r) {
  auto req = decode_body<protocol::CreateTopicRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed CreateTopic request");
  TopicSpec spec{std::move(req->name), req->partitions, settings_of(std::move(req->configs))};
  auto op = r.broker.create_topic(std::move(spec));
  Response out = co_await status_on_admin(r, std::move(op));
  co_return out;
}

awaitable<Response> delete_topic_api(ApiRequest r) {
  auto req = decode_body<protocol::TopicRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed DeleteTopic request");
  auto op = r.broker.delete_topic(std::move(req->name));
  Response out = co_await status_on_admin(r, std::move(op));
  co_return out;
}

awaitable<Response> alter_configs_api(ApiRequest r) {
  auto req = decode_body<protocol::AlterConfigsRequest>(r.body());
  if (!req) co_return invalid_request(r.header.correlation_id, "malformed AlterConfigs request");
  auto op = r.broker.alter_configs(std::move(req->name), settings_of(std::move(req->configs)));
  Response out = co_await status_on_admin(r, std::move(op));
  co_return out;
}

}  // namespace strata::broker
