# kafka-bench (kafka_bench.cpp): librdkafka produce/consume throughput
# against a Kafka bootstrap address. Built only where librdkafka-dev is
# installed (scripts/install-deps.sh installs it).
find_path(RDKAFKA_INCLUDE_DIR librdkafka/rdkafka.h)
find_library(RDKAFKA_LIBRARY NAMES rdkafka)
if(RDKAFKA_INCLUDE_DIR AND RDKAFKA_LIBRARY)
  add_executable(kafka-bench bench/kafka_bench.cpp)
  target_include_directories(kafka-bench PRIVATE ${RDKAFKA_INCLUDE_DIR})
  target_link_libraries(kafka-bench PRIVATE ${RDKAFKA_LIBRARY})
else()
  message(STATUS "librdkafka-dev not found: kafka-bench is not built")
endif()
