#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test.
# CI (.ci/run) runs exactly this. Three stages, each must pass:
#   1. Release build (build/), every doctest case through ctest;
#   2. the libFuzzer targets (scripts/fuzz.sh), FUZZ_SECONDS each;
#   3. the whole suite again built with AddressSanitizer and
#      UndefinedBehaviorSanitizer (build-asan/), broker processes included.
# STRATA_TEST_STAGES picks stages (default "release fuzz asan"), e.g.
# STRATA_TEST_STAGES=release for a quick local run. Extra arguments go to
# cmake for the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${STRATA_TEST_STAGES:-release fuzz asan}
jobs=$(nproc)

run_ctest() {  # build dir, then extra ctest arguments
  local dir=$1
  shift
  ctest --test-dir "$dir" -j"$jobs" --output-on-failure --timeout 600 "$@"
}

for stage in $stages; do
  case $stage in
    release)
      echo "== stage release: build and ctest (${BUILD_DIR:-build})"
      scripts/build.sh "$@"
      run_ctest "${BUILD_DIR:-build}"
      ;;
    fuzz)
      echo "== stage fuzz: every libFuzzer target for ${FUZZ_SECONDS:-20} s"
      FUZZ_SECONDS=${FUZZ_SECONDS:-20} scripts/fuzz.sh
      ;;
    asan)
      echo "== stage asan: build with ASan+UBSan and ctest (build-asan)"
      # halt_on_error/abort: any report fails the test that caused it.
      export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
      export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
      BUILD_DIR=build-asan BUILD_TYPE=RelWithDebInfo scripts/build.sh -DSTRATA_SANITIZE=ON
      run_ctest build-asan
      ;;
    *)
      echo "test.sh: unknown stage '$stage' in STRATA_TEST_STAGES (use release, fuzz, asan)" >&2
      exit 2
      ;;
  esac
done
