#!/bin/sh
# overlap.sh - end-to-end tests of `retold overlap` and `retold report` on
# data/outlets.jsonl (made by scripts/make-outlets.py): newsfeed-digest
# republishes five the-meridian stories a day or two later (an exact copy,
# trimmed copies, copies under a new lede) and one harbour-times story;
# kitchen-weekly is unrelated; the-meridian re-runs one story of its own.
# Output is diffed against tests/cli/expected/overlap-*.out; regenerate after
# a deliberate change with
#   RETOLD=build/retold UPDATE=1 sh tests/cli/overlap.sh
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
corpus=data/outlets.jsonl

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# check NAME WANT_EXIT CMD...: run, compare stdout with expected/NAME.out
check() {
    name=$1; want=$2; shift 2
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    got=$?
    if [ "$got" != "$want" ]; then
        bad "$name: exit $got, want $want"; sed 's/^/  stderr: /' "$tmp/$name.err" | head -5; return
    fi
    [ "${UPDATE:-}" = 1 ] && cp "$tmp/$name.out" "$exp/$name.out"
    if [ ! -f "$exp/$name.out" ]; then bad "$name: no expected file $exp/$name.out"; return; fi
    if diff -u "$exp/$name.out" "$tmp/$name.out" >"$tmp/diff"; then ok; else
        bad "$name: stdout differs"; head -20 "$tmp/diff"; fi
}

# has NAME TEXT: NAME's stdout has a line equal to TEXT
has() {
    if grep -qxF -- "$2" "$tmp/$1.out"; then ok; else bad "$1: no line '$2'"; fi
}
# err NAME TEXT: NAME's stderr contains TEXT
err() {
    if grep -qF -- "$2" "$tmp/$1.err"; then ok; else
        bad "$1: stderr lacks '$2'"; sed 's/^/  stderr: /' "$tmp/$1.err" | head -3; fi
}

# The acceptance test: the CSV says who copies whom, in which direction.
check overlap-csv 0 "$RETOLD" overlap "$corpus"
#   newsfeed-digest: 5 of its 8 documents are copies of the-meridian's, the-meridian first in all 5
has overlap-csv "newsfeed-digest,the-meridian,8,5,0.6250,0,5,1"
#   seen from the-meridian: 5 of 7 copied, it was first every time, a day ahead
has overlap-csv "the-meridian,newsfeed-digest,7,5,0.7143,5,0,-1"
#   one harbour-times story, two days later
has overlap-csv "newsfeed-digest,harbour-times,8,1,0.1250,0,1,2"
#   the unrelated outlet shares nothing with anyone
has overlap-csv "kitchen-weekly,the-meridian,4,0,0.0000,0,0,"
has overlap-csv "the-meridian,kitchen-weekly,7,0,0.0000,0,0,"
has overlap-csv "kitchen-weekly,newsfeed-digest,4,0,0.0000,0,0,"
#   self-reuse is its own row, not part of the shares between outlets
has overlap-csv "the-meridian,the-meridian,7,2,0.2857,1,1,0"
has overlap-csv "harbour-times,the-meridian,4,0,0.0000,0,0,"
err overlap-csv "23 documents from 4 outlets; 12 shared with another outlet, 2 re-used within their own outlet"

check overlap-json 0 "$RETOLD" overlap -f json "$corpus"
check overlap-min-shared 0 "$RETOLD" overlap --min-shared 1 -q "$corpus"

# The same with other field names (--by, --date-field) and the input shuffled.
sed -e 's/"source":/"outlet":/' -e 's/"date":/"published":/' "$corpus" | sort -r > "$tmp/renamed.jsonl"
"$RETOLD" overlap -q --by outlet --date-field published "$tmp/renamed.jsonl" > "$tmp/renamed.csv"
if cmp -s "$tmp/renamed.csv" "$exp/overlap-csv.out"; then ok; else bad "renamed fields: CSV differs"; diff "$exp/overlap-csv.out" "$tmp/renamed.csv" | head; fi

