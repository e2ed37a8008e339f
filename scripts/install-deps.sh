#!/usr/bin/env bash
# Installs the Debian 12 packages strata needs to build and test. Idempotent:
# packages already present are left alone and apt is not touched at all.
# Must run as root (or with sudo available) on a machine that reaches Debian's archive.
set -euo pipefail

packages=(cmake make g++ ccache libboost-dev libboost-program-options-dev libxxhash-dev doctest-dev zlib1g-dev libsnappy-dev liblz4-dev libzstd-dev
          python3 python3-snappy python3-lz4 python3-zstandard clang libclang-rt-14-dev pkgconf doxygen
          prometheus etcd-server nlohmann-json3-dev
          kcat python3-confluent-kafka librdkafka-dev strace)
# kcat, python3-confluent-kafka (imports under /usr/bin/python3) and
# librdkafka-dev (tests/bench/kafka_bench.cpp) are the Kafka front door's real
# clients; strace shows the Kafka fetch path's sendfile in scripts/kafka_bench.sh. Node.js and npm, for kafkajs (pinned, installed by
# scripts/install-kafka-clients.sh below), come from Debian unless a node
# with its npm is on PATH already.
if ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
# prometheus and etcd-server ship daemons: installed with --no-install-recommends
# (below) and never started here; the tests run their own on loopback ports.
# etcd-server is cluster mode's metadata store (docs/DESIGN.md decision 13);
# nlohmann-json3-dev parses its JSON/HTTP gateway's answers.

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exec "$(dirname "$0")/install-kafka-clients.sh"
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Packages that ship daemons (prometheus, etcd-server) must not start them: a policy-rc.d
# that refuses every start, for the length of this install, unless the
# machine has one already.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# strata install-deps: no service starts during this install\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
"$(dirname "$0")/install-kafka-clients.sh"
