#!/bin/sh
# index.sh - end-to-end tests of `retold index`: output diffed against
# tests/cli/expected/index-*.out, exit codes and messages checked, and the
# acceptance check that an index answers as `retold pairs` does.
#   RETOLD=build/retold sh tests/cli/index.sh      (UPDATE=1 regenerates)
set -u
RETOLD=${RETOLD:-build/retold}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
exp=$here/expected
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fail=0
cd "$root" || exit 1
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $1"; [ -f "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err" | head -5; fail=$((fail + 1)); }

# run NAME WANT_EXIT CMD...: exit code; stdout in $tmp/out, stderr in $tmp/err
run() {
    name=$1; want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" = "$want" ]; then ok; else no "$name: exit $got, want $want"; fi
}
# has NAME TEXT: stderr contains TEXT
has() { if grep -qF -- "$2" "$tmp/err"; then ok; else no "$1: stderr lacks '$2'"; fi; }
# same NAME: stdout equals expected/index-NAME.out
same() {
    [ "${UPDATE:-}" = 1 ] && cp "$tmp/out" "$exp/index-$1.out"
    if diff -u "$exp/index-$1.out" "$tmp/out" > "$tmp/diff"; then ok; else no "$1: stdout differs"; head -20 "$tmp/diff"; fi
}

ix=$tmp/ix
run create 0 "$RETOLD" index create "$ix"
run create-again 2 "$RETOLD" index create "$ix"
has create-again "already holds an index"
run add 0 "$RETOLD" index add "$ix" data/crafted.jsonl data/seeds --progress
has add "committed 16 documents (16 added, 0 replaced, 0 skipped)"
run add-dup 2 "$RETOLD" index add "$ix" data/crafted.jsonl
has add-dup "id \"meduza-original\" is already in the index (--replace to overwrite it, --skip-existing to keep it)"
run add-skip 0 "$RETOLD" index add "$ix" data/crafted.jsonl --skip-existing --progress
has add-skip "(0 added, 0 replaced, 11 skipped)"
run add-replace 0 "$RETOLD" index add "$ix" data/crafted.jsonl --replace --progress
has add-replace "(0 added, 11 replaced, 0 skipped)"
run query 0 "$RETOLD" index query "$ix" data/crafted.jsonl -q
same query
run query-top 0 "$RETOLD" index query "$ix" data/crafted.jsonl -q --top 1 -f jsonl
same query-top
for key in '"query":' '"match":' '"relation":' '"score":' '"views":{"surface":{"jaccard":'; do
    if grep -qF -- "$key" "$tmp/out"; then ok; else no "query-top: jsonl lacks $key"; fi
done
run query-self 0 "$RETOLD" index query "$ix" data/seeds --include-self -q
if [ "$(tail -n +2 "$tmp/out" | awk -F'\t' '$1 == $2 && $3 == "duplicate"' | wc -l)" = 5 ]; then ok; else no "query-self: every seed finds itself"; fi
run params 2 "$RETOLD" index query "$ix" data/seeds -k 64
has params "the index was made with --perms 128, this run asks for --perms 64"
run params-ok 0 "$RETOLD" index query "$ix" data/seeds -k 128 -n 5 -q

run stats 0 "$RETOLD" index stats "$ix"
grep -v '^size\|^index' "$tmp/out" > "$tmp/out2"; mv "$tmp/out2" "$tmp/out"
same stats
run stats-json 0 "$RETOLD" index stats "$ix" -f json
for key in '"documents":16' '"sources":8' '"first_date":"2022-11-09"' '"bands":14,"rows":9' '"p_candidate":{' '"file_bytes":'; do
    if grep -qF -- "$key" "$tmp/out"; then ok; else no "stats-json: lacks $key"; fi
done
run check 0 "$RETOLD" index check "$ix" --deep
has check "ok, 16 documents"

run remove 0 "$RETOLD" index remove "$ix" wire-exact-copy
run remove-missing 2 "$RETOLD" index remove "$ix" wire-exact-copy
has remove-missing "no document with id \"wire-exact-copy\""
run forget 0 "$RETOLD" index forget "$ix" --before 2022-11-11
has forget "documents dated before 2022-11-11 removed"
run after 0 "$RETOLD" index query "$ix" data/crafted.jsonl -q
same after
run check-after 0 "$RETOLD" index check "$ix"

