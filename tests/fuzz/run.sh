#!/bin/sh
# run.sh [SECONDS] - build the libFuzzer targets (Makefile.fuzz), replay the
# committed crash regressions, then fuzz every target SECONDS seconds
# (default $FUZZ_SECONDS or 60).  Exit status 1 if any regression or any
# fuzzing run fails (crash, leak, sanitizer report, timeout, OOM).
#
#   FUZZ_BUILD=build-fuzz   where binaries, working corpora, logs and crash
#                           artifacts go (build-fuzz/{corpus,logs,artifacts})
#   FUZZ_JOBS=1             targets fuzzed in parallel
#   FUZZ_TARGETS="..."      a subset, e.g. "fuzz_json fuzz_cli"
#
# The working corpus (build-fuzz/corpus/TARGET) starts from the committed
# seeds (tests/fuzz/corpus/TARGET) and grows across runs; delete it to start
# afresh.  A crash leaves build-fuzz/artifacts/TARGET-crash-*: minimise it
# with  build-fuzz/TARGET -minimize_crash=1 -runs=100000 FILE  and commit it
# to tests/fuzz/regressions/TARGET/.
set -u
secs=${1:-${FUZZ_SECONDS:-60}}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
build=${FUZZ_BUILD:-build-fuzz}
jobs=${FUZZ_JOBS:-1}

make -s -f Makefile.fuzz FUZZ_BUILD="$build" fuzz || { echo "fuzz: build failed"; exit 1; }
targets=${FUZZ_TARGETS:-$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')}
mkdir -p "$build/logs" "$build/artifacts"
fail=0

# Replay: each regression file in its own process (some need a fresh one).
for t in $targets; do
    [ -d "tests/fuzz/regressions/$t" ] || continue
    for f in tests/fuzz/regressions/"$t"/*; do
        [ -f "$f" ] || continue
        if "$build/$t" "$f" >"$build/logs/replay.log" 2>&1; then
            echo "ok   replay $t $(basename "$f")"
        else
            echo "FAIL replay $t $(basename "$f")"
            grep -m3 -E 'ERROR|runtime error|property failed' "$build/logs/replay.log" | sed 's/^/     /'
            fail=1
        fi
    done
done

# Longest input per target: JSON lines and reader files may be long.
max_len() {
    case $1 in
    fuzz_json) echo 65536 ;;
    fuzz_reader) echo 16384 ;;
    fuzz_text) echo 8192 ;;
    *) echo 4096 ;;
    esac
}

fuzz_one() {
    t=$1
    mkdir -p "$build/corpus/$t"
    "$build/$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 \
        -max_len="$(max_len "$t")" -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$t-" \
        "$build/corpus/$t" "tests/fuzz/corpus/$t" >"$build/logs/$t.log" 2>&1
    echo $? >"$build/logs/$t.rc"
}

running=0
for t in $targets; do
    fuzz_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait; running=0; fi
done
wait

for t in $targets; do
    rc=$(cat "$build/logs/$t.rc" 2>/dev/null || echo 1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/logs/$t.log" | tail -1)
    if [ "$rc" = 0 ]; then
        echo "ok   $t: ${runs:-?} runs in ${secs} s"
    else
        echo "FAIL $t: exit $rc after ${runs:-?} runs; log $build/logs/$t.log"
        grep -m3 -E 'ERROR|runtime error|property failed|Test unit written' "$build/logs/$t.log" | sed 's/^/     /'
        fail=1
    fi
done
exit $fail
