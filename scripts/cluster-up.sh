#!/usr/bin/env bash
# A local three-broker strata cluster with its own etcd, all on loopback
# (issue 17). Usage: scripts/cluster-up.sh [DIR] (default ./cluster-data).
# Brokers listen on 127.0.0.1:9101-9103 for strata's protocol and
# 127.0.0.1:9191-9193 for Kafka clients (metrics off); etcd on
# 127.0.0.1:23790 (peer 23800). STRATA_CLUSTER_PORT (default 9100) and
# STRATA_ETCD_PORT (default 23790) move them: broker N on PORT+N, its Kafka
# listener on PORT+90+N, etcd's peer port on ETCD_PORT+10.
# Stop it with: scripts/cluster-up.sh DIR stop   (kills the PIDs it recorded).
set -euo pipefail
dir=${1:-./cluster-data}
bin=${STRATA_BIN:-build/bin}
port=${STRATA_CLUSTER_PORT:-9100}
etcd_port=${STRATA_ETCD_PORT:-23790}
etcd_peer=$((etcd_port + 10))
mkdir -p "$dir"
if [[ ${2:-} == stop ]]; then
  # SIGTERM each recorded PID, then wait (bounded: 20 s, then SIGKILL) until
  # it is gone, so the data directories are quiet when this returns.
  pids=()
  for f in "$dir"/*.pid; do
    [[ -e $f ]] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null && pids+=("$pid")
    rm -f "$f"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  exit 0
fi
command -v etcd >/dev/null || { echo "etcd not found: run scripts/install-deps.sh" >&2; exit 1; }
etcd --name strata-local --data-dir "$dir/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "strata-local=http://127.0.0.1:$etcd_peer" \
  --heartbeat-interval 50 --election-timeout 500 >"$dir/etcd.log" 2>&1 &
echo $! >"$dir/etcd.pid"
for _ in $(seq 300); do
  grep -q "ready to serve client requests" "$dir/etcd.log" && break
  sleep 0.1
done
grep -q "ready to serve client requests" "$dir/etcd.log" || { echo "etcd did not start in 30 s: see $dir/etcd.log" >&2; exit 1; }
for id in 1 2 3; do
  "$bin/strata-broker" --node-id "$id" --etcd-endpoints "http://127.0.0.1:$etcd_port" \
    --listen "127.0.0.1:$((port + id))" --kafka-listen "127.0.0.1:$((port + 90 + id))" \
    --metrics-listen "" --data-dir "$dir/broker$id" \
    >"$dir/broker$id.log" 2>&1 &
  echo $! >"$dir/broker$id.pid"
done
for id in 1 2 3; do
  for _ in $(seq 300); do
    grep -q "listening on" "$dir/broker$id.log" && break
    sleep 0.1
  done
  grep -q "listening on" "$dir/broker$id.log" || { echo "broker $id did not start: see $dir/broker$id.log" >&2; exit 1; }
done
# Up means formed: every broker sees all three (a topic created before that
# would be spread over the brokers its creator had seen).
for id in 1 2 3; do
  for _ in $(seq 100); do
    [[ $("$bin/strata" -b "127.0.0.1:$((port + id))" cluster --format json 2>/dev/null | grep -o '"id":' | wc -l) == 3 ]] && break
    sleep 0.1
  done
done
echo "cluster up: --broker 127.0.0.1:$((port + 1)),127.0.0.1:$((port + 2)),127.0.0.1:$((port + 3)) (logs in $dir; stop: $0 $dir stop)"
