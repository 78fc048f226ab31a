#!/bin/sh
# check-exact.sh - exact_pairs' prefix filter against brute force on a 2k
# document corpus from datagen: the two outputs must be byte-identical.
# Three settings: the benchmark's (n = 5, tau = 0.65), a low threshold
# (tau = 0.3, longer prefixes, more candidates), and 2-word shingles at
# tau = 0.2 (frequent shingles, long index lists).
#   sh bench/check-exact.sh          (make -f Makefile -f bench/bench.mk bench-check)
# Needs bench/out/{datagen,exact_pairs}; the text from bench/fetch-text.sh.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$root/bench/out}
src=$(sh "$root/bench/fetch-text.sh")
corpus=$out/check-2k.jsonl
[ -s "$corpus" ] || "$out/datagen" --source "$src" --docs 2000 --seed 7 -q -o "$corpus"
status=0
for setting in "-n 5 --tau 0.65" "-n 5 --tau 0.3" "-n 2 --tau 0.2"; do
    # shellcheck disable=SC2086
    "$out/exact_pairs" -q $setting "$corpus" >"$out/check-prefix.tsv"
    # shellcheck disable=SC2086
    "$out/exact_pairs" -q --brute $setting "$corpus" >"$out/check-brute.tsv"
    pairs=$(($(wc -l <"$out/check-brute.tsv") - 1))
    if cmp -s "$out/check-prefix.tsv" "$out/check-brute.tsv"; then
        echo "exact_pairs $setting: prefix filter = brute force ($pairs pairs)"
    else
        echo "exact_pairs $setting: prefix filter differs from brute force:" >&2
        diff "$out/check-brute.tsv" "$out/check-prefix.tsv" | head -20 >&2
        status=1
    fi
    [ "$pairs" -gt 0 ] || { echo "exact_pairs $setting: no pairs, the check proves nothing" >&2; status=1; }
done
exit $status
