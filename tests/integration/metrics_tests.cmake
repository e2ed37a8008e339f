# The operations listener (/metrics, /healthz, /readyz), strata top, and
# Prometheus's own tools against a real broker.
strata_unit_test(metrics_tests
  SOURCES ${PROJECT_SOURCE_DIR}/client/cli/metrics_text.cpp
          integration/broker_metrics_test.cpp
          integration/metrics_prometheus_test.cpp
  LIBS strata_it_support)
target_compile_definitions(metrics_tests PRIVATE STRATA_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(metrics_tests strata-broker strata)
