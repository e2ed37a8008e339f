#!/usr/bin/env bash
# The Debian package end to end: cpack builds strata_<version>_<arch>.deb
# from the build directory; dpkg -i installs it on this machine with a
# policy-rc.d that forbids starting services (brokers of other tests use
# the ports); the files, the user, the conffile and `systemd-analyze verify`
# of the unit are checked; the installed broker runs on its installed
# config as the strata user and stops cleanly on SIGTERM; dpkg -r keeps the
# conffile, dpkg --purge removes it.
#
# The client library's packages (issue 26): libstrata<MAJOR> and
# libstrata-dev are built beside it, hold the right files, install, and a
# program builds against them with pkg-config and with find_package alone;
# both are purged.
#
# Usage: package_test.sh BUILD_DIR. Exit 77 (ctest: skipped) without root
# or dpkg. Fails, touching nothing, if a strata package is already
# installed. Every wait is bounded.
set -euo pipefail
build=$1
if [ "$(id -u)" -ne 0 ]; then echo "SKIPPED: installing a package needs root"; exit 77; fi
for tool in dpkg dpkg-deb cpack setpriv; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is not installed"; exit 77; }
done
if dpkg-query -W -f='${Status}' strata 2>/dev/null | grep -q "installed"; then
  echo "FAIL: a strata package is already installed here; remove it (dpkg --purge strata) and re-run"; exit 1
fi

