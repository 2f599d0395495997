#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets with clang++ (ASan + UBSan) and runs each for a
# bounded time on its seed corpus (copied, so the tree is never written).
# usage: run.sh <refdebug source> <work dir> [seconds per target]
# Exits 77 (skipped) when clang++ cannot build a fuzzer (apt-get install clang libclang-rt-14-dev).
set -eu
src=$1 work=$2 seconds=${3:-30}
mkdir -p "$work"
cc="clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$src/src"
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }\n' > "$work/probe.cpp"
$cc "$work/probe.cpp" -o "$work/probe" 2>/dev/null || { echo "skipped: clang++ cannot build a libFuzzer target"; exit 77; }
$cc "$src/test/fuzz/options_fuzz.cpp" "$src/src/options.cpp" -o "$work/options_fuzz"
$cc "$src/test/fuzz/suppressions_fuzz.cpp" "$src/src/suppressions.cpp" "$src/src/depot.cpp" "$src/src/arena.cpp" \
  "$src/src/symbolizer.cpp" "$src/src/stack.cpp" "$src/src/names.cpp" "$src/src/capture.cpp" \
  -lboost_stacktrace_backtrace -ldl \
  -o "$work/suppressions_fuzz"
for target in options suppressions; do
  rm -rf "$work/corpus-$target" && cp -r "$src/test/fuzz/corpus/$target" "$work/corpus-$target"
  echo "== $target: $seconds s"
  "$work/${target}_fuzz" -max_total_time="$seconds" -max_len=4096 -artifact_prefix="$work/$target-" -print_final_stats=1 "$work/corpus-$target" \
    > "$work/$target.log" 2>&1 || { tail -40 "$work/$target.log"; exit 1; }
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$work/$target.log"
done
