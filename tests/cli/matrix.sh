#!/bin/sh
# matrix.sh - the CLI half of the hostile-input matrix (tests/fuzz/README.md
# has the whole table, with the library half in tests/check_limits.c and
# what tests/cli/run.sh and tests/check_reader.c already cover).  Every case
# checks the exit status and a stderr substring; big inputs are generated
# into $TMPDIR and timed.
#
#   RETOLD=build/retold sh tests/cli/matrix.sh
#
#   MATRIX_BIG_MB=100         size of the large single document (MB); the
#                             1 GB run is MATRIX_BIG_MB=1024 (needs ~3 GB of
#                             $TMPDIR and ~11 GB of memory)
#   MATRIX_TINY_DOCS=1000000  number of tiny documents
#   MATRIX_TIMES=1            print the time of every timed case (default on)
#
# Output: one line per failure or skip, the timings, and "N passed, N
# failed, N skipped"; the exit status is 1 if anything failed.
set -u
RETOLD=${RETOLD:-build/retold}
BIG_MB=${MATRIX_BIG_MB:-100}
TINY=${MATRIX_TINY_DOCS:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
case $RETOLD in /*) ;; *) RETOLD=$root/$RETOLD ;; esac
[ -x "$RETOLD" ] || { echo "matrix: $RETOLD not built (make)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/retold-matrix-XXXXXX") || exit 1
mnt=
cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
skip=0

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
skipped() { echo "skip $*"; skip=$((skip + 1)); }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# run NAME WANT_EXIT CMD...: run with stdout and stderr to $tmp/NAME.{out,err}
run() {
    name=$1; want=$2; shift 2
    "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    got=$?
    if [ "$got" = "$want" ]; then ok; else
        bad "$name: exit $got, want $want"; sed 's/^/     stderr: /' "$tmp/$name.err" | head -5
    fi
}
# timed NAME WANT_EXIT CMD...: run, and print the wall time (and peak memory
# when GNU time is there)
timed() {
    name=$1; want=$2; shift 2
    t0=$(now)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$tmp/$name.mem" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    else
        "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    fi
    got=$?
    t=$(elapsed "$t0")
    mem=$(tail -1 "$tmp/$name.mem" 2>/dev/null | awk '/^[0-9]+$/ { printf ", %.0f MB peak", $1 / 1024 }')
    [ "${MATRIX_TIMES:-1}" = 1 ] && echo "time $name: ${t} s$mem"
    if [ "$got" = "$want" ]; then ok; else
        bad "$name: exit $got, want $want"; sed 's/^/     stderr: /' "$tmp/$name.err" | head -5
    fi
}
# err_has NAME TEXT / err_empty NAME / out_lines NAME N / out_has NAME TEXT
err_has() {
    if grep -qF -- "$2" "$tmp/$1.err"; then ok; else
        bad "$1: stderr lacks '$2'"; sed 's/^/     stderr: /' "$tmp/$1.err" | head -5; fi
}
err_lacks() {
    if grep -qF -- "$2" "$tmp/$1.err"; then bad "$1: stderr has '$2'"; sed 's/^/     stderr: /' "$tmp/$1.err" | head -3; else ok; fi
}
err_empty() {
    if [ -s "$tmp/$1.err" ]; then bad "$1: stderr not empty"; sed 's/^/     stderr: /' "$tmp/$1.err" | head -5; else ok; fi
}
out_lines() {
    n=$(wc -l <"$tmp/$1.out" | tr -d ' ')
    if [ "$n" = "$2" ]; then ok; else bad "$1: $n output lines, want $2"; fi
}
out_has() {
    if grep -qF -- "$2" "$tmp/$1.out"; then ok; else bad "$1: stdout lacks '$2'"; head -3 "$tmp/$1.out" | sed 's/^/     stdout: /'; fi
}
# valid_utf8 NAME: stdout is well-formed UTF-8 (iconv refuses anything else)
valid_utf8() {
    if iconv -f UTF-8 -t UTF-8 "$tmp/$1.out" >/dev/null 2>&1; then ok; else
        bad "$1: output is not valid UTF-8"; od -c "$tmp/$1.out" | head -3 | sed 's/^/     /'; fi
}

d=$tmp/in
mkdir -p "$d"
rec() { printf '{"id":"%s","text":"%s"}\n' "$1" "$2"; }
TXT="the cabinet met on tuesday to discuss the budget for next year and the plan"

# --- empty input ------------------------------------------------------------
: >"$d/empty.jsonl"
run empty-jsonl 0 "$RETOLD" pairs "$d/empty.jsonl"
out_lines empty-jsonl 1
run empty-clusters 0 "$RETOLD" clusters "$d/empty.jsonl"
out_lines empty-clusters 0
run empty-dedup 0 "$RETOLD" dedup "$d/empty.jsonl"
err_has empty-dedup "0 documents read"
run empty-stdin 0 sh -c "\"$RETOLD\" pairs - </dev/null"
mkdir "$d/emptydir"
run empty-dir 0 "$RETOLD" pairs "$d/emptydir"
: >"$d/empty.txt"
run empty-textfile 0 "$RETOLD" pairs --stats "$d/empty.txt"
err_has empty-textfile "1 documents (1 empty)"

# --- no final newline, CRLF, BOM (stdin and dedup output) -------------------
printf '{"id":"a","text":"%s"}' "$TXT" >"$d/nofinal.jsonl"
run nofinal-stdin 0 sh -c "\"$RETOLD\" dedup -q - <\"$d/nofinal.jsonl\""
out_lines nofinal-stdin 1
{ rec a "$TXT"; rec b "$TXT"; } | sed 's/$/\r/' >"$d/crlf.jsonl"
run crlf-dedup 0 "$RETOLD" dedup -q "$d/crlf.jsonl"
if grep -q "$(printf '\r')" "$tmp/crlf-dedup.out"; then bad "crlf-dedup: CR copied to the output"; else ok; fi
out_lines crlf-dedup 1
mkdir "$d/eol"
printf 'First line of the story.\nSecond line, with more words in it.\n\nNew paragraph here.\n' >"$d/eol/lf.txt"
sed 's/$/\r/' "$d/eol/lf.txt" >"$d/eol/crlf.txt"
run crlf-vs-lf 0 "$RETOLD" pairs "$d/eol"
out_has crlf-vs-lf "crlf.txt	lf.txt	1.0000	1.0000"
printf '\357\273\277' >"$d/bom.jsonl"
rec a "$TXT" >>"$d/bom.jsonl"
run bom-dedup 0 "$RETOLD" dedup -q "$d/bom.jsonl"
out_has bom-dedup '{"id":"a",'
if head -c 3 "$tmp/bom-dedup.out" | od -An -tx1 | grep -q 'ef bb bf'; then bad "bom-dedup: BOM copied to the output"; else ok; fi
mkdir "$d/bom"
printf '%s' "$TXT" >"$d/bom/plain.txt"
printf '\357\273\277%s' "$TXT" >"$d/bom/marked.txt"
run bom-text 0 "$RETOLD" pairs --exact "$d/bom"
out_has bom-text "marked.txt	plain.txt	1.0000	1.0000"

# --- UTF-16 -----------------------------------------------------------------
rec a "$TXT" | iconv -f UTF-8 -t UTF-16BE | { printf '\376\377'; cat; } >"$d/be.jsonl"
run utf16be-jsonl 2 "$RETOLD" pairs "$d/be.jsonl"
err_has utf16be-jsonl "be.jsonl: UTF-16 text (byte order mark FE FF)"
printf '%s' "$TXT" | iconv -f UTF-8 -t UTF-16 >"$d/u16.txt"
run utf16-textfile 2 "$RETOLD" pairs "$d/u16.txt"
err_has utf16-textfile "iconv -f UTF-16 -t UTF-8"
mkdir "$d/u16dir"
printf '%s' "$TXT" >"$d/u16dir/a.txt"
cp "$d/u16.txt" "$d/u16dir/b.txt"
run utf16-in-dir 2 "$RETOLD" pairs "$d/u16dir"
err_has utf16-in-dir "u16dir/b.txt: UTF-16"
run utf16-in-dir-skip 0 "$RETOLD" pairs --skip-bad "$d/u16dir"
err_has utf16-in-dir-skip "skipped 1 bad record(s)"
rec a "$TXT" | iconv -f UTF-8 -t UTF-16LE >"$d/le-nobom.jsonl"
run utf16-no-bom 2 "$RETOLD" pairs "$d/le-nobom.jsonl"
err_has utf16-no-bom "le-nobom.jsonl:1: malformed JSON"

# --- invalid UTF-8 and NUL bytes: in ids, output stays well formed ---------
printf '{"id":"bad\377id","text":"%s"}\n{"id":"nul\\u0000id","text":"%s"}\n' "$TXT" "$TXT" >"$d/ids.jsonl"
# Regression: cli_put_json (src/cli/common.c:327) copies invalid UTF-8 from
# ids into JSON output, which then is not JSON (RFC 8259 requires UTF-8).
run badid-pairs-jsonl 0 "$RETOLD" pairs -f jsonl "$d/ids.jsonl"
valid_utf8 badid-pairs-jsonl
run badid-clusters 0 "$RETOLD" clusters "$d/ids.jsonl"
valid_utf8 badid-clusters
# Regression: cli_put_tsv (src/cli/common.c:314) writes a NUL byte in an id
# as is; a TSV line with a NUL in it is cut short by most tools.
run nulid-tsv 0 "$RETOLD" pairs "$d/ids.jsonl"
if tr -d '\000' <"$tmp/nulid-tsv.out" | cmp -s - "$tmp/nulid-tsv.out"; then ok; else
    bad "nulid-tsv: NUL byte in TSV output"; fi
printf 'one\000two three four five six seven' >"$d/nul.txt"
run nul-textfile 0 "$RETOLD" pairs --stats "$d/nul.txt"
err_has nul-textfile "1 documents"
printf '{"id":"a","text":"x\000y"}\n' >"$d/rawnul.jsonl"
run nul-raw-jsonl 2 "$RETOLD" pairs "$d/rawnul.jsonl"
err_has nul-raw-jsonl "rawnul.jsonl:1: malformed JSON: column 20: control character in string"

# --- ids: missing, non-string, duplicates -----------------------------------
{ rec a "$TXT"; printf '{"id":"b"}\n'; } >"$d/notext.jsonl"
run missing-text 2 "$RETOLD" pairs "$d/notext.jsonl"
err_has missing-text 'notext.jsonl:2: missing field "text"'
run missing-text-skip 0 "$RETOLD" pairs --skip-bad "$d/notext.jsonl"
err_has missing-text-skip "skipped 1 bad record(s)"
printf '{"doc":"x1","body":"%s"}\n{"doc":"x2","body":"%s"}\n' "$TXT" "$TXT" >"$d/fields.jsonl"
run custom-fields 0 "$RETOLD" pairs --id-field doc --text-field body "$d/fields.jsonl"
out_has custom-fields "x1	x2	1.0000"
run custom-fields-missing 2 "$RETOLD" pairs "$d/fields.jsonl"
err_has custom-fields-missing 'missing field "id"'
printf '{"id":42,"text":"%s"}\n{"id":-1.5e3,"text":"%s"}\n' "$TXT" "$TXT" >"$d/numid.jsonl"
run number-id 0 "$RETOLD" pairs "$d/numid.jsonl"
out_has number-id "42	-1.5e3	1.0000"
for kind in '["a"]|an array' '{"a":1}|an object' 'true|a boolean' 'null|a null'; do
    printf '{"id":%s,"text":"x"}\n' "${kind%%|*}" >"$d/typeid.jsonl"
    run "id-${kind##*|}" 2 "$RETOLD" pairs "$d/typeid.jsonl"
    err_has "id-${kind##*|}" "typeid.jsonl:1: field \"id\" is ${kind##*|}, not a string"
done
rec x "$TXT" >"$d/dup1.jsonl"
{ rec y "other words"; rec x "more words"; } >"$d/dup2.jsonl"
run dup-across-files 2 "$RETOLD" pairs "$d/dup1.jsonl" "$d/dup2.jsonl"
err_has dup-across-files 'dup2.jsonl:2: duplicate id "x"'
run dup-skip-bad 2 "$RETOLD" pairs --skip-bad "$d/dup1.jsonl" "$d/dup2.jsonl"
err_has dup-skip-bad "duplicate id"
run dup-against 0 "$RETOLD" pairs "$d/dup1.jsonl" --against "$d/dup2.jsonl"

# --- directories: binary files, link loops, dangling links, FIFOs -----------
mkdir -p "$d/tree/sub"
printf '%s' "$TXT" >"$d/tree/a.txt"
printf '%s' "$TXT" >"$d/tree/sub/b.txt"
printf 'ELF\000\001\002binary' >"$d/tree/prog.bin"
ln -s .. "$d/tree/sub/up"
ln -s self "$d/tree/self"
ln -s nowhere "$d/tree/zz-dangling"
mkfifo "$d/tree/fifo" 2>/dev/null
run dir-loops 2 timeout 20 "$RETOLD" pairs "$d/tree"
err_has dir-loops "tree/self: Too many levels of symbolic links"
run dir-loops-skip 0 timeout 20 "$RETOLD" pairs --skip-bad "$d/tree"
out_has dir-loops-skip "a.txt	sub/b.txt	1.0000"
err_has dir-loops-skip "sub/up: symbolic link loop, not followed"
err_has dir-loops-skip "prog.bin: binary file (NUL bytes), skipped"
err_has dir-loops-skip "zz-dangling: No such file or directory"
err_has dir-loops-skip "skipped 2 bad record(s) and 1 binary file(s)"

# --- unreadable files ---------------------------------------------------------
rec a "$TXT" >"$d/locked.jsonl"
chmod 000 "$d/locked.jsonl"
if [ -r "$d/locked.jsonl" ]; then
    skipped "unreadable-chmod: permission bits do not apply (running as root); using /proc/self/mem"
    run unreadable-proc 2 "$RETOLD" pairs --input-format jsonl /proc/self/mem
    err_has unreadable-proc "/proc/self/mem: read error: Input/output error"
    run unreadable-proc-skip 0 "$RETOLD" pairs --skip-bad --input-format text /proc/self/mem
    err_has unreadable-proc-skip "skipped 1 bad record(s)"
else
    run unreadable-chmod 2 "$RETOLD" pairs "$d/locked.jsonl"
    err_has unreadable-chmod "locked.jsonl: Permission denied"
    mkdir "$d/lockdir" && chmod 000 "$d/lockdir"
    run unreadable-dir 2 "$RETOLD" pairs "$d/lockdir"
    err_has unreadable-dir "lockdir: Permission denied"
fi
# Regression: a closed standard input is read as an empty one: mkstemp in
# spool_stdin (src/reader.c:202) gets descriptor 0 and reads its own file.
run stdin-closed 2 sh -c "\"$RETOLD\" pairs - <&-"
err_has stdin-closed "standard input"

# --- long lines and the limits -------------------------------------------------
awk 'BEGIN { printf "{\"id\":\"long\",\"text\":\""; for (i = 0; i < 300; i++) printf "word%d ", i; print "\"}" }' >"$d/long.jsonl"
rec short "$TXT" >>"$d/long.jsonl"
run max-line 2 "$RETOLD" pairs --max-line 1K "$d/long.jsonl"
err_has max-line "long.jsonl:1: line of 2"
err_has max-line "exceeds the line limit (1024 bytes; --max-line)"
run max-line-skip 0 "$RETOLD" pairs --max-line 1K --skip-bad --stats "$d/long.jsonl"
err_has max-line-skip "1 documents"

# --- options ------------------------------------------------------------------
# Regression: an unknown option in a cluster is named from argv[optind - 1]
# (src/cli/common.c:205), which is the previous argument ("pairs") when
# getopt has not finished the cluster yet.
run usage-cluster 1 "$RETOLD" pairs -Zq "$d/dup1.jsonl"
err_has usage-cluster "unknown option '-Z'"
run usage-long 1 "$RETOLD" pairs --no-such-option "$d/dup1.jsonl"
err_has usage-long "unknown option '--no-such-option'"
run usage-missing-value 1 "$RETOLD" pairs "$d/dup1.jsonl" --max-doc-size
err_has usage-missing-value "option '--max-doc-size' needs a value"
run usage-size-suffix 1 "$RETOLD" pairs --max-doc-size 5X "$d/dup1.jsonl"
err_has usage-size-suffix "--max-doc-size must be 1..4G, not '5X'"

# --- output: full disk, closed pipe ----------------------------------------------
awk 'BEGIN { for (i = 0; i < 20000; i++) { t = i - i % 2; printf "{\"id\":\"doc%d\",\"text\":\"w%d x%d y%d z%d v%d u%d\"}\n", i, t, t, t, t, t, t } }' >"$d/twins.jsonl"
if [ -w /dev/full ]; then
    run full-dedup 3 "$RETOLD" dedup "$d/twins.jsonl" -o /dev/full
    err_has full-dedup "writing /dev/full: No space left on device"
    run full-clusters 3 "$RETOLD" clusters "$d/twins.jsonl" -o /dev/full
    err_has full-clusters "No space left on device"
    run full-stdout 3 sh -c "\"$RETOLD\" pairs \"$d/twins.jsonl\" >/dev/full"
    err_has full-stdout "writing standard output: No space left on device"
else
    skipped "full-*: no writable /dev/full"
fi
mnt=$tmp/small
mkdir "$mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k retold-matrix "$mnt" 2>/dev/null; then
    run tmpfs-full-dedup 3 "$RETOLD" dedup "$d/twins.jsonl" -o "$mnt/unique.jsonl"
    err_has tmpfs-full-dedup "No space left on device"
    # nothing is left behind: no truncated output, no temporary file
    if [ -z "$(ls -A "$mnt")" ]; then ok; else bad "tmpfs-full-dedup: left $(ls -A "$mnt" | tr '\n' ' ')"; fi
    echo "previous results" >"$mnt/pairs.tsv"
    run tmpfs-full-pairs 3 "$RETOLD" pairs "$d/twins.jsonl" -o "$mnt/pairs.tsv"
    err_has tmpfs-full-pairs "writing $mnt/pairs.tsv: No space left on device"
    # an existing file keeps its contents
    if [ "$(cat "$mnt/pairs.tsv")" = "previous results" ] && [ "$(ls -A "$mnt")" = pairs.tsv ]; then ok
    else bad "tmpfs-full-pairs: $mnt holds $(ls -A "$mnt" | tr '\n' ' ')"; fi
    rm -f "$mnt/pairs.tsv"
    run tmpfs-fits 0 "$RETOLD" pairs "$d/dup1.jsonl" -o "$mnt/small.tsv"
    umount "$mnt" && mnt=
else
    mnt=
    skipped "tmpfs-full-*: mounting a 64k tmpfs needs root"
fi
# Output files are written to a temporary file and renamed when complete:
# a failed run leaves an existing file as it was and no temporary file; a
# command may write over its own input; the file's mode is kept.
printf 'id_a\tid_b\nold\tresults\n' >"$tmp/keep.tsv"
chmod 640 "$tmp/keep.tsv"
printf '{"id":"a","text":"one two three"}\n{"id":' >"$tmp/badtail.jsonl"
run output-kept-on-error 2 "$RETOLD" pairs "$tmp/badtail.jsonl" -o "$tmp/keep.tsv"
if [ "$(sed -n 2p "$tmp/keep.tsv")" = "$(printf 'old\tresults')" ]; then ok; else bad "output-kept-on-error: the file changed"; fi
if ls "$tmp" | grep -q '\.retold-'; then bad "output-kept-on-error: a temporary file is left: $(ls "$tmp" | grep '\.retold-')"; else ok; fi
run output-mode-kept 0 "$RETOLD" pairs "$d/twins.jsonl" -o "$tmp/keep.tsv"
case $(ls -l "$tmp/keep.tsv") in -rw-r-----*) ok ;; *) bad "output-mode-kept: $(ls -l "$tmp/keep.tsv")" ;; esac
n=$(wc -l <"$tmp/keep.tsv" | tr -d ' ')
if [ "$n" = 10001 ]; then ok; else bad "output-mode-kept: $n lines, want a header and 10000 pairs"; fi
cp "$d/twins.jsonl" "$tmp/own.jsonl"
run output-over-input 0 "$RETOLD" dedup "$tmp/own.jsonl" -o "$tmp/own.jsonl"
n=$(wc -l <"$tmp/own.jsonl" | tr -d ' ')
if [ "$n" = 10000 ]; then ok; else bad "output-over-input: $n lines, want 10000 (one of each twin)"; fi

# A reader that goes away: 10000 pairs (~170 KB) into `head -1`.  Default
# SIGPIPE: killed by it (141) or done (0), nothing on stderr.  With SIGPIPE
# ignored (some CI runners): EPIPE on standard output, and retold leaves as
# if SIGPIPE had not been ignored (141; git does the same), or 0 - quickly,
# and nothing on stderr.
pipe_case() {
    name=$1; shift
    t0=$(now)
    { "$@" "$RETOLD" pairs "$d/twins.jsonl" 2>"$tmp/$name.err"; echo $? >"$tmp/$name.rc"; } | head -1 >"$tmp/$name.out"
    t=$(elapsed "$t0")
    [ "${MATRIX_TIMES:-1}" = 1 ] && echo "time $name: ${t} s"
    rc=$(cat "$tmp/$name.rc")
}
sigign=$(awk '/^SigIgn:/ { print $2 }' /proc/$$/status 2>/dev/null)
if [ -n "$sigign" ] && [ $((0x$sigign & 0x1000)) != 0 ]; then
    skipped "closed-pipe: this shell was started with SIGPIPE ignored and cannot restore it"
else
    pipe_case closed-pipe env
    case $rc in 0|141) ok ;; *) bad "closed-pipe: exit $rc, want 0 or 141 (SIGPIPE)" ;; esac
    err_empty closed-pipe
fi
pipe_case closed-pipe-sigign sh -c 'trap "" PIPE; exec "$@"' sh
case $rc in
0|141) ok ;;
*) bad "closed-pipe-sigign: exit $rc, want 0 or 141" ;;
esac
err_empty closed-pipe-sigign
out_lines closed-pipe-sigign 1

# --- a large single document ---------------------------------------------------
big=$tmp/big.txt
t0=$(now)
awk -v mb="$BIG_MB" 'BEGIN { srand(1); split("ka ro mi te su la vo ne pi da gor ban tel mus ri fo zen ul an ex", s, " ");
    limit = mb * 1000000; n = 0
    while (n < limit) { w = s[int(rand() * 20) + 1] s[int(rand() * 20) + 1] s[int(rand() * 20) + 1]; printf "%s ", w; n += length(w) + 1 } }' >"$big"
{ printf '{"id":"big","text":"'; cat "$big"; printf '"}\n'; } >"$tmp/big.jsonl"
[ "${MATRIX_TIMES:-1}" = 1 ] && echo "time big-generate: $(elapsed "$t0") s ($BIG_MB MB text + JSONL)"
limit=$((BIG_MB * 2))M
if [ "$BIG_MB" -gt 64 ]; then
    timed big-text-refused 2 "$RETOLD" pairs "$big" "$d/nul.txt"
    err_has big-text-refused "big.txt: document larger than the document limit (67108864 bytes; --max-doc-size)"
    timed big-jsonl-refused 2 "$RETOLD" pairs "$tmp/big.jsonl"
    err_has big-jsonl-refused "big.jsonl:1: text of "
    err_has big-jsonl-refused "exceeds the document limit (67108864 bytes; --max-doc-size)"
fi
half=$((BIG_MB / 2 + 1))
timed big-jsonl-line-limit 2 "$RETOLD" pairs --max-line "${half}M" "$tmp/big.jsonl"
err_has big-jsonl-line-limit "the line limit ($((half * 1048576)) bytes; --max-line)"
timed big-text 0 "$RETOLD" pairs --stats --max-doc-size "$limit" "$big" "$d/nul.txt"
err_has big-text "2 documents"
timed big-jsonl 0 "$RETOLD" pairs --stats --max-doc-size "$limit" "$tmp/big.jsonl"
err_has big-jsonl "1 documents"
rm -f "$big" "$tmp/big.jsonl"

# --- a million tiny documents ---------------------------------------------------
# Documents 1000k and 1000k + 1 are the same text; all others share no word.
t0=$(now)
awk -v n="$TINY" 'BEGIN { for (i = 0; i < n; i++) { t = (i % 1000 == 1) ? i - 1 : i;
    printf "{\"id\":\"d%d\",\"text\":\"a%d b%d c%d d%d e%d f%d\"}\n", i, t, t, t, t, t, t } }' >"$tmp/tiny.jsonl"
[ "${MATRIX_TIMES:-1}" = 1 ] && echo "time tiny-generate: $(elapsed "$t0") s ($TINY documents)"
timed tiny-pairs 0 "$RETOLD" pairs --stats -j 2 "$tmp/tiny.jsonl"
err_has tiny-pairs "$TINY documents (0 empty)"
out_lines tiny-pairs $(( (TINY + 998) / 1000 + 1 ))
out_has tiny-pairs "d0	d1	1.0000	1.0000"
rm -f "$tmp/tiny.jsonl"

echo "matrix: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
