#!/bin/sh
# run.sh - end-to-end tests of the retold CLI: real output diffed against
# tests/cli/expected/NAME.out (and .err where stderr matters), exit codes
# checked.  Regenerate an expected file after a deliberate change with
#   RETOLD=build/retold UPDATE=1 sh tests/cli/run.sh
set -u
RETOLD=${RETOLD:-build/retold}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
exp=$here/expected
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
cd "$root" || exit 1

# check NAME WANT_EXIT CMD...: run, compare stdout (and stderr if NAME.err exists)
check() {
    name=$1; want=$2; shift 2
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    got=$?
    ok=1
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: exit $got, want $want"; sed 's/^/  stderr: /' "$tmp/$name.err" | head -5; ok=0
    fi
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$tmp/$name.out" "$exp/$name.out"
        [ -s "$tmp/$name.err" ] && cp "$tmp/$name.err" "$exp/$name.err"
    fi
    if [ -f "$exp/$name.out" ]; then
        if ! diff -u "$exp/$name.out" "$tmp/$name.out" >"$tmp/diff"; then
            echo "FAIL $name: stdout differs"; head -20 "$tmp/diff"; ok=0
        fi
    else
        echo "FAIL $name: no expected file $exp/$name.out"; ok=0
    fi
    if [ -f "$exp/$name.err" ] && ! diff -u "$exp/$name.err" "$tmp/$name.err" >"$tmp/diff"; then
        echo "FAIL $name: stderr differs"; head -20 "$tmp/diff"; ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

# expect NAME TEXT: the last run's stderr contains TEXT
expect_err() {
    if grep -qF -- "$2" "$tmp/$1.err"; then pass=$((pass + 1)); else
        echo "FAIL $1: stderr lacks '$2'"; sed 's/^/  stderr: /' "$tmp/$1.err" | head -5; fail=$((fail + 1)); fi
}

# The seed articles: same event, no copies among them.
check seeds-pairs 0 "$RETOLD" pairs data/seeds
check crafted-pairs 0 "$RETOLD" pairs data/crafted.jsonl
check crafted-pairs-exact 0 "$RETOLD" pairs --exact data/crafted.jsonl
check crafted-pairs-jsonl 0 "$RETOLD" pairs --exact -f jsonl data/crafted.jsonl
check crafted-clusters 0 "$RETOLD" clusters data/crafted.jsonl
check crafted-dedup 0 "$RETOLD" dedup data/crafted.jsonl
expect_err crafted-dedup "11 documents read, 7 kept, 4 dropped"
check crafted-low-threshold 0 "$RETOLD" pairs --exact -t 0.5 data/crafted.jsonl
check crafted-against 0 "$RETOLD" pairs data/crafted.jsonl --against data/seeds
check stdin-pairs 0 sh -c "cat data/crafted.jsonl | $RETOLD pairs -"
check stdin-dedup 0 sh -c "cat data/crafted.jsonl | $RETOLD dedup - -q"

# Views and relations: the seeds' relations, compare's evidence.
check seeds-views 0 "$RETOLD" pairs --views all data/seeds
check seeds-views-jsonl 0 "$RETOLD" pairs --views all -f jsonl data/seeds
check seeds-views-top1 0 "$RETOLD" pairs --views all --top 1 data/seeds
check seeds-relation-filter 0 "$RETOLD" pairs --views all --relation rewrite data/seeds
check crafted-views 0 "$RETOLD" pairs --exact -t 0.5 --views all data/crafted.jsonl
check compare-seeds 0 "$RETOLD" compare -w 40 data/seeds/000_bb6e3753a67e3ff7.txt data/seeds/001_a434b754d65ded64.txt
check compare-seeds-json 0 "$RETOLD" compare -f json data/seeds/000_bb6e3753a67e3ff7.txt data/seeds/001_a434b754d65ded64.txt
check compare-corpus 0 "$RETOLD" compare -f json --corpus data/crafted.jsonl meduza-original trimmed-tail
check compare-missing-id 2 "$RETOLD" compare --corpus data/crafted.jsonl meduza-original nobody
expect_err compare-missing-id 'no document with id "nobody"'
check compare-many 2 "$RETOLD" compare data/crafted.jsonl data/seeds/000_bb6e3753a67e3ff7.txt
expect_err compare-many "holds 11 documents"
check usage-views 1 "$RETOLD" pairs --views colour data/seeds
check boilerplate 0 "$RETOLD" pairs --views all --max-df 3 data/seeds data/crafted.jsonl

# Determinism: -j 1 and -j 2 give the same bytes.
"$RETOLD" pairs -j 1 --exact -t 0.5 data/crafted.jsonl data/seeds > "$tmp/j1"
"$RETOLD" pairs -j 2 --exact -t 0.5 data/crafted.jsonl data/seeds > "$tmp/j2"
if cmp -s "$tmp/j1" "$tmp/j2"; then pass=$((pass + 1)); else echo "FAIL threads: -j1 and -j2 differ"; fail=$((fail + 1)); fi
"$RETOLD" pairs -j 1 --views all data/crafted.jsonl data/seeds > "$tmp/v1"
"$RETOLD" pairs -j 2 --views all data/crafted.jsonl data/seeds > "$tmp/v2"
if cmp -s "$tmp/v1" "$tmp/v2"; then pass=$((pass + 1)); else echo "FAIL threads: views -j1 and -j2 differ"; fail=$((fail + 1)); fi

# Bad input: clear messages, exit 2, nothing silently lost.
check bad-line 2 "$RETOLD" pairs tests/cli/input/bad-line.jsonl
expect_err bad-line "tests/cli/input/bad-line.jsonl:3: malformed JSON"
check bad-line-skip 0 "$RETOLD" pairs --skip-bad tests/cli/input/bad-line.jsonl
expect_err bad-line-skip "skipped 1 bad record"
check dup-id 2 "$RETOLD" pairs tests/cli/input/dup-id.jsonl
expect_err dup-id "duplicate id \"a\""
check utf16 2 "$RETOLD" pairs tests/cli/input/utf16.jsonl
expect_err utf16 "UTF-16"
check missing 2 "$RETOLD" pairs tests/cli/input/no-such-file.jsonl
expect_err missing "no-such-file.jsonl: No such file or directory"
check crlf 0 "$RETOLD" pairs tests/cli/input/crlf-no-final-newline.jsonl
check invalid-utf8 0 "$RETOLD" pairs -t 0.3 tests/cli/input/invalid-utf8.jsonl
expect_err invalid-utf8 "replaced 2 invalid UTF-8"
check empty-input 0 "$RETOLD" pairs /dev/null --input-format jsonl

# Usage errors: exit 1.
check usage-threshold 1 "$RETOLD" pairs -t 1.5 data/seeds
expect_err usage-threshold "--threshold must be"
check usage-no-input 1 "$RETOLD" pairs
check usage-command 1 "$RETOLD" frobnicate
check usage-bands 1 "$RETOLD" pairs --bands 20 --rows 20 data/seeds
check explain 0 "$RETOLD" pairs --explain-params
expect_err explain "14 bands x 9 rows"

# A memory budget: the run stops with a message instead of being killed.
# (Not under ASan or valgrind: their own address space needs exceed it.)
case "$RETOLD" in
*asan*|*valgrind*) echo "skip memory-limit: sanitizer or valgrind build" ;;
*)
    awk 'BEGIN { printf "{\"id\":\"big\",\"text\":\""; for (i = 0; i < 8000000; i++) printf "word "; print "\"}" }' > "$tmp/big.jsonl"
    "$RETOLD" pairs --memory-limit 64M "$tmp/big.jsonl" > "$tmp/ml.out" 2> "$tmp/memory-limit.err"
    if [ $? = 3 ]; then pass=$((pass + 1)); else echo "FAIL memory-limit: want exit 3"; fail=$((fail + 1)); fi
    expect_err memory-limit "the --memory-limit was reached"
    ;;
esac

# Output errors: a full disk is an error, not silence.
if [ -w /dev/full ]; then
    check full-disk 3 "$RETOLD" pairs data/crafted.jsonl -o /dev/full
    expect_err full-disk "No space left on device"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
