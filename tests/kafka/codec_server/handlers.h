// Request handlers of the codec conformance server: each turns a decoded
// Kafka request into a response struct, against the in-memory Store.
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/kafka/request.h"
#include "tests/kafka/codec_server/store.h"

namespace strata::kafka::test {

struct ServerInfo {
  std::int32_t port = 0;
  bool log_requests = false;  // one stderr line per request: API name and version
};

MetadataResponse handle(Store& s, const ServerInfo& info, const MetadataRequest& r);
ProduceResponse handle(Store& s, const ProduceRequest& r);
FetchResponse handle(Store& s, const FetchRequest& r, std::int16_t version,
                     std::vector<std::vector<std::uint8_t>>& records_keepalive);
ListOffsetsResponse handle(Store& s, const ListOffsetsRequest& r);
CreateTopicsResponse handle(Store& s, const CreateTopicsRequest& r);
DeleteTopicsResponse handle(Store& s, const DeleteTopicsRequest& r);
DescribeConfigsResponse handle(Store& s, const DescribeConfigsRequest& r);
AlterConfigsResponse handle(Store& s, const AlterConfigsRequest& r);
AlterConfigsResponse handle(Store& s, const IncrementalAlterConfigsRequest& r);
InitProducerIdResponse handle(Store& s, const InitProducerIdRequest& r);
FindCoordinatorResponse handle(Store& s, const FindCoordinatorRequest& r);

}  // namespace strata::kafka::test
