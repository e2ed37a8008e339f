#include "tests/kafka/kafka_samples.h"

#include "protocol/kafka/api_table.h"

namespace strata::kafka::test {

Be api_versions_request(std::int16_t v) {
  Be b;
  if (v >= 3) b.cstr("librdkafka").cstr("2.0.2").uv(0);
  return b;
}

Be produce_request(std::int16_t) {
  Be b;
  b.null_str().i16(-1).i32(30000);
  b.i32(1).str("t").i32(2);
  b.i32(0).i32(3).text("abc");
  b.i32(1).i32(-1);
  return b;
}

Be fetch_request(std::int16_t v) {
  Be b;
  b.i32(-1).i32(500).i32(1).i32(52428800).i8(0);
  if (v >= 7) b.i32(0).i32(-1);
  b.i32(1).str("t").i32(1).i32(0);
  if (v >= 9) b.i32(-1);
  b.i64(42);
  if (v >= 5) b.i64(-1);
  b.i32(1048576);
  if (v >= 7) b.i32(1).str("old").i32(2).i32(1).i32(2);
  if (v >= 11) b.str("rack-a");
  return b;
}

Be list_offsets_request(std::int16_t v) {
  Be b;
  b.i32(-1);
  if (v >= 2) b.i8(1);
  b.i32(1).str("t").i32(2).i32(0).i64(-2).i32(1).i64(-1);
  return b;
}

Be metadata_request(std::int16_t v) {
  Be b;
  b.i32(2).str("a").str("b");
  if (v >= 4) b.boolean(false);
  return b;
}

Be create_topics_request(std::int16_t v) {
  Be b;
  b.i32(1).str("new").i32(3).i16(-1).i32(0);
  b.i32(2).str("retention.ms").str("1000").str("segment.bytes").null_str();
  b.i32(5000);
  if (v >= 1) b.boolean(true);
  return b;
}

Be delete_topics_request(std::int16_t) {
  Be b;
  b.i32(2).str("a").str("b").i32(1000);
  return b;
}

Be describe_configs_request(std::int16_t v) {
  Be b;
  b.i32(2).i8(2).str("t").i32(-1).i8(2).str("u").i32(1).str("retention.ms");
  if (v >= 1) b.boolean(true);
  return b;
}

Be alter_configs_request(std::int16_t) {
  Be b;
  b.i32(1).i8(2).str("t").i32(2).str("retention.ms").str("1000").str("segment.bytes").null_str();
  b.boolean(false);
  return b;
}

Be incremental_alter_configs_request(std::int16_t v) {
  Be b;
  if (v == 0) {
    b.i32(1).i8(2).str("t").i32(2);
    b.str("retention.ms").i8(0).str("1000");
    b.str("segment.bytes").i8(1).null_str();
    b.boolean(true);
  } else {  // flexible: compact lengths, a tagged-field count after every struct
    b.uv(2).i8(2).cstr("t").uv(3);
    b.cstr("retention.ms").i8(0).cstr("1000").uv(0);
    b.cstr("segment.bytes").i8(1).uv(0).uv(0);
    b.uv(0);  // resource's tags
    b.boolean(true).uv(0);
  }
  return b;
}

Be init_producer_id_request(std::int16_t) {
  Be b;
  b.null_str().i32(60000);
  return b;
}

Be find_coordinator_request(std::int16_t v) {
  Be b;
  b.str("group-1");
  if (v >= 1) b.i8(0);
  return b;
}

std::string Sample::name() const {
  const ApiVersionRange* api = find_api(api_key);
  return std::string(api != nullptr ? api->name : "?") + " v" + std::to_string(version);
}

std::vector<Sample> all_request_samples() {
  std::vector<Sample> out;
  for (const ApiVersionRange& api : supported_apis()) {
    for (std::int16_t v = api.min_version; v <= api.max_version; ++v) {
      Be body;
      switch (api.key) {
        case ApiKey::api_versions: body = api_versions_request(v); break;
        case ApiKey::produce: body = produce_request(v); break;
        case ApiKey::fetch: body = fetch_request(v); break;
        case ApiKey::list_offsets: body = list_offsets_request(v); break;
        case ApiKey::metadata: body = metadata_request(v); break;
        case ApiKey::create_topics: body = create_topics_request(v); break;
        case ApiKey::delete_topics: body = delete_topics_request(v); break;
        case ApiKey::describe_configs: body = describe_configs_request(v); break;
        case ApiKey::alter_configs: body = alter_configs_request(v); break;
        case ApiKey::incremental_alter_configs: body = incremental_alter_configs_request(v); break;
        case ApiKey::init_producer_id: body = init_producer_id_request(v); break;
        case ApiKey::find_coordinator: body = find_coordinator_request(v); break;
      }
      out.push_back({static_cast<std::int16_t>(api.key), v, body});
    }
  }
  return out;
}

}  // namespace strata::kafka::test
