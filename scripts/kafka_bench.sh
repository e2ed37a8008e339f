#!/bin/bash
# The Kafka-port benchmark of README.md ("Kafka clients"): one broker, the
# same machine and run, librdkafka (build/bin/kafka-bench) on strata's Kafka
# port against `strata perf produce/consume` on strata's own protocol, for
# 100 B and 1 KiB values, RUNS runs each on fresh topics (medians printed).
# Then one librdkafka consume under `strace -c -f -e trace=sendfile` shows
# the Kafka fetch path's sendfile calls.
#   scripts/kafka_bench.sh [MESSAGES_100B] [MESSAGES_1KIB] [RUNS]
# Loopback ports 19392 (strata) and 19092 (Kafka); data in a temporary
# directory; the broker is stopped by its PID at the end.
set -eu
M100=${1:-1000000}; M1K=${2:-500000}; RUNS=${3:-3}
BIN=${BIN:-build/bin}
DATA=$(mktemp -d)
"$BIN/strata-broker" --data-dir "$DATA/data" --listen 127.0.0.1:19392 --kafka-listen 127.0.0.1:19092 \
  --metrics-listen "" > "$DATA/broker.log" 2>&1 &
BPID=$!
trap 'kill $BPID 2>/dev/null; wait $BPID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 100); do grep -q "ready in" "$DATA/broker.log" && break; sleep 0.1; done
grep -q "ready in" "$DATA/broker.log" || { cat "$DATA/broker.log"; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for size in 100 1024; do
  n=$([ "$size" = 100 ] && echo "$M100" || echo "$M1K")
  : > "$DATA/kp"; : > "$DATA/kc"; : > "$DATA/np"; : > "$DATA/nc"
  for run in $(seq "$RUNS"); do
    out=$(timeout 300 "$BIN/kafka-bench" --bootstrap 127.0.0.1:19092 --topic "k$size-$run" --messages "$n" \
          --sizes "$size" --partitions 4 --acks 1)
    echo "$out" | awk '/ produce /{print $(NF-5)}' >> "$DATA/kp"
    echo "$out" | awk '/ consume /{print $(NF-5)}' >> "$DATA/kc"
    timeout 300 "$BIN/strata" -b 127.0.0.1:19392 perf produce --topic "n$size-$run" --messages "$n" --size "$size" \
      --partitions 4 --acks leader | awk '/throughput/{print $2}' >> "$DATA/np"
    timeout 300 "$BIN/strata" -b 127.0.0.1:19392 perf consume --topic "n$size-$run" \
      | awk '/throughput/{print $2}' >> "$DATA/nc"
  done
  mb() { awk -v s="$size" '{printf "%.1f", $1 * s / 1e6}'; }
  for what in kp:"librdkafka -> Kafka port, produce" kc:"librdkafka -> Kafka port, consume" \
              np:"strata perf -> strata port, produce" nc:"strata perf -> strata port, consume"; do
    file=${what%%:*}; label=${what#*:}
    m=$(median < "$DATA/$file")
    printf '%5s B  %-38s median of %d: %9s msgs/s  %7s MB/s   (runs: %s)\n' "$size" "$label" "$RUNS" "$m" \
      "$(echo "$m" | mb)" "$(tr '\n' ' ' < "$DATA/$file")"
  done
done

echo "sendfile on the Kafka fetch path (strace -c -f -e trace=sendfile on the broker during one consume):"
strace -c -f -e trace=sendfile -p "$BPID" -o "$DATA/strace" &
SPID=$!
sleep 1
timeout 300 "$BIN/kafka-bench" --bootstrap 127.0.0.1:19092 --topic sendfile-check --messages "$M1K" --sizes 1024 \
  --partitions 4 --acks 1 | grep consume
kill -INT $SPID; wait $SPID 2>/dev/null || true
cat "$DATA/strace"