# The acceptance check: an index answers as `retold pairs` does: for each
# document against all before it (query --add), and for all against all
# (add, then query every document; each pair is seen from both sides).
# With low-threshold views the batch skips LSH buckets holding more than
# max(64, 4 sqrt(n)) of the corpus's n documents; an index applies the rule
# to what it holds, so only the all-against-all run must agree there.
sh tests/index/gen.sh 600 5 > "$tmp/gen.jsonl"
in="$tmp/gen.jsonl data/crafted.jsonl data/seeds"
for opts in "" "-t 0.6" "--verify exact" "--views all"; do
    case $opts in --verify*) create=""; query=$opts;; *) create=$opts; query="";; esac
    # shellcheck disable=SC2086
    "$RETOLD" pairs $opts $in | tail -n +2 | awk -F'\t' -v OFS='\t' '{ if ($1 > $2) { t = $1; $1 = $2; $2 = t } print }' | sort > "$tmp/b"
    if [ "$opts" != "--views all" ]; then
        rm -rf "$tmp/eq"
        # shellcheck disable=SC2086
        "$RETOLD" index create "$tmp/eq" -q $create
        # shellcheck disable=SC2086
        "$RETOLD" index query "$tmp/eq" --add -q $query $in | tail -n +2 |
            awk -F'\t' -v OFS='\t' '{ a = $2; b = $1; if (a > b) { t = a; a = b; b = t } print a, b, $5, $6 }' | sort > "$tmp/a"
        if [ -s "$tmp/b" ] && cmp -s "$tmp/a" "$tmp/b"; then ok; else no "query --add equals pairs ($opts): $(diff "$tmp/a" "$tmp/b" | head -3)"; fi
    fi
    rm -rf "$tmp/eq"
    # shellcheck disable=SC2086
    "$RETOLD" index create "$tmp/eq" -q $create && "$RETOLD" index add "$tmp/eq" -q $in
    # shellcheck disable=SC2086
    "$RETOLD" index query "$tmp/eq" -q $query $in | tail -n +2 |
        awk -F'\t' -v OFS='\t' -v multi="$create" '{ a = $2; b = $1; if (a > b) { t = a; a = b; b = t }
            if (multi == "--views all") print a, b, $5, $6, $3, $4; else print a, b, $5, $6 }' | sort -u > "$tmp/a"
    if [ -s "$tmp/b" ] && cmp -s "$tmp/a" "$tmp/b"; then ok; else no "query equals pairs ($opts): $(diff "$tmp/a" "$tmp/b" | head -3)"; fi
done

