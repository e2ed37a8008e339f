# The kill -9 crash test: a program (not a doctest suite) that SIGKILLs a
# real strata-broker while producers write to it and checks the log against
# every acknowledged send. ctest runs it small, in both acknowledgement
# modes; full runs:
#   bin/strata-crash-test --acks durable --rounds 100
#   bin/strata-crash-test --acks leader --rounds 100 --rate 1000
# (--seed S repeats a run; --help lists every knob).
add_executable(strata-crash-test
  crash/crash_main.cpp
  crash/crash_options.cpp
  crash/crash_broker.cpp
  crash/crash_fleet.cpp
  crash/power_cut.cpp
  integration/etcd_process.cpp
  integration/net_lab.cpp
  crash/message_scheme.cpp
  crash/send_ledger.cpp
  crash/producer_worker.cpp
  crash/log_audit.cpp)
target_link_libraries(strata-crash-test PRIVATE strata_it_support)
target_include_directories(strata-crash-test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PROJECT_SOURCE_DIR})
# Same GCC 12 false positives as the doctest suites (see strata_unit_test).
target_compile_options(strata-crash-test PRIVATE -Wno-restrict -Wno-maybe-uninitialized)
add_dependencies(strata-crash-test strata-broker strata)

# Small enough for well under 60 s on 2 cores; each run gets a fresh seed,
# printed first, so a failure can be repeated with --seed.
add_test(NAME crash:durable COMMAND strata-crash-test --acks durable --rounds 20 --kill-min-ms 20 --kill-max-ms 250
                                                      --down-max-ms 100)
add_test(NAME crash:leader COMMAND strata-crash-test --acks leader --rounds 20 --kill-min-ms 20 --kill-max-ms 250
                                                     --down-max-ms 100 --rate 300)
# The producer without sequence numbers: retries may duplicate, never lose.
add_test(NAME crash:durable-no-idempotence COMMAND strata-crash-test --acks durable --rounds 10 --kill-min-ms 20
                                                   --kill-max-ms 250 --down-max-ms 100 --no-idempotence)
# The broker down longer than a second (issue 22): producers must ride it
# out with their delivery timeout, and no resend may be appended twice.
add_test(NAME crash:durable-long-down COMMAND strata-crash-test --acks durable --rounds 5 --kill-min-ms 200
                                                --kill-max-ms 1000 --down-max-ms 5000 --final-check-only)
# Every kill is also a power loss: what no sync made durable is dropped
# (tests/crash/power_cut.h); acks=durable must still lose nothing.
add_test(NAME crash:durable-power-loss COMMAND strata-crash-test --acks durable --rounds 10 --kill-min-ms 20
                                                 --kill-max-ms 250 --down-max-ms 100 --power-loss)
set_tests_properties(crash:durable crash:leader crash:durable-no-idempotence crash:durable-long-down
                     crash:durable-power-loss PROPERTIES TIMEOUT 120)
# Three brokers and their etcd; each round kills (with a power loss),
# pauses past the lease or partitions one of them. Skipped (77) without
# etcd or network namespaces.
add_test(NAME crash:cluster COMMAND strata-crash-test --acks durable --brokers 3 --rounds 6
                                    --faults kill,pause,partition --power-loss)
set_tests_properties(crash:cluster PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)

# The checker itself, on hand-made logs: it must see each kind of damage.
strata_unit_test(crash_audit_tests
  SOURCES crash/log_audit_test.cpp
          crash/log_audit.cpp
          crash/message_scheme.cpp
          crash/power_cut_test.cpp
          crash/power_cut.cpp
  LIBS strata_it_support)
