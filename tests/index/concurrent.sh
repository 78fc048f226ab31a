#!/bin/sh
# concurrent.sh - one process adds and removes documents in small
# transactions while another queries in a loop, for SECS seconds (default
# 60).  Every answer must lie between the answer of the index without the
# writer's documents and the answer with all of them, line for line (same
# ids, relations and scores): no error, no half-written document, no wrong
# score.  Ends with `index check`.
#   RETOLD=build/retold SECS=60 sh tests/index/concurrent.sh
set -u
RETOLD=${RETOLD:-build/retold}
SECS=${SECS:-60}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

sh "$here/gen.sh" 1500 21 a > "$tmp/a.jsonl"
sed 's/^{"id":"a/{"id":"b/' "$tmp/a.jsonl" > "$tmp/b.jsonl"     # exact copies, new ids
awk 'NR % 10 == 0' "$tmp/a.jsonl" > "$tmp/q.jsonl"               # 150 queries
sed 's/^{"id":"\([^"]*\)".*/\1/' "$tmp/b.jsonl" > "$tmp/b.ids"

# the two bounds
"$RETOLD" index create "$tmp/full" -q && "$RETOLD" index add "$tmp/full" "$tmp/a.jsonl" "$tmp/b.jsonl" -q
"$RETOLD" index query "$tmp/full" "$tmp/q.jsonl" -q | tail -n +2 | sort > "$tmp/upper"
"$RETOLD" index create "$tmp/ix" -q && "$RETOLD" index add "$tmp/ix" "$tmp/a.jsonl" -q
"$RETOLD" index query "$tmp/ix" "$tmp/q.jsonl" -q | tail -n +2 | sort > "$tmp/lower"
echo "concurrent: answers between $(wc -l < "$tmp/lower") and $(wc -l < "$tmp/upper") matches; ${SECS} s"

end=$(( $(date +%s) + SECS ))
# the writer: add the copies in transactions of 20, remove them, again
(
    n=0
    while [ "$(date +%s)" -lt "$end" ]; do
        "$RETOLD" index add "$tmp/ix" "$tmp/b.jsonl" --batch 20 -q || { echo "writer: add failed" >> "$tmp/errors"; break; }
        # shellcheck disable=SC2046
        "$RETOLD" index remove "$tmp/ix" $(cat "$tmp/b.ids") -q || { echo "writer: remove failed" >> "$tmp/errors"; break; }
        n=$((n + 1))
    done
    echo "$n" > "$tmp/writer.cycles"
) &
writer=$!

queries=0
wrong=0
while [ "$(date +%s)" -lt "$end" ]; do
    if ! "$RETOLD" index query "$tmp/ix" "$tmp/q.jsonl" -q > "$tmp/got" 2>"$tmp/got.err"; then
        echo "reader: query failed: $(head -2 "$tmp/got.err")" >> "$tmp/errors"; break
    fi
    tail -n +2 "$tmp/got" | sort > "$tmp/got.s"
    queries=$((queries + 1))
    extra=$(comm -23 "$tmp/got.s" "$tmp/upper" | head -3)
    missing=$(comm -23 "$tmp/lower" "$tmp/got.s" | head -3)
    if [ -n "$extra$missing" ]; then
        wrong=$((wrong + 1))
        echo "reader: wrong answer in pass $queries: extra [$extra] missing [$missing]" >> "$tmp/errors"
    fi
done
wait "$writer"
if [ -s "$tmp/errors" ]; then echo "FAIL concurrent:"; head -10 "$tmp/errors"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
if "$RETOLD" index check "$tmp/ix" -q; then pass=$((pass + 1)); else echo "FAIL concurrent: check"; fail=$((fail + 1)); fi
echo "concurrent: $queries query passes of 150 documents ($wrong wrong), $(cat "$tmp/writer.cycles" 2>/dev/null || echo 0) writer cycles of 1500 adds + 1500 removes"
echo "concurrent: $pass passed, $fail failed"
[ "$fail" = 0 ]
