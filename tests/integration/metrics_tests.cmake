# The operations listener (/metrics, /healthz, /readyz), strata top, and
# Prometheus's own tools against a real broker.
strata_unit_test(metrics_tests
  SOURCES integration/broker_process.cpp
          integration/wire_client.cpp
          integration/test_util.cpp
          integration/cli_runner.cpp
          integration/client_test_util.cpp
          ${PROJECT_SOURCE_DIR}/client/cli/metrics_text.cpp
          integration/broker_metrics_test.cpp
          integration/metrics_prometheus_test.cpp
  LIBS strata_client strata_protocol strata_storage)
target_compile_definitions(metrics_tests PRIVATE STRATA_BROKER_BIN="$<TARGET_FILE:strata-broker>" STRATA_CLI_BIN="$<TARGET_FILE:strata>"
                           STRATA_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(metrics_tests strata-broker strata)
