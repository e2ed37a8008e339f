// One decoded Kafka request of any served API: the front door's dispatch
// input. decode_request picks the body decoder the header's API key names.
#pragma once

#include <variant>

#include "protocol/kafka/alter_configs.h"
#include "protocol/kafka/api_versions.h"
#include "protocol/kafka/create_topics.h"
#include "protocol/kafka/delete_topics.h"
#include "protocol/kafka/describe_configs.h"
#include "protocol/kafka/fetch.h"
#include "protocol/kafka/find_coordinator.h"
#include "protocol/kafka/frame.h"
#include "protocol/kafka/incremental_alter_configs.h"
#include "protocol/kafka/init_producer_id.h"
#include "protocol/kafka/list_offsets.h"
#include "protocol/kafka/metadata.h"
#include "protocol/kafka/produce.h"

namespace strata::kafka {

using KafkaRequest =
    std::variant<ProduceRequest, FetchRequest, ListOffsetsRequest, MetadataRequest, FindCoordinatorRequest,
                 ApiVersionsRequest, CreateTopicsRequest, DeleteTopicsRequest, InitProducerIdRequest,
                 DescribeConfigsRequest, AlterConfigsRequest, IncrementalAlterConfigsRequest>;

// Decodes the body of a request whose header is `header`. Errors:
// unknown_api, unsupported_version, or the body's decode error. Views into
// `body` (Produce records) live as long as it.
[[nodiscard]] Result<KafkaRequest> decode_request(const RequestHeader& header, Bytes body);

}  // namespace strata::kafka
