#!/usr/bin/env bash
# Installs the npm-pinned Kafka clients of the Kafka front-door tests
# (tests/kafka_clients/package.json + package-lock.json: kafkajs 2.2.4) with
# `npm ci` into a cache directory keyed by the lockfile's hash, so the
# registry is asked once per lockfile and never again by the tests:
#   ${STRATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/strata}/kafka_clients/<sha256 of the lock>/node_modules
# Idempotent: an existing, complete install is left alone. Called by
# scripts/install-deps.sh (which installs node and npm from Debian if absent).
#   scripts/install-kafka-clients.sh                 install if missing
#   scripts/install-kafka-clients.sh --print-node-path   print the node_modules directory (NODE_PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
src=tests/kafka_clients
lock_hash=$(sha256sum "$src/package-lock.json" | cut -c1-16)
cache_root=${STRATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/strata}
dir="$cache_root/kafka_clients/$lock_hash"

if [ "${1:-}" = "--print-node-path" ]; then
  echo "$dir/node_modules"
  exit 0
fi

# The marker is written last: a half-finished install is redone.
if [ -f "$dir/.installed" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-kafka-clients: npm not found; run scripts/install-deps.sh" >&2; exit 1; }
echo "install-kafka-clients: npm ci into $dir" >&2
rm -rf "$dir"
mkdir -p "$dir"
cp "$src/package.json" "$src/package-lock.json" "$dir/"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
node -e "require(process.argv[1] + '/kafkajs')" "$dir/node_modules"
touch "$dir/.installed"
