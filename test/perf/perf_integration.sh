#!/bin/sh
# SPDX-License-Identifier: MIT
# perf, the real client. Builds plain perf and swapped perf from Debian's
# linux-source-6.12, records a workload with threads, forks and many mmaps,
# and checks that:
#  1. perf report and perf script print byte-identical output with plain perf,
#     swapped perf without the runtime and swapped perf under the runtime;
#  2. every perf test case that passes with plain perf passes with swapped
#     perf under the runtime, and the runtime reports no error there;
#  3. suspect #1 names the culprit of the perf bugs in docs/perf-findings.md;
#  4. a fixed sample of test/perf/mutants (one put deleted in a perf
#     function) names the mutated function as suspect #1;
#  5. the runtime tracked perf's refcounted kinds (from the site tables);
#  6. perf built as users build it (perf's -O3, -DNDEBUG) plus -g: the same
#     outputs with and without the runtime, and the same suspect #1 on the
#     perf bugs of 3, through inlined frames and the optimizer's copies.
# usage: perf_integration.sh <refdebug source> <librefdebug.so> <work dir>
# Exits 77 (skipped) when the kernel source or perf's build dependencies are missing.
set -eu
src=$1 lib=$2 work=$3
tarball=/usr/src/linux-source-6.12.tar.xz
if [ ! -r "$tarball" ]; then
  echo "skipped: $tarball missing (apt-get install linux-source-6.12)"; exit 77
fi
for p in libelf-dev libdw-dev libtraceevent-dev flex bison; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    echo "skipped: perf's build needs $p (apt-get install libelf-dev libdw-dev libtraceevent-dev flex bison)"
    exit 77
  fi
done
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
step() { echo "== $(date +%T) $*"; }

step "building plain and swapped perf"
"$src/compat/perf/build-perf" --plain "$work/plain" > build-plain.log 2>&1 || { tail -20 build-plain.log; fail "plain perf build"; }
"$src/compat/perf/build-perf" "$work/swapped" > build-swapped.log 2>&1 || { tail -20 build-swapped.log; fail "swapped perf build"; }
plain=$work/plain/perf swapped=$work/swapped/perf
nm -D "$swapped" | grep -q " w refdebug_refcount_op" || fail "swapped perf has no refdebug hook"
nm "$work/swapped/libperf/libperf.a" | grep -q "refdebug_refcount_op" || fail "libperf was built without the swap"

traced() { # runs swapped perf ($perf, default $swapped) under the runtime; $1 names its log and site table
  name=$1; shift
  REFDEBUG_OPTIONS="log_path=$work/$name.log:sites_path=$work/$name.sites" LD_PRELOAD=$lib "${perf:-$swapped}" "$@"
}

