#!/bin/bash
# The restart benchmark of README.md ("Restart after kill -9"), one step at a
# time, with a broker on 127.0.0.1:PORT and its data in DIR (log: DIR.log):
#   restart_bench.sh BROKER CLI DIR PORT fill MB PARTITIONS
#       topic t of PARTITIONS partitions, MB of 1,000-byte values from
#       `strata perf produce` (2 producers, acks=leader); 2 s for the
#       background flush; then kill -9. Prints the directory's size.
#   restart_bench.sh BROKER CLI DIR PORT restart [cold|warm]
#       (cold, as root: drops the page cache first) starts the broker, prints
#       its "loaded ..." and "ready in" lines and its read_bytes, kill -9.
# Each start waits at most 60 s for the broker to be ready.
set -u
BROKER=$1; CLI=$2; DATA=$3; PORT=$4; MODE=$5; shift 5
start() {
  "$BROKER" --listen 127.0.0.1:$PORT --kafka-listen 127.0.0.1:0 --data-dir "$DATA" "$@" > "$DATA.log" 2>&1 &
  BPID=$!
  for i in $(seq 1 600); do grep -q "ready in" "$DATA.log" && return 0; sleep 0.1; done
  echo "broker did not start"; cat "$DATA.log"; kill -9 $BPID; exit 1
}
if [ "$MODE" = fill ]; then
  MB=$1; PARTS=$2
  start
  N=$(( MB * 1024 * 1024 / 1000 ))
  "$CLI" --broker 127.0.0.1:$PORT perf produce --topic t --partitions $PARTS --messages $N --size 1000 --producers 2 --acks leader --json > "$DATA.fill.json" 2>&1
  sleep 2   # let the background flush (1 s) sync the tail: the checkpoint then covers it
  kill -9 $BPID; wait $BPID 2>/dev/null
  du -sb "$DATA" | cut -f1
elif [ "$MODE" = restart ]; then
  COLD=${1:-warm}
  sync
  if [ "$COLD" = cold ]; then echo 3 > /proc/sys/vm/drop_caches || echo "cannot drop caches"; fi
  R0=$(awk '/^read_bytes/ {print $2}' /proc/self/io 2>/dev/null)
  start
  grep -E "loaded [0-9]+ topics|ready in" "$DATA.log" | sed 's/^.*INFO  //'
  # bytes read from disk by the broker process
  awk '/^read_bytes/ {print "process read_bytes " $2}' /proc/$BPID/io
  kill -9 $BPID; wait $BPID 2>/dev/null
fi
