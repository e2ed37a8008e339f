#!/usr/bin/env bash
# Checks that every Kafka client the front-door tests use is installed and
# runs: kcat, Debian's confluent-kafka under /usr/bin/python3, librdkafka's
# headers, and the pinned kafkajs from the npm cache. Exits non-zero naming
# the first one missing and the command that installs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "kafka clients: $1 (run scripts/install-deps.sh)" >&2; exit 1; }

kcat -V >/dev/null 2>&1 || fail "kcat does not run"
/usr/bin/python3 -c 'import confluent_kafka, sys; sys.exit(0 if confluent_kafka.version()[0] == "1.7.0" else 1)' \
  || fail "confluent_kafka 1.7.0 does not import under /usr/bin/python3"
[ -f /usr/include/librdkafka/rdkafka.h ] || fail "librdkafka-dev headers missing"
node_path=$(scripts/install-kafka-clients.sh --print-node-path)
NODE_PATH=$node_path node -e '
  const v = require("kafkajs/package.json").version;
  if (v !== "2.2.4" || typeof require("kafkajs").Kafka !== "function") process.exit(1);' \
  || fail "kafkajs 2.2.4 does not load from $node_path"
echo "kafka clients: kcat, confluent-kafka 1.7.0, librdkafka-dev, kafkajs 2.2.4"
