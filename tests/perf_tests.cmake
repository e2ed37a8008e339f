# The perf tools (client/perf): the latency histogram as a unit, and the
# `strata perf` subcommands run against a real broker (counts, not timings).
strata_unit_test(perf_tests
  SOURCES unit/latency_histogram_test.cpp
          ${PROJECT_SOURCE_DIR}/client/perf/latency_histogram.cpp
          integration/perf_cli_test.cpp
  LIBS strata_it_support)
add_dependencies(perf_tests strata-broker strata)
