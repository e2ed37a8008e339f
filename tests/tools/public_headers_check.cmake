# Fails if a file of the integration or crash tests includes one of the
# client library's private headers ("client/..."): those tests use only the
# public API (strata/*.h), which proves it suffices (issue 26).
#
#   cmake -DSOURCE_DIR=<repo> -P tests/tools/public_headers_check.cmake
#
# The named exceptions, each saying why in its own header comment:
cmake_minimum_required(VERSION 3.20)
set(kAllowed
  # Puts the library's own client::Producer on a guarded page.
  "tests/integration/client_producer_lifetime_test.cpp"
  # Reads the library's Producer topic cache (cached_topic_count), which
  # the public Producer does not show.
  "tests/integration/client_producer_topic_cache_test.cpp"
  # Borrows the library's socket helper write_all instead of a twin.
  "tests/integration/lossy_proxy.cpp"
  # The strata CLI's /metrics parser and HTTP GET (client/cli): the CLI's
  # code, not the client library's, reused instead of a hand-written parser.
  "tests/integration/metrics_test_util.h")

if(NOT SOURCE_DIR)
  message(FATAL_ERROR "public_headers_check: pass -DSOURCE_DIR=<the repository>")
endif()
file(GLOB_RECURSE files RELATIVE "${SOURCE_DIR}"
     "${SOURCE_DIR}/tests/integration/*.h" "${SOURCE_DIR}/tests/integration/*.cpp"
     "${SOURCE_DIR}/tests/crash/*.h" "${SOURCE_DIR}/tests/crash/*.cpp")
list(LENGTH files count)
if(count EQUAL 0)
  message(FATAL_ERROR "public_headers_check: no test sources under ${SOURCE_DIR}/tests")
endif()
set(offenders "")
foreach(file IN LISTS files)
  if(file IN_LIST kAllowed)
    continue()
  endif()
  file(STRINGS "${SOURCE_DIR}/${file}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]client/")
  foreach(hit IN LISTS hits)
    string(APPEND offenders "\n  ${file}: ${hit}")
  endforeach()
endforeach()
if(offenders)
  message(FATAL_ERROR "Tests include the client library's private headers; use the public API "
                      "(#include \"strata/client.h\", strata/producer.h, strata/consumer.h, strata/errors.h) "
                      "or tests/integration/wire_client.h for raw frames:${offenders}")
endif()
message(STATUS "public_headers_check: ${count} test files, none includes a private client/ header "
               "outside the named exceptions")
