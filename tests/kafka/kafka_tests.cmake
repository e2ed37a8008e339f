# The Kafka wire codecs (protocol/kafka): every (API, version) against fixed
# bytes, and hostile input. strata_unit_test comes from tests/CMakeLists.txt.
strata_unit_test(kafka_protocol_tests
  SOURCES kafka/kafka_samples.cpp
          kafka/kafka_header_test.cpp
          kafka/kafka_produce_fetch_test.cpp
          kafka/kafka_offsets_metadata_test.cpp
          kafka/kafka_admin_test.cpp
          kafka/kafka_hostile_input_test.cpp
          kafka/kafka_mapping_test.cpp
  LIBS strata_kafka_protocol)

# The real Kafka clients (tests/kafka_clients/README.md) are installed and run.
add_test(NAME kafka_clients:installed COMMAND ${PROJECT_SOURCE_DIR}/tests/kafka_clients/check_clients.sh)

# The librdkafka benchmark program (built when librdkafka-dev is installed).
include(${CMAKE_CURRENT_SOURCE_DIR}/bench/kafka_bench.cmake)
