#include "protocol/kafka/request.h"

namespace strata::kafka {
namespace {

template <typename Request>
Result<KafkaRequest> decode_as(Bytes body, std::int16_t version) {
  auto decoded = Request::decode(body, version);
  if (!decoded) return decoded.error();
  return KafkaRequest{std::move(decoded).value()};
}

}  // namespace

Result<KafkaRequest> decode_request(const RequestHeader& header, Bytes body) {
  const ApiVersionRange* api = find_api(header.api_key);
  if (api == nullptr) return make_error_code(DecodeErrc::unknown_api);
  const std::int16_t v = header.api_version;
  switch (api->key) {
    case ApiKey::produce: return decode_as<ProduceRequest>(body, v);
    case ApiKey::fetch: return decode_as<FetchRequest>(body, v);
    case ApiKey::list_offsets: return decode_as<ListOffsetsRequest>(body, v);
    case ApiKey::metadata: return decode_as<MetadataRequest>(body, v);
    case ApiKey::find_coordinator: return decode_as<FindCoordinatorRequest>(body, v);
    case ApiKey::api_versions: return decode_as<ApiVersionsRequest>(body, v);
    case ApiKey::create_topics: return decode_as<CreateTopicsRequest>(body, v);
    case ApiKey::delete_topics: return decode_as<DeleteTopicsRequest>(body, v);
    case ApiKey::init_producer_id: return decode_as<InitProducerIdRequest>(body, v);
    case ApiKey::describe_configs: return decode_as<DescribeConfigsRequest>(body, v);
    case ApiKey::alter_configs: return decode_as<AlterConfigsRequest>(body, v);
    case ApiKey::incremental_alter_configs: return decode_as<IncrementalAlterConfigsRequest>(body, v);
  }
  return make_error_code(DecodeErrc::unknown_api);
}

}  // namespace strata::kafka