src=$(cd "$(dirname "$0")/../.." && pwd)
libpkg=""
work=$(mktemp -d /tmp/strata-package-test.XXXXXX)
chmod 755 "$work"  # the strata user reaches its data directory inside
policy=/usr/sbin/policy-rc.d
broker_pid=""
cleanup() {
  [ -n "$broker_pid" ] && kill -KILL "$broker_pid" 2>/dev/null || true
  for p in strata libstrata-dev "$libpkg"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "installed"; then dpkg --purge "$p" >/dev/null 2>&1 || true; fi
  done
  if [ -e "$work/policy-rc.d.saved" ]; then mv -f "$work/policy-rc.d.saved" "$policy"; else rm -f "$policy"; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Forbid service starts for the duration (restored by cleanup).
if [ -e "$policy" ]; then cp -p "$policy" "$work/policy-rc.d.saved"; fi
printf '#!/bin/sh\n# strata package test: no service starts\nexit 101\n' > "$policy"
chmod 755 "$policy"

(cd "$build" && timeout 300 cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
arch=$(dpkg --print-architecture)
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
deb="$work/out/strata_${version}_${arch}.deb"
[ -f "$deb" ] || { ls "$work/out"; fail "no $deb"; }

DEBIAN_FRONTEND=noninteractive timeout 120 dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dpkg -i"; }
for f in /usr/bin/strata-broker /usr/bin/strata /etc/strata/broker.conf /lib/systemd/system/strata-broker.service \
         /usr/share/doc/strata/README.md; do
  [ -e "$f" ] || fail "$f is not installed"
done
grep -qx "/etc/strata/broker.conf" /var/lib/dpkg/info/strata.conffiles || fail "broker.conf is not a conffile"
grep -qx "data.dir = /var/lib/strata" /etc/strata/broker.conf || fail "broker.conf does not set data.dir = /var/lib/strata"
getent passwd strata >/dev/null || fail "postinst created no strata user"
[ "$(stat -c %U /var/lib/strata)" = strata ] || fail "/var/lib/strata is not owned by strata"
grep -q "^LimitNOFILE=" /lib/systemd/system/strata-broker.service || fail "the unit sets no LimitNOFILE"
/usr/bin/strata-broker --version | grep -Eq "^strata-broker ${version} \(commit [^)]+\)$" || fail "strata-broker --version"
/usr/bin/strata --version | grep -Eq "^strata ${version} \(commit [^)]+\)$" || fail "strata --version"

if command -v systemd-analyze >/dev/null; then
  timeout 60 systemd-analyze verify /lib/systemd/system/strata-broker.service >"$work/verify.log" 2>&1 ||
    { cat "$work/verify.log"; fail "systemd-analyze verify"; }
  if grep -i "strata-broker.service" "$work/verify.log"; then fail "systemd-analyze verify warns about the unit"; fi
  echo "systemd-analyze verify: accepted ($(wc -l <"$work/verify.log") lines of output about other units)"
else
  echo "systemd-analyze not installed: unit not verified"
fi

# The installed broker on the installed config, as the strata user, on
# loopback ports the kernel picks, its data in a scratch directory (setpriv
# execs the broker itself, so SIGTERM reaches it as systemd would send it).
install -d -o strata -g strata "$work/data"
setpriv --reuid=strata --regid=strata --init-groups /usr/bin/strata-broker --config /etc/strata/broker.conf --listen 127.0.0.1:0 --kafka-listen 127.0.0.1:0 \
  --metrics-listen 127.0.0.1:0 --data-dir "$work/data" --shards 1 2>"$work/broker.log" &
broker_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/broker.log" && break; sleep 0.1; done
grep -q "listening on" "$work/broker.log" || { cat "$work/broker.log"; fail "the installed broker did not start"; }
kill -TERM "$broker_pid"
for _ in $(seq 100); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
wait "$broker_pid" || { cat "$work/broker.log"; fail "the installed broker did not exit 0 on SIGTERM"; }
broker_pid=""
grep -q "stopped cleanly" "$work/broker.log" || { cat "$work/broker.log"; fail "no clean stop"; }

timeout 120 dpkg -r strata >"$work/remove.log" 2>&1 || { cat "$work/remove.log"; fail "dpkg -r"; }
[ ! -e /usr/bin/strata-broker ] || fail "dpkg -r left /usr/bin/strata-broker"
[ -e /etc/strata/broker.conf ] || fail "dpkg -r removed the conffile (only purge may)"
timeout 120 dpkg --purge strata >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge"; }
[ ! -e /etc/strata/broker.conf ] || fail "dpkg --purge left /etc/strata/broker.conf"
[ ! -e /lib/systemd/system/strata-broker.service ] || fail "dpkg --purge left the unit"
if dpkg-query -W -f='${Status}' strata 2>/dev/null | grep -q "installed"; then fail "strata still installed"; fi

# The client library's packages (not in a sanitized build: its libstrata.so
# needs the ASan runtime loaded first, which version_check does not do).
if grep -q "^STRATA_SANITIZE:BOOL=ON" "$build/CMakeCache.txt" 2>/dev/null; then
  echo "PASS: $(basename "$deb") installed, verified, run, removed and purged (library packages not checked: sanitized build)"
  exit 0
fi
major=${version%%.*}
libpkg="libstrata$major"
libdeb="$work/out/${libpkg}_${version}_${arch}.deb"
devdeb="$work/out/libstrata-dev_${version}_${arch}.deb"
[ -f "$libdeb" ] && [ -f "$devdeb" ] || { ls "$work/out"; fail "no $libdeb or $devdeb"; }
dpkg-deb -c "$libdeb" >"$work/lib.contents"
dpkg-deb -c "$devdeb" >"$work/dev.contents"
grep -qE "/libstrata\.so\.$major( |$)" "$work/lib.contents" || fail "$libpkg lacks libstrata.so.$major"
if grep -q "include/" "$work/lib.contents"; then fail "$libpkg ships headers"; fi
for f in include/strata/client.h include/strata/producer.h include/strata/consumer.h include/strata/errors.h \
         include/strata/version.h libstrata.a pkgconfig/strata.pc cmake/strata/strataConfig.cmake; do
  grep -q "$f\$" "$work/dev.contents" || fail "libstrata-dev lacks $f"
done
[[ "$(dpkg-deb -f "$devdeb" Depends)" == "$libpkg (= $version)"* ]] || fail "libstrata-dev does not depend on $libpkg (= $version)"
DEBIAN_FRONTEND=noninteractive timeout 120 dpkg -i "$libdeb" "$devdeb" >"$work/lib-install.log" 2>&1 ||
  { cat "$work/lib-install.log"; fail "dpkg -i of the library packages"; }
# shellcheck disable=SC2046
g++ -o "$work/version_check" "$src/client/examples/app/version_check.cpp" $(pkg-config --cflags --libs strata) \
  2>"$work/cc.log" || { cat "$work/cc.log"; fail "g++ with the installed strata.pc"; }
"$work/version_check" | grep -q "^strata $version " || fail "version_check against the installed libstrata.so.$major"
timeout 300 cmake -S "$src/client/examples/app" -B "$work/app" >"$work/app.log" 2>&1 &&
  timeout 300 cmake --build "$work/app" >>"$work/app.log" 2>&1 || { cat "$work/app.log"; fail "the example with find_package(strata)"; }
timeout 120 dpkg --purge libstrata-dev "$libpkg" >"$work/lib-purge.log" 2>&1 || { cat "$work/lib-purge.log"; fail "dpkg --purge of the library packages"; }
[ ! -e "/usr/include/strata/client.h" ] || fail "purging libstrata-dev left its headers"
echo "PASS: $(basename "$deb"), $(basename "$libdeb") and $(basename "$devdeb") installed, verified, used and purged"
