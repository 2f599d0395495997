# SPDX-License-Identifier: MIT
# Sourced by the Quick start scripts: makes sure the Debian packages refdebug
# builds with are there, installing them when run as root.
packages="cmake ninja-build g++ clang pkg-config libboost-stacktrace-dev libboost-test-dev libdw-dev nlohmann-json3-dev
  python3-jsonschema libclang-rt-14-dev"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "refdebug: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq $missing >/dev/null || {
      echo "refdebug: apt-get failed; run: apt-get install$missing" >&2; exit 1; }
  else
    echo "refdebug: missing Debian packages; run as root: apt-get install$missing" >&2
    exit 1
  fi
fi
top=$(cd "$(dirname "$0")/.." && pwd)
build=${REFDEBUG_BUILD_DIR:-$top/build}
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
