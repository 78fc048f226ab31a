#!/bin/sh
# index-bench.sh - the standing index at scale (bench/index_bench.c):
# bulk add docs/s, single-document query latency (median, p99), size on
# disk, peak memory.  The corpus comes from bench/datagen.c (news-like
# documents from Reuters sentences, 30 % planted variants).
#   sh bench/index-bench.sh [DOCS] [extra index_bench options]
# DOCS defaults to 1M; files go to bench/out/.  Needs `make` first.
set -eu
cd "$(dirname "$0")/.."
docs=${1:-1M}
[ $# -gt 0 ] && shift
out=bench/out
mkdir -p "$out"
libs=$(pkg-config --libs libxxhash libutf8proc lmdb libzstd 2>/dev/null || echo -lxxhash -lutf8proc -llmdb -lzstd)
cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude bench/index_bench.c build/libretold.a $libs -lstemmer -lz -lpthread -lm \
    -o "$out/index_bench"
[ -x "$out/datagen" ] || cc -std=c11 -O2 -o "$out/datagen" bench/datagen.c -lxxhash
if [ ! -s "$out/reuters.jsonl" ]; then
    src=${REUTERS:-../shared/data/reuters21578/docs.jsonl.gz}
    if [ -f "$src" ]; then zcat "$src" > "$out/reuters.jsonl"; else sh bench/fetch-text.sh "$out/source.txt" >/dev/null; fi
fi
source=$out/reuters.jsonl
[ -s "$source" ] || source=$out/source.txt
corpus=$out/corpus-$docs.jsonl
[ -s "$corpus" ] || "$out/datagen" --source "$source" --docs "$docs" --seed 1 -o "$corpus" -q
[ -s "$out/queries-10k.jsonl" ] || "$out/datagen" --source "$source" --docs 10k --seed 7 -o "$out/queries-10k.jsonl" -q
rm -rf "$out/index-$docs"
echo "machine: $(nproc) cores, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg); cc $(cc -dumpversion) -O2"
/usr/bin/time -v "$out/index_bench" "$corpus" "$out/index-$docs" --queries "$out/queries-10k.jsonl" "$@" \
    2>"$out/index-bench.time"
grep -E "Maximum resident|Elapsed|Percent of CPU" "$out/index-bench.time"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
