#!/usr/bin/env bash
# The run command: installs what is missing, builds (Release) and starts the
# broker on its defaults. Extra arguments go to strata-broker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [ ! -x build/bin/strata-broker ]; then
  echo "run-broker: built the storage engine and its tools into build/bin;" >&2
  echo "run-broker: the broker executable (strata-broker) does not exist yet (it lands with the broker issue)." >&2
  exit 1
fi
exec build/bin/strata-broker "$@"
