#!/usr/bin/env bash
# The installable client library end to end (issue 26): `cmake --install`
# of the libstrata and libstrata-dev components into a temporary prefix;
# the public headers include no protocol/, storage/, broker/ or Asio
# header; the shared library's SONAME follows the major version; the
# out-of-tree example client/examples/app builds with find_package(strata)
# alone and a one-file program with `pkg-config --cflags --libs strata`
# alone; both run against a real broker on a loopback port, the example
# producing keyed messages and consuming them back; the static library
# links too.
#
# Usage: library_install_test.sh BUILD_DIR SOURCE_DIR BROKER_BIN. Every wait
# is bounded; the broker is stopped by its PID.
set -euo pipefail
build=$1
src=$2
broker_bin=$3
for tool in cmake pkg-config g++ objdump; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is not installed"; exit 77; }
done
# A sanitized build's libstrata.so needs the ASan runtime loaded first,
# which a program built outside the tree does not do.
if grep -q "^STRATA_SANITIZE:BOOL=ON" "$build/CMakeCache.txt" 2>/dev/null; then
  echo "SKIPPED: a sanitized build's library cannot be loaded by an unsanitized program"; exit 77
fi
work=$(mktemp -d /tmp/strata-library-test.XXXXXX)
broker_pid=""
cleanup() {
  [ -n "$broker_pid" ] && kill -KILL "$broker_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
prefix="$work/prefix"

timeout 600 cmake --build "$build" --target strata_shared strata_static >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; fail "building the libraries"; }
for component in libstrata libstrata-dev; do
  timeout 60 cmake --install "$build" --prefix "$prefix" --component "$component" >>"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install --component $component"; }
done
libdir=$(dirname "$(find "$prefix" -name 'libstrata.so.*.*.*' | head -1)")
[ -d "$libdir" ] || fail "no libstrata.so.MAJOR.MINOR.PATCH installed"
for f in include/strata/client.h include/strata/producer.h include/strata/consumer.h include/strata/errors.h \
         include/strata/version.h; do
  [ -f "$prefix/$f" ] || fail "$f is not installed"
done
for f in libstrata.a libstrata.so pkgconfig/strata.pc cmake/strata/strataConfig.cmake \
         cmake/strata/strataConfigVersion.cmake cmake/strata/strata-targets.cmake; do
  [ -e "$libdir/$f" ] || fail "$libdir/$f is not installed"
done

# Only standard and strata headers in the public API.
if grep -rnE '#include *[<"](protocol|storage|broker)/|#include *[<"](boost/)?asio' "$prefix/include/strata"; then
  fail "a public header includes a private or Asio header"
fi
version=$(sed -n 's/^Version: //p' "$libdir/pkgconfig/strata.pc")
major=${version%%.*}
soname=$(objdump -p "$libdir/libstrata.so.$version" | awk '/SONAME/ {print $2}')
[ "$soname" = "libstrata.so.$major" ] || fail "SONAME is '$soname', not libstrata.so.$major"

# A broker of this build on a port the kernel picks.
mkdir "$work/data"
"$broker_bin" --listen 127.0.0.1:0 --metrics-listen 127.0.0.1:0 --data-dir "$work/data" --shards 1 2>"$work/broker.log" &
broker_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/broker.log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/broker.log" | head -1)
[ -n "$port" ] || { cat "$work/broker.log"; fail "the broker did not start"; }

# The out-of-tree example: find_package(strata) and nothing else.
timeout 300 cmake -S "$src/client/examples/app" -B "$work/app" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$work/app.log" 2>&1 || { cat "$work/app.log"; fail "configuring the example"; }
timeout 300 cmake --build "$work/app" >>"$work/app.log" 2>&1 || { cat "$work/app.log"; fail "building the example"; }
ldd "$work/app/keyed-app" | grep -q "libstrata.so.$major => $libdir/" || { ldd "$work/app/keyed-app"; fail "keyed-app does not use the installed libstrata.so.$major"; }
timeout 60 "$work/app/keyed-app" "127.0.0.1:$port" keyed 300 >"$work/app.out" 2>&1 || { cat "$work/app.out"; fail "keyed-app"; }
grep -q "produced and consumed 300 keyed messages" "$work/app.out" || { cat "$work/app.out"; fail "keyed-app output"; }
cat "$work/app.out"

# A one-file program with pkg-config alone (shared), and the static library.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
g++ -o "$work/version_check" "$src/client/examples/app/version_check.cpp" $(pkg-config --cflags --libs strata) \
  -Wl,-rpath,"$libdir" 2>"$work/cc.log" || { cat "$work/cc.log"; fail "g++ with pkg-config --cflags --libs strata"; }
timeout 30 "$work/version_check" "127.0.0.1:$port" >"$work/vc.out" 2>&1 || { cat "$work/vc.out"; fail "version_check"; }
grep -q "^strata $version (commit " "$work/vc.out" || { cat "$work/vc.out"; fail "version_check: no version line"; }
grep -q "^  Produce v0-v0$" "$work/vc.out" || { cat "$work/vc.out"; fail "version_check: no protocol versions"; }
grep -q "^topic keyed: 3 partitions$" "$work/vc.out" || { cat "$work/vc.out"; fail "version_check: no topic list"; }
# shellcheck disable=SC2046
g++ -static-libstdc++ -o "$work/version_check_static" "$src/client/examples/app/version_check.cpp" \
  $(pkg-config --cflags strata) "$libdir/libstrata.a" $(pkg-config --libs-only-l --static strata | sed 's/-lstrata//') \
  2>"$work/cc-static.log" || { cat "$work/cc-static.log"; fail "linking libstrata.a"; }
if ldd "$work/version_check_static" | grep -q libstrata; then fail "the static build uses libstrata.so"; fi
timeout 30 "$work/version_check_static" "127.0.0.1:$port" | grep -q "^topic keyed: 3 partitions$" || fail "version_check (static)"

kill -TERM "$broker_pid"
for _ in $(seq 100); do kill -0 "$broker_pid" 2>/dev/null || break; sleep 0.1; done
wait "$broker_pid" || { cat "$work/broker.log"; fail "the broker did not stop cleanly"; }
broker_pid=""
echo "PASS: installed to a temporary prefix; the example built with find_package and pkg-config and ran"
