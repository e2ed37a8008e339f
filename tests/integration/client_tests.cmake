# Client library and CLI tests: a real strata-broker process, spoken to
# with the public client API (strata/*.h; private headers only in the
# exceptions tests/tools/public_headers_check.cmake names) and the `strata` binary.
strata_unit_test(client_tests
  SOURCES unit/frame_reader_test.cpp
          unit/blocking_connection_test.cpp
          unit/partition_queue_test.cpp
          integration/client_producer_lifetime_test.cpp
          integration/client_producer_topic_cache_test.cpp
          integration/client_producer_routing_test.cpp
          integration/client_producer_acks_test.cpp
          integration/client_producer_idempotence_test.cpp
          integration/client_producer_outage_test.cpp
          integration/lossy_proxy.cpp
          integration/client_consumer_test.cpp
          integration/client_batch_size_test.cpp
          integration/client_reconnect_test.cpp
          integration/client_corrupt_segment_test.cpp
          integration/cli_consume_test.cpp
          integration/cli_offsets_test.cpp
          integration/cli_json_test.cpp
          integration/cli_errors_test.cpp
          integration/cli_compression_test.cpp
          integration/client_producer_compression_test.cpp
          integration/cli_produce_exit_test.cpp
          integration/cli_produce_delivery_test.cpp
          integration/client_public_api_test.cpp
          integration/cli_timestamp_test.cpp
          integration/cli_broker_address_test.cpp
          integration/cli_offset_spec_test.cpp
          integration/cli_topic_alter_partitions_test.cpp
          integration/broker_config_file_test.cpp
  LIBS strata_it_support strata_build_info)
target_compile_definitions(client_tests PRIVATE STRATA_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(client_tests strata-broker strata)