# Thread count does not change anything.
"$RETOLD" overlap -q -j 1 "$corpus" > "$tmp/j1"
"$RETOLD" overlap -q -j 2 "$corpus" > "$tmp/j2"
if cmp -s "$tmp/j1" "$tmp/j2"; then ok; else bad "threads: -j1 and -j2 differ"; fi

# Unparsable and missing dates: counted, warned about, undated (no direction).
sed -e 's/"date": "2022-11-12", "text": "Readers/"date": "yesterday", "text": "Readers/' \
    -e '/"id": "digest-105"/s/"date": "2022-11-11", //' "$corpus" > "$tmp/dates.jsonl"
check overlap-bad-dates 0 "$RETOLD" overlap "$tmp/dates.jsonl"
err overlap-bad-dates "1 unparsable date(s) in field 'date' treated as missing"
has overlap-bad-dates "newsfeed-digest,the-meridian,8,5,0.6250,0,3,1"

# No source field at all: one unnamed outlet, and a warning.
sed 's/"source": "[^"]*", //' "$corpus" > "$tmp/nosource.jsonl"
check overlap-no-source 0 "$RETOLD" overlap "$tmp/nosource.jsonl"
err overlap-no-source "no document has a 'source' field"
has overlap-no-source ",,23,14,0.6087,7,7,0"

# Relations: only exact duplicates.
"$RETOLD" overlap -q --relations duplicate "$corpus" > "$tmp/dup.csv"
if grep -qxF "newsfeed-digest,the-meridian,8,1,0.1250,0,1,1" "$tmp/dup.csv"; then ok; else bad "--relations duplicate"; fi

# Usage errors.
check overlap-bad-relations 1 "$RETOLD" overlap --relations copy,bogus "$corpus"
err overlap-bad-relations "--relations takes"
check overlap-bad-format 1 "$RETOLD" overlap -f xml "$corpus"
check overlap-bad-top 1 "$RETOLD" overlap --top-outlets 0 "$corpus"
check pairs-no-by 1 "$RETOLD" pairs --by source "$corpus"

# HTML: one self-contained file, deterministic.
"$RETOLD" overlap -q -f html "$corpus" -o "$tmp/a.html"
"$RETOLD" overlap -q -f html "$corpus" -o "$tmp/b.html"
if cmp -s "$tmp/a.html" "$tmp/b.html"; then ok; else bad "html: two runs differ"; fi
if grep -q '<svg id="heatmap"' "$tmp/a.html" && ! grep -qiE '(src|href)="(https?:)?//' "$tmp/a.html"; then ok; else
    bad "html: no heatmap, or a reference to the network"; fi
n=$(grep -c '<article class="cluster"' "$tmp/a.html")
if [ "$n" = 6 ]; then ok; else bad "overlap html: $n clusters, want 6 (between outlets only)"; fi
"$RETOLD" report -q "$corpus" -o "$tmp/r.html"
n=$(grep -c '<article class="cluster"' "$tmp/r.html")
if [ "$n" = 7 ]; then ok; else bad "report: $n clusters, want 7 (self-reuse included)"; fi
if grep -q 'id="summary"' "$tmp/r.html"; then ok; else bad "report: no summary"; fi
# A bigger picture is capped: --top-outlets 2 folds the other two outlets.
"$RETOLD" report -q --top-outlets 2 "$corpus" -o "$tmp/top2.html"
if grep -q 'other outlets (2)' "$tmp/top2.html" && [ "$(grep -c '<g class="cell' "$tmp/top2.html")" = 9 ]; then ok; else
    bad "report --top-outlets 2: want a 3 x 3 map with 'other outlets (2)'"; fi
if [ -w /dev/full ]; then
    check report-full-disk 3 "$RETOLD" report -q "$corpus" -o /dev/full
    err report-full-disk "No space left on device"
fi

echo "overlap: $pass passed, $fail failed"
[ "$fail" = 0 ]
