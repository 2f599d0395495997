#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the build into a scratch prefix and builds consumers against it:
# CMake's find_package(refdebug), pkg-config, and the installed launcher.
# usage: install_test.sh <build-dir> <source-dir> <scratch-dir>
set -eu
build=$1 src=$2 scratch=$3
rm -rf "$scratch" && mkdir -p "$scratch"
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name librefdebug.so | head -n 1)")

# find_package: linked with -lrefdebug, reports without preloading.
cmake -S "$src/test/consumer" -B "$scratch/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$scratch/cmake" >/dev/null
cd "$scratch"
LD_LIBRARY_PATH=$libdir REFDEBUG_OPTIONS=sites_path=none "$scratch/cmake/consumer" 2>"$scratch/linked.err"
grep -q "^SUMMARY: refdebug: 1 leaked object(s) holding 1 reference(s), 0 error(s)$" "$scratch/linked.err"

# pkg-config, and the installed launcher preloading into an unlinked build.
export PKG_CONFIG_PATH=$libdir/pkgconfig
cc -g -o "$scratch/plain" "$src/test/consumer/consumer.c" $(pkg-config --cflags refdebug) \
  -I"$(pkg-config --variable=compatdir refdebug)"
REFDEBUG_OPTIONS=sites_path=none "$prefix/bin/refdebug" -- "$scratch/plain" 2>"$scratch/preloaded.err"
grep -q "^SUMMARY: refdebug: 1 leaked object(s) holding 1 reference(s), 0 error(s)$" "$scratch/preloaded.err"
cc -g -o "$scratch/linked" "$src/test/consumer/consumer.c" $(pkg-config --cflags --libs refdebug) \
  -I"$(pkg-config --variable=compatdir refdebug)"
LD_LIBRARY_PATH=$libdir REFDEBUG_OPTIONS=sites_path=none "$scratch/linked" 2>"$scratch/pc-linked.err"
grep -q "^SUMMARY: refdebug: 1 leaked object(s)" "$scratch/pc-linked.err"
echo "install test: find_package, pkg-config and the installed launcher all report the leak"
