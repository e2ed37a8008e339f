#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build-fuzz/ and
# runs each on a copy of its seed corpus for FUZZ_SECONDS (default 30).
# Prints executions and crashes per target; exits non-zero if any crashed.
# Crash inputs are kept in build-fuzz/artifacts/<target>-crash-* (or
# -timeout-, -oom-, -leak-); replay one with build-fuzz/bin/fuzz_<target> FILE.
#   FUZZ_SECONDS=60 scripts/fuzz.sh [target...]     targets: request_decoder
#                                                   record_batch producer_snapshot segment_recovery
#                                                   kafka_request
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# Installs clang and libclang-rt-14-dev (libFuzzer, ASan, UBSan) with the rest.
scripts/install-deps.sh

BUILD_DIR=${BUILD_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
JOBS=${JOBS:-2}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(request_decoder record_batch producer_snapshot segment_recovery kafka_request); fi

CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRATA_FUZZ=ON \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build "$BUILD_DIR" -j"$JOBS" --target fuzz_targets

ARTIFACTS="$BUILD_DIR/artifacts"
mkdir -p "$ARTIFACTS"
failed=0
summary=()
for t in "${targets[@]}"; do
  bin="$BUILD_DIR/bin/fuzz_$t"
  seeds="$ROOT/tests/fuzz/corpus/$t"
  [ -x "$bin" ] && [ -d "$seeds" ] || { echo "fuzz: unknown target $t" >&2; exit 2; }
  work="$BUILD_DIR/corpus/$t"
  rm -rf "$work"
  mkdir -p "$work"
  cp "$seeds"/* "$work"/
  log="$BUILD_DIR/fuzz-$t.log"
  before=$(find "$ARTIFACTS" -name "$t-*" | wc -l)
  echo "fuzz: $t for ${FUZZ_SECONDS}s (log: $log)"
  set +e
  "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$ARTIFACTS/$t-" "$work" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  crashes=$(( $(find "$ARTIFACTS" -name "$t-*" | wc -l) - before ))
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi  # died without an artifact
  line="$t: ${execs:-?} executions (${rate:-?}/s), $crashes crashes"
  if [ "$crashes" -gt 0 ]; then
    failed=1
    line="$line; see $log and $ARTIFACTS/$t-*"
    grep -m1 -E "FUZZ_CHECK failed|ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error" "$log" >&2 || true
  fi
  summary+=("$line")
done
echo "fuzz summary:"
printf '  %s\n' "${summary[@]}"
exit "$failed"
