#!/usr/bin/env bash
# Produce throughput of one client over a three-broker cluster against one
# standalone broker (issue 17's README figure), on this machine, loopback
# only. Each run: `strata perf produce` of the same messages to a fresh
# 3-partition topic, bootstrapped from one broker; the client sends each
# partition's batches to its leader. Runs alternate (standalone, cluster,
# standalone, ...); prints every run and the medians.
#   scripts/cluster_bench.sh [RUNS (3)] [MESSAGES (3000000)] [SIZE (100)]
# Uses scripts/cluster-up.sh (brokers on 127.0.0.1:9101-9103, etcd on
# 127.0.0.1:23790) and a standalone broker on 127.0.0.1:9104; everything it
# starts is stopped, and its temp dir removed, on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3} messages=${2:-3000000} size=${3:-100}
bin=${STRATA_BIN:-build/bin}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/strata-cluster-bench.XXXXXX")
standalone_pid=
cleanup() {
  STRATA_BIN=$bin scripts/cluster-up.sh "$tmp/cluster" stop || true
  [[ -n $standalone_pid ]] && kill "$standalone_pid" 2>/dev/null && wait "$standalone_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
STRATA_BIN=$bin scripts/cluster-up.sh "$tmp/cluster" >&2
"$bin/strata-broker" --listen 127.0.0.1:9104 --kafka-listen "" --metrics-listen "" --data-dir "$tmp/standalone" \
  >"$tmp/standalone.log" 2>&1 &
standalone_pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$tmp/standalone.log" && break
  sleep 0.1
done

run() {  # ADDRESS TOPIC -> msgs/s
  "$bin/strata" -b "$1" perf produce --topic "$2" --partitions 3 --messages "$messages" --size "$size" \
    --keys 100000 --json | sed -n 's/.*"msgs_per_sec":\([0-9]*\).*/\1/p' | head -1
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

one=() three=()
for r in $(seq "$runs"); do
  one+=("$(run 127.0.0.1:9104 "bench-one-$r")")
  three+=("$(run 127.0.0.1:9101 "bench-three-$r")")
  echo "run $r: 1 broker ${one[-1]} msgs/s, 3 brokers ${three[-1]} msgs/s" >&2
done
m1=$(printf '%s\n' "${one[@]}" | median)
m3=$(printf '%s\n' "${three[@]}" | median)
echo "| produce, 1 client, $messages x $size B (keys from 100,000), 3 partitions, acks=leader | 1 broker: $m1 msgs/s (runs ${one[*]}) | 3 brokers: $m3 msgs/s (runs ${three[*]}) | ratio $(awk -v a="$m3" -v b="$m1" 'BEGIN {printf "%.2f", a / b}') |"
