# Benchmark programs that start a real strata-broker (print figures; not tests).
add_executable(partitions-bench
  bench/partitions_bench.cpp)
target_link_libraries(partitions-bench PRIVATE strata_it_support)
target_include_directories(partitions-bench PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR})
target_compile_options(partitions-bench PRIVATE -Wno-restrict -Wno-maybe-uninitialized)
add_dependencies(partitions-bench strata-broker)
