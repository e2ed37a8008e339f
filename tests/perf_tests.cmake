# The perf tools (client/perf): the latency histogram as a unit, and the
# `strata perf` subcommands run against a real broker (counts, not timings).
strata_unit_test(perf_tests
  SOURCES unit/latency_histogram_test.cpp
          ${PROJECT_SOURCE_DIR}/client/perf/latency_histogram.cpp
          integration/broker_process.cpp
          integration/wire_client.cpp
          integration/test_util.cpp
          integration/cli_runner.cpp
          integration/client_test_util.cpp
          integration/perf_cli_test.cpp
  LIBS strata_client strata_protocol strata_storage)
target_compile_definitions(perf_tests PRIVATE STRATA_BROKER_BIN="$<TARGET_FILE:strata-broker>" STRATA_CLI_BIN="$<TARGET_FILE:strata>")
add_dependencies(perf_tests strata-broker strata)
