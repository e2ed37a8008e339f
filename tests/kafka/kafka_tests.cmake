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
          kafka/kafka_semantics_test.cpp
  LIBS strata_kafka_protocol)

# The real Kafka clients (tests/kafka_clients/README.md) are installed and run.
add_test(NAME kafka_clients:installed COMMAND ${PROJECT_SOURCE_DIR}/tests/kafka_clients/check_clients.sh)

# The librdkafka benchmark program (built when librdkafka-dev is installed).
include(${CMAKE_CURRENT_SOURCE_DIR}/bench/kafka_bench.cmake)

# Real Kafka clients (kcat, confluent-kafka, kafkajs), unmodified, against
# strata-broker's Kafka port (tests/kafka/clients).
foreach(client kcat confluent kafkajs)
  add_test(NAME kafka_conformance:${client}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kafka/clients/kafka_conformance.py
                   $<TARGET_FILE:strata-broker> ${client})
  set_tests_properties(kafka_conformance:${client} PROPERTIES TIMEOUT 180)
endforeach()
# kcat and the strata CLI read each other's messages byte for byte; a key's
# partition from each side (librdkafka's CRC32 against strata's XXH3).
foreach(check interop placement)
  add_test(NAME kafka_conformance:${check}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kafka/clients/kafka_conformance.py
                   $<TARGET_FILE:strata-broker> ${check} $<TARGET_FILE:strata>)
  set_tests_properties(kafka_conformance:${check} PROPERTIES TIMEOUT 120)
endforeach()

# kcat against a three-broker cluster (scripts/cluster-up.sh, a real etcd)
# through one bootstrap address: Metadata names every broker and leader.
add_test(NAME kafka_conformance:cluster
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kafka/clients/kafka_cluster.py
                 $<TARGET_FILE_DIR:strata-broker> ${PROJECT_SOURCE_DIR})
set_tests_properties(kafka_conformance:cluster PROPERTIES TIMEOUT 240 SKIP_RETURN_CODE 77)

# The Kafka front door's adapter pieces in broker/kafka (pure functions).
strata_unit_test(kafka_adapter_tests
  SOURCES kafka/kafka_errors_test.cpp
          kafka/kafka_config_settings_test.cpp
  LIBS strata_broker)

# A real broker's Kafka port: hostile clients, options, Fetch semantics.
strata_unit_test(kafka_broker_tests
  SOURCES integration/broker_process.cpp
          integration/wire_client.cpp
          integration/test_util.cpp
          kafka/kafka_port_hostile_test.cpp
          kafka/kafka_front_door_test.cpp
  LIBS strata_protocol strata_storage)
target_compile_definitions(kafka_broker_tests PRIVATE STRATA_BROKER_BIN="$<TARGET_FILE:strata-broker>")
add_dependencies(kafka_broker_tests strata-broker)
