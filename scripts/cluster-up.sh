#!/usr/bin/env bash
# A local three-broker strata cluster with its own etcd, all on loopback
# (issue 17). Usage: scripts/cluster-up.sh [DIR] (default ./cluster-data).
# Brokers listen on 127.0.0.1:9101-9103 (Kafka clients on 127.0.0.1:9111-9113,
# each its own: one default 9092 for all three would let only the first start;
# metrics off), etcd on 127.0.0.1:23790.
# Stop it with: scripts/cluster-up.sh DIR stop   (kills the PIDs it recorded).
set -euo pipefail
dir=${1:-./cluster-data}
bin=${STRATA_BIN:-build/bin}
mkdir -p "$dir"
if [[ ${2:-} == stop ]]; then
  for f in "$dir"/*.pid; do
    [[ -e $f ]] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  exit 0
fi
command -v etcd >/dev/null || { echo "etcd not found: run scripts/install-deps.sh" >&2; exit 1; }
etcd --name strata-local --data-dir "$dir/etcd" \
  --listen-client-urls http://127.0.0.1:23790 --advertise-client-urls http://127.0.0.1:23790 \
  --listen-peer-urls http://127.0.0.1:23800 --initial-advertise-peer-urls http://127.0.0.1:23800 \
  --initial-cluster strata-local=http://127.0.0.1:23800 \
  --heartbeat-interval 50 --election-timeout 500 >"$dir/etcd.log" 2>&1 &
echo $! >"$dir/etcd.pid"
for _ in $(seq 50); do
  grep -q "ready to serve client requests" "$dir/etcd.log" && break
  sleep 0.1
done
for id in 1 2 3; do
  "$bin/strata-broker" --node-id "$id" --etcd-endpoints http://127.0.0.1:23790 \
    --listen "127.0.0.1:910$id" --kafka-listen "127.0.0.1:911$id" --metrics-listen "" --data-dir "$dir/broker$id" \
    >"$dir/broker$id.log" 2>&1 &
  echo $! >"$dir/broker$id.pid"
done
for id in 1 2 3; do
  for _ in $(seq 100); do
    grep -q "listening on" "$dir/broker$id.log" && break
    sleep 0.1
  done
  grep -q "listening on" "$dir/broker$id.log" || { echo "broker $id did not start: see $dir/broker$id.log" >&2; exit 1; }
done
echo "cluster up: --broker 127.0.0.1:9101,127.0.0.1:9102,127.0.0.1:9103 (logs in $dir; stop: $0 $dir stop)"