# Refusals: missing, foreign, truncated, corrupt; exit 2 with a message.
run missing 2 "$RETOLD" index query "$tmp/none" data/seeds
has missing "no such index"
mkdir "$tmp/empty"
run empty-dir 2 "$RETOLD" index stats "$tmp/empty"
has empty-dir "not a retold index (no data.mdb)"
mkdir "$tmp/foreign" && head -c 65536 /dev/urandom > "$tmp/foreign/data.mdb"
run foreign 2 "$RETOLD" index query "$tmp/foreign" data/seeds
has foreign "not a retold index"
cp -r "$ix" "$tmp/trunc" && truncate -s 12288 "$tmp/trunc/data.mdb"
run truncated 2 "$RETOLD" index query "$tmp/trunc" data/seeds
has truncated "truncated"
cp -r "$ix" "$tmp/bad"
off=$(grep -boa 'trimmed-tail' "$tmp/bad/data.mdb" | head -1 | cut -d: -f1)
printf 'X' | dd of="$tmp/bad/data.mdb" bs=1 seek="$off" conv=notrunc 2>/dev/null
run corrupt-check 2 "$RETOLD" index check "$tmp/bad"
has corrupt-check "fails its checksum or encoding"
run corrupt-query 2 "$RETOLD" index query "$tmp/bad" data/crafted.jsonl
has corrupt-query "corrupt"
# LMDB's own structure damaged: each branch page's node offsets overwritten
# (page flags at byte 10: 1 = branch).  LMDB trusts them and may read
# outside its map; check runs in a child process and reports that death as
# corruption, never dies of it (exit 2, or 0 for a page no longer in use;
# never 128 + signal).
# (A fresh index: offsets of 0xFFFF point past the end of its small file,
# so reading one is a SIGBUS, the case this is about.)
run btree-create 0 "$RETOLD" index create "$tmp/bt0"
run btree-add 0 "$RETOLD" index add "$tmp/bt0" data/crafted.jsonl data/seeds
psz=$(getconf PAGESIZE 2>/dev/null || echo 4096)       # LMDB's page is the system's
pages=$(( $(wc -c < "$tmp/bt0/data.mdb") / psz ))
p=2
nbranch=0
ncrash=0
while [ "$p" -lt "$pages" ]; do
    if [ "$(od -An -tu2 -j $((p * psz + 10)) -N2 "$tmp/bt0/data.mdb" | tr -d ' ')" = 1 ]; then
        nbranch=$((nbranch + 1))
        rm -rf "$tmp/btree" && cp -r "$tmp/bt0" "$tmp/btree"
        printf '\377\377\377\377\377\377\377\377' | dd of="$tmp/btree/data.mdb" bs=1 seek=$((p * psz + 16)) conv=notrunc 2>/dev/null
        # (under ASan, let the signal kill the child as it would without it)
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_sigbus=0:handle_segv=0" \
            "$RETOLD" index check "$tmp/btree" >"$tmp/out" 2>"$tmp/err"
        got=$?
        # 0: a page of an older version of the tree, no longer read
        case $got in
        0) ok ;;
        2) if grep -qE 'corrupt|problem' "$tmp/err"; then ok; else no "btree-check-page-$p: exit 2 without corrupt or problem"; fi ;;
        *) no "btree-check-page-$p: exit $got (a signal?), want 0 or 2" ;;
        esac
        if grep -q "LMDB's B-tree is damaged" "$tmp/err"; then
            ncrash=$((ncrash + 1))
            # the same with SIGCHLD ignored by the caller (inherited across
            # exec): one report, exit 2, no second check in the parent
            ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_sigbus=0:handle_segv=0" \
                env --ignore-signal=CHLD "$RETOLD" index check "$tmp/btree" >"$tmp/out" 2>"$tmp/err"
            got=$?
            if [ "$got" = 2 ] && [ "$(grep -c "LMDB's B-tree is damaged" "$tmp/err")" = 1 ]; then ok
            else no "btree-check-page-$p-sigchld-ignored: exit $got, $(grep -c "B-tree" "$tmp/err") reports"; fi
        fi
    fi
    p=$((p + 1))
done
if [ "$nbranch" -gt 0 ]; then ok; else no "btree: the test index has no branch page to damage"; fi
if [ "$ncrash" -gt 0 ]; then ok; else no "btree: no damaged page crashed LMDB: the child-process path went untested"; fi

# A read-only directory: writing is refused clearly; reading works (as an
# unprivileged user when run as root).
cp -r "$ix" "$tmp/ro"
if [ "$(id -u)" = 0 ]; then
    chmod -R a+rX "$tmp" && chmod 755 "$tmp"
    as="setpriv --reuid=65534 --regid=65534 --clear-groups"
    chmod 777 "$tmp/ro" && chmod 666 "$tmp/ro/lock.mdb" && chmod 444 "$tmp/ro/data.mdb" && chmod 555 "$tmp/ro"
else
    as=""
    chmod 444 "$tmp/ro/data.mdb" && chmod 555 "$tmp/ro"
fi
# shellcheck disable=SC2086
run ro-add 3 $as "$RETOLD" index add "$tmp/ro" data/seeds --replace
has ro-add "Permission denied"
# shellcheck disable=SC2086
run ro-query 0 $as "$RETOLD" index query "$tmp/ro" data/crafted.jsonl -q
chmod -R u+w "$tmp/ro"
run ro-check 0 "$RETOLD" index check "$tmp/ro"

# Usage errors: exit 1.
run usage-no-dir 1 "$RETOLD" index add
run usage-command 1 "$RETOLD" index frobnicate
run usage-forget 1 "$RETOLD" index forget "$ix"
has usage-forget "forget needs --before DATE"
run usage-format 1 "$RETOLD" index query "$ix" data/seeds -f xml

echo "index cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