step "recording a workload (threads, forks, mmaps) with plain perf"
rm -f ./*.log.* ./*.sites
"$plain" record -q -e task-clock -g -o work.data -- sh -c \
  "'$plain' bench sched messaging -t -g 2 -l 20 >/dev/null; for i in 1 2 3; do ls -R /usr/include >/dev/null; done"
traced record record -q -e task-clock -g -o traced.data -- sh -c 'ls -R /usr/include >/dev/null'

step "comparing outputs"
for cmd in "report --stdio" "report --stdio --sort comm,dso,sym -g caller" "script"; do
  # shellcheck disable=SC2086
  "$plain" $cmd -i work.data > out-plain.txt 2>/dev/null
  "$swapped" $cmd -i work.data > out-swapped.txt 2>/dev/null
  tag=$(echo "$cmd" | tr -c 'a-z\n' '_')
  traced "$tag" $cmd -i work.data > out-traced.txt 2>/dev/null
  [ -s out-plain.txt ] || fail "perf $cmd printed nothing"
  cmp -s out-plain.txt out-swapped.txt || fail "perf $cmd: swapped perf differs from plain perf"
  cmp -s out-plain.txt out-traced.txt || fail "perf $cmd: perf under the runtime differs from plain perf"
  echo "identical: perf $cmd ($(wc -l < out-plain.txt) lines, three builds)"
done

# perf annotate: call__parse() and jump__parse() fill an addr_map_symbol
# with a map they never got, and maps__find_ams() puts it (docs/perf-findings.md):
# the suspect is one of the three (the caller when both call maps__find_ams()
# on the object, a helper of two callers then; maps__find_ams() when one does).
# Its log is apart (annotate.err.*): the errors checked for below are unexpected ones.
rm -f ./annotate.err.*
REFDEBUG_OPTIONS="log_path=$work/annotate.err:sites_path=none" LD_PRELOAD=$lib \
  timeout 300 "$swapped" annotate --stdio -i work.data > /dev/null 2>&1 || true
if grep -q 'ERROR: use-after-release' ./annotate.err.* 2>/dev/null; then
  grep -h -m1 'refdebug:   suspect: ' ./annotate.err.* | grep -E 'suspect: (call__parse|jump__parse|maps__find_ams) ' ||
    fail "perf annotate's use-after-release does not name call__parse, jump__parse or maps__find_ams"
fi

step "perf test: plain, then swapped under the runtime"
"$plain" test > test-plain.txt 2>&1 || true
traced perf_test test > test-traced.txt 2>&1 || true
grep ': Ok$' test-plain.txt | sed 's/ *$//' > ok-plain.txt || true
grep ': Ok$' test-traced.txt | sed 's/ *$//' > ok-traced.txt || true
[ -s ok-plain.txt ] || fail "no perf test case passed with plain perf"
# Some cases poll with a bounded retry count and fail now and then on a
# loaded machine (75, "Number of exit events", fails one run in three with
# plain perf on an idle 2-vCPU VM): a case that failed in the full run gets
# five runs of its own; if none passes, plain perf gets five too, and a
# case plain perf also fails alone is flaky here, not the runtime's doing.
comm -23 ok-plain.txt ok-traced.txt > retry.txt
while IFS= read -r line; do
  n=$(echo "$line" | sed 's/^ *\([0-9]*\).*/\1/')
  passed=no
  for attempt in 1 2 3 4 5; do
    if traced "perf_test_$n" test "$n" 2>&1 | sed 's/ *$//' | grep -qxF "$line"; then passed=yes; break; fi
  done
  if [ "$passed" = yes ]; then
    echo "failed in the full run under the runtime, passed alone on attempt $attempt:$line"
    continue
  fi
  plain_failed=0
  for attempt in 1 2 3 4 5; do
    "$plain" test "$n" 2>&1 | sed 's/ *$//' | grep -qxF "$line" || plain_failed=$((plain_failed + 1))
  done
  [ "$plain_failed" -gt 0 ] || fail "passes with plain perf but not under the runtime (5 retries, plain 5 of 5):$line"
  echo "flaky here with plain perf too ($plain_failed of 5 plain runs failed; 5 of 5 under the runtime):$line"
