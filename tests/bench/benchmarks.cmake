# Benchmark programs that start a real strata-broker (print figures; not tests).
add_executable(partitions-bench
  bench/partitions_bench.cpp
  integration/broker_process.cpp
  integration/wire_client.cpp
  integration/test_util.cpp
  support/temp_dir.cpp)
target_link_libraries(partitions-bench PRIVATE strata_protocol strata_storage)
target_include_directories(partitions-bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR})
target_compile_options(partitions-bench PRIVATE -Wno-restrict -Wno-maybe-uninitialized)
target_compile_definitions(partitions-bench PRIVATE STRATA_BROKER_BIN="$<TARGET_FILE:strata-broker>")
add_dependencies(partitions-bench strata-broker)