done < retry.txt
echo "perf test: $(wc -l < ok-plain.txt) cases pass with plain perf, all of them under the runtime"
echo "perf test: not passing here with plain perf (no hardware counters, no BPF or root-only): $(grep -c -v ': Ok$' test-plain.txt || true) lines"
if grep -h "refdebug: ERROR:" ./*.log.* 2>/dev/null; then fail "the runtime reported errors"; fi

step "suspects on the perf bugs of docs/perf-findings.md"
# check_suspects PREFIX: the logs PREFIX*.log.* of perf report and perf test.
check_suspects() {
  # perf report: the root group is the maps the main thread's callchain cursor
  # keeps at exit, and its suspect #1 names the cursor's append.
  first=$(grep -h -m1 'suspect #1:' ./"$1"report___stdio.log.* || true)
  echo "perf report: $first"
  echo "$first" | grep -q 'suspect #1: callchain_cursor_append (' || fail "$1: perf report's suspect #1 is not callchain_cursor_append"
  # perf test 16: put_fake_samples() never puts the threads add_hist_entries() got.
  if grep -l 'leaked thread object' ./"$1"perf_test.log.* 2>/dev/null | xargs -r grep -l 'tests/hists_link.c' > hists-link.txt; [ -s hists-link.txt ]; then
    grep -h 'suspect #1: add_hist_entries (.*tests/hists_link.c' $(cat hists-link.txt) || fail "$1: perf test 16's suspect #1 is not add_hist_entries"
  fi
  # perf test 23, when evlist__open() fails here: the test's own extra gets.
  if grep -l 'leaked thread_map object' ./"$1"perf_test.log.* 2>/dev/null | xargs -r grep -l 'do_test_code_reading' > code-reading.txt; [ -s code-reading.txt ]; then
    # The thread map's own group: its first suspect after the group line.
    awk '/leaked thread_map object/ { g = 1 } g && /suspect #1:/ { print; g = 0 }' $(cat code-reading.txt) |
      grep 'suspect #1: do_test_code_reading (.*tests/code-reading.c:662)' ||
      fail "$1: perf test 23's thread map suspect #1 is not do_test_code_reading (tests/code-reading.c:662)"
  fi
}
check_suspects ""

step "mutants: one put deleted, suspect #1 must name its function"
# A fixed sample of test/perf/mutants (docs/perf-findings.md has the whole
# sweep), each a hit on every recording tried (CI records afresh): event
# handlers that forget to put the thread a lookup returned, a callchain
# helper that keeps a map, a destructor (thread__delete) that forgets to put
# the thread's maps (the holder rule), and three destructors that free a
# block still pointing at what they forgot to put (freed holders):
# comm__free, hist_entry__delete, dsos__purge;
# and three call-path owners past a lookup: thread__init_maps (its leader,
# through the thread table's cache), __event_process_build_id (through
# machine__findnew_dso) and perf_session__register_idle_thread (through
# machine__idle_thread, declared to return the thread); and
# machine__process_exit_event, which keeps the thread it found while every
# thread leaks (declared lookups, the table's reference paired); and the
# kernel map's set-up, machine__update_kernel_mmap and maps__split_kallsyms
# (holder accounts charge their biggest takers first); and two more while
# every thread leaks: machine__resolve, which keeps the thread it looked up
# (drops paired where they meet), and the thread table's last-match
# setter, __threads_table_entry__set_last_match (a void taker is no
# wrapper); and maps__exit (a freed holder, once a rare copy in a
# reclaimed life stopped reading as a borrowing view) and
# threads__remove_all_threads (past hashmap_delete(), which hands the
# value back to it); and perf_env__exit and dso__delete (freed holders
# missed or misnamed on one recording each, until the bytes past a
# string's end, which still held a pointer from the block's earlier use,
# were cleared at allocation).
# Not in the sample: addr_location__exit (a companion-rule hit on most
# recordings) missed on one fresh recording.
"$src/test/perf/mutants" --tree "$work/linux-source-6.12" --build "$work/swapped" --runtime "$lib" \
  --data work.data --strict \
  --only util/machine.c:590,util/machine.c:1763,util/callchain.c:1146,util/thread.c:96,util/comm.c:228,util/hist.c:1334,util/dsos.c:33,util/thread.c:33,util/header.c:2326,util/session.c:1635,util/machine.c:1922,util/machine.c:1519,util/symbol.c:891,util/event.c:755,util/threads.c:80,util/maps.c:236,util/threads.c:148,util/env.c:227,util/dso.c:1520 || fail "a mutant was not named as suspect #1"

step "perf as users build it (-O3, -DNDEBUG) plus -g"
"$src/compat/perf/build-perf" --optimized "$work/optimized" > build-optimized.log 2>&1 || { tail -20 build-optimized.log; fail "optimized perf build"; }
optimized=$work/optimized/perf
for cmd in "report --stdio" "script"; do
  # shellcheck disable=SC2086
  "$plain" $cmd -i work.data > out-plain.txt 2>/dev/null
  "$optimized" $cmd -i work.data > out-optimized.txt 2>/dev/null
  tag=optimized_$(echo "$cmd" | tr -c 'a-z\n' '_')
  perf=$optimized
  traced "$tag" $cmd -i work.data > out-traced.txt 2>/dev/null
  perf=$swapped
  cmp -s out-plain.txt out-optimized.txt || fail "perf $cmd: optimized swapped perf differs from plain perf"
  cmp -s out-plain.txt out-traced.txt || fail "perf $cmd: optimized perf under the runtime differs from plain perf"
  echo "identical: perf $cmd, optimized, with and without the runtime"
done
# The two perf test cases whose leaks docs/perf-findings.md names.
perf=$optimized
traced optimized_perf_test test 16 23 > test-optimized.txt 2>&1 || true
perf=$swapped
check_suspects optimized_
if grep -h "refdebug: ERROR:" ./optimized_*.log.* 2>/dev/null; then fail "the runtime reported errors in optimized perf"; fi

step "tracked kinds"
kinds=$(grep -hv '^#' ./*.sites | cut -f3 | sort -u | tr '\n' ' ')
echo "kinds in the site tables: $kinds"
for k in thread map maps dso comm_str nsinfo perf_cpu_map perf_thread_map perf_mmap; do
  echo " $kinds " | grep -q " $k " || fail "kind $k was not tracked"
done
grep -h '^SUMMARY' ./*.log.* | sort | uniq -c
echo "perf integration: passed"
