#!/bin/sh
# bench/run.sh - retold's benchmark: one command, one table (bench/README.md).
#
#   sh bench/run.sh                    (make bench)
#   BENCH_SIZES="10000 100000" BENCH_FULL=1 sh bench/run.sh
#
# For each corpus size: datagen makes the corpus (bench/out/, cached);
# exact_pairs gives the exact pairs (sizes <= BENCH_EXACT_MAX); `retold pairs
# -j 2 --stats` runs BENCH_REPEAT times under /usr/bin/time -v (the median by
# wall time is reported, the load average of every run is kept); the naive
# MinHash pipeline (stages --naive-pairs -j 2) runs once as the in-run
# reference; stages times every step on one thread.  Prints one table and
# writes bench/results/YYYY-MM-DD-COMMIT.md, bench/results/scaling-COMMIT.dat
# and bench/results/scaling-COMMIT.svg (gnuplot), COMMIT being the short
# hash of HEAD, so runs of other commits or days sit side by side.
#
# Environment (defaults):
#   BENCH_SIZES="10000 100000"  corpus sizes in documents
#   BENCH_FULL=0                1: add 1000000
#   BENCH_REPEAT=3              runs of retold per size up to 100k documents
#   BENCH_REPEAT_BIG=1          runs of retold per larger size
#   BENCH_EXACT_MAX=100000      exact ground truth up to this size
#   BENCH_NAIVE_MAX=100000      naive baseline up to this size (it holds the
#                               corpus in memory)
#   BENCH_STAGES_MAX=100000     per-stage timing up to this size (the same)
#   BENCH_THREADS=2  BENCH_T=0.8  BENCH_K=128  BENCH_SEED=1 (datagen seed)
#   BENCH_RESULTS=bench/results/YYYY-MM-DD-COMMIT.md
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

sizes=${BENCH_SIZES:-"10000 100000"}
[ "${BENCH_FULL:-0}" = 1 ] && sizes="$sizes 1000000"
repeat=${BENCH_REPEAT:-3}
repeat_big=${BENCH_REPEAT_BIG:-1}
exact_max=${BENCH_EXACT_MAX:-100000}
naive_max=${BENCH_NAIVE_MAX:-100000}
stages_max=${BENCH_STAGES_MAX:-100000}
threads=${BENCH_THREADS:-2}
t=${BENCH_T:-0.8}
k=${BENCH_K:-128}
seed=${BENCH_SEED:-1}
out=bench/out
resdir=bench/results
day=$(date +%F)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
results=${BENCH_RESULTS:-$resdir/$day-$commit.md}
retold=build/retold
mkdir -p "$out" "$resdir"

log() { echo "bench: $*" >&2; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# ---------------------------------------------------------------- build
log "building (make all bench-progs)"
make -s all >&2
make -s -f Makefile -f bench/bench.mk bench-progs >&2
[ -x /usr/bin/time ] || { log "needs /usr/bin/time (apt-get install time)"; exit 1; }
src=$(sh bench/fetch-text.sh)

# /usr/bin/time -v output -> "wall cpu rss_kb"
time_fields() {
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /User time/ { u = $2 } /System time/ { s = $2 }
        /Maximum resident set size/ { r = $2 }
        END { printf "%.3f %.3f %d\n", w, u + s, r }' "$1"
}

# ------------------------------------------------------------ the runs
# rows.tsv: one line per table row,
#   docs MB label wall cpu mbps docsps rss_mb rss_per_doc recall false ratio load
rows=$out/rows.tsv
: >"$rows"
: >"$out/runs.tsv"           # every retold run: docs run wall cpu rss load
: >"$out/notes.txt"
dat=$resdir/scaling-$commit.dat
svg=$resdir/scaling-$commit.svg
printf '# docs\tMB\twall_s\tcpu_s\tMB_per_s\tdocs_per_s\trss_MB\tus_per_doc_wall\tus_per_doc_cpu\trss_bytes_per_doc\ttarget_bytes_per_doc\n' >"$dat"
load_start=$(uptime)
cmds=""
addcmd() { cmds="$cmds
    $*"; }

for n in $sizes; do
    corpus=$out/corpus-$n.jsonl
    if [ ! -s "$corpus" ] || [ "$corpus" -ot "$out/datagen" ] || [ "$corpus" -ot "$src" ]; then
        log "generating $n documents"
        "$out/datagen" --source "$src" --docs "$n" --seed "$seed" -q -o "$corpus.tmp" --truth "$out/truth-$n.tsv"
        mv "$corpus.tmp" "$corpus"
    fi
    addcmd "$out/datagen --source $src --docs $n --seed $seed -o $corpus --truth $out/truth-$n.tsv"
    bytes=$(wc -c <"$corpus")
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    cat "$corpus" >/dev/null        # the same page-cache state for every run

    exact=""
    if [ "$n" -le "$exact_max" ]; then
        exact=$out/exact-$n-t$t.tsv
        if [ ! -s "$exact" ] || [ "$exact" -ot "$corpus" ] || [ "$exact" -ot "$out/exact_pairs" ]; then
            log "exact pairs of $n documents"
            "$out/exact_pairs" -t "$t" -o "$exact.tmp" "$corpus" 2>"$out/exact-$n.log"
            mv "$exact.tmp" "$exact"
        fi
        addcmd "$out/exact_pairs -t $t -o $exact $corpus"
        echo "exact $n: $(cat "$out/exact-$n.log" 2>/dev/null || echo cached)" >>"$out/notes.txt"
    fi

    # retold, BENCH_REPEAT times; the median run by wall time
    reps=$repeat
    [ "$n" -gt 100000 ] && reps=$repeat_big
    cmd="$retold pairs -j $threads --stats -t $t -k $k $corpus"
    addcmd "/usr/bin/time -v $cmd > $out/pairs-$n.tsv   # x$reps"
    i=1
    while [ "$i" -le "$reps" ]; do
        l=$(load1)
        log "retold pairs, $n documents, run $i/$reps (load $l)"
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$out/time-$n-$i.txt" $cmd >"$out/pairs-$n-$i.tsv" 2>"$out/stats-$n-$i.txt"
        echo "$n $i $(time_fields "$out/time-$n-$i.txt") $l" >>"$out/runs.tsv"
        if [ "$i" -gt 1 ] && ! cmp -s "$out/pairs-$n-1.tsv" "$out/pairs-$n-$i.tsv"; then
            echo "WARNING: $n documents: run $i printed other pairs than run 1" >>"$out/notes.txt"
        fi
        i=$((i + 1))
    done
    med=$(awk -v n="$n" '$1 == n' "$out/runs.tsv" | sort -k3,3g | awk '{ r[NR] = $2 } END { print r[int((NR + 1) / 2)] }')
    set -- $(awk -v n="$n" -v r="$med" '$1 == n && $2 == r { print $3, $4, $5, $6 }' "$out/runs.tsv")
    wall=$1 cpu=$2 rss=$3 load=$4
    mv "$out/pairs-$n-$med.tsv" "$out/pairs-$n.tsv"
    rm -f "$out"/pairs-"$n"-[0-9]*.tsv
    sed "s/^/stats $n (median run $med): /" "$out/stats-$n-$med.txt" >>"$out/notes.txt"
    recall=- false=-
    if [ -n "$exact" ]; then
        score=$(awk -v t="$t" -v misses="$out/missed-$n.tsv" -v falses="$out/false-$n.tsv" -f bench/score.awk "$exact" "$out/pairs-$n.tsv")
        echo "score $n retold: $score" >>"$out/notes.txt"
        recall=$(echo "$score" | sed 's/.*recall_hi=\([^ ]*\).*/\1/')
        false=$(echo "$score" | sed 's/.*false_lo=\([^ ]*\).*/\1/')
    fi

    # naive baseline
    nwall="" 
    if [ "$n" -le "$naive_max" ]; then
        l=$(load1)
        log "naive MinHash pipeline, $n documents (load $l)"
        ncmd="$out/stages --naive-pairs -j $threads -t $t -k $k $corpus"
        addcmd "/usr/bin/time -v $ncmd > $out/naive-$n.tsv"
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$out/time-naive-$n.txt" $ncmd >"$out/naive-$n.tsv" 2>"$out/stats-naive-$n.txt"
        set -- $(time_fields "$out/time-naive-$n.txt")
        nwall=$1 ncpu=$2 nrss=$3
        sed "s/^/naive $n: /" "$out/stats-naive-$n.txt" >>"$out/notes.txt"
        nrecall=- nfalse=-
        if [ -n "$exact" ]; then
            score=$(awk -v t="$t" -f bench/score.awk "$exact" "$out/naive-$n.tsv")
            echo "score $n naive: $score" >>"$out/notes.txt"
            nrecall=$(echo "$score" | sed 's/.*recall_hi=\([^ ]*\).*/\1/')
            nfalse=$(echo "$score" | sed 's/.*false_lo=\([^ ]*\).*/\1/')
        fi
    fi

    ratio=-
    [ -n "$nwall" ] && ratio=$(awk -v a="$nwall" -v b="$wall" 'BEGIN { printf "%.2fx", a / b }')
    awk -v n="$n" -v mb="$mb" -v w="$wall" -v c="$cpu" -v r="$rss" -v rec="$recall" -v f="$false" \
        -v ratio="$ratio" -v l="$load" -v j="$threads" -v reps="$reps" 'BEGIN {
        printf "%d\t%s\tretold pairs -j %d (median of %d)\t%.2f\t%.2f\t%.1f\t%.0f\t%.0f\t%.0f\t%s\t%s\t%s\t%s\n",
            n, mb, j, reps, w, c, mb / w, n / w, r / 1024, r * 1024 / n, rec, f, ratio, l }' >>"$rows"
    awk -v n="$n" -v mb="$mb" -v w="$wall" -v c="$cpu" -v r="$rss" -v bytes="$bytes" 'BEGIN {
        printf "%d\t%s\t%.3f\t%.3f\t%.1f\t%.0f\t%.1f\t%.2f\t%.2f\t%.0f\t%.0f\n",
            n, mb, w, c, mb / w, n / w, r / 1024, w * 1e6 / n, c * 1e6 / n, r * 1024 / n, 1024 + 0.1 * bytes / n }' >>"$dat"
    # retold's own stage split at -j N (wall seconds, from --stats)
    awk -v n="$n" -v mb="$mb" -v j="$threads" '
        /read\+sketch/ {
            gsub(/,|;/, "")
            for (i = 1; i <= NF; i++) {
                if ($i == "read+sketch") rs = $(i + 1)
                if ($i == "lsh") ls = $(i + 1)
                if ($i == "verify") v = $(i + 1)
                if ($i == "cluster") c = $(i + 1)
            }
            printf "%d\t%s\t  -j %d stage: read+sketch\t%.3f\t-\t%.1f\t%.0f\t-\t-\t-\t-\t-\t-\n", n, mb, j, rs, mb / rs, n / rs
            printf "%d\t%s\t  -j %d stage: lsh\t%.3f\t-\t%.0f\t%.0f\t-\t-\t-\t-\t-\t-\n", n, mb, j, ls, mb / ls, n / ls
            printf "%d\t%s\t  -j %d stage: verify (2nd read)\t%.3f\t-\t%.1f\t%.0f\t-\t-\t-\t-\t-\t-\n", n, mb, j, v, mb / v, n / v
            printf "%d\t%s\t  -j %d stage: cluster\t%.3f\t-\t-\t-\t-\t-\t-\t-\t-\t-\n", n, mb, j, c
        }' "$out/stats-$n-$med.txt" >>"$rows"
    if [ -n "$nwall" ]; then
        awk -v n="$n" -v mb="$mb" -v w="$nwall" -v c="$ncpu" -v r="$nrss" -v rec="$nrecall" -v f="$nfalse" \
            -v j="$threads" -v l="$l" 'BEGIN {
            printf "%d\t%s\tnaive MinHash-LSH -j %d\t%.2f\t%.2f\t%.1f\t%.0f\t%.0f\t%.0f\t%s\t%s\t1.00x\t%s\n",
                n, mb, j, w, c, mb / w, n / w, r / 1024, r * 1024 / n, rec, f, l }' >>"$rows"
    fi

    # per stage, one thread, CPU seconds
    if [ "$n" -le "$stages_max" ]; then
        l=$(load1)
        log "stages, $n documents (load $l)"
        addcmd "$out/stages -t $t -k $k $corpus"
        "$out/stages" -t "$t" -k "$k" "$corpus" >"$out/stages-$n.tsv"
        awk -F'\t' -v n="$n" -v mb="$mb" -v l="$l" '
            NR == 1 { next }
            { cpu[$1] = $3; line[NR] = $0; name[NR] = $1; last = NR }
            END {
                for (i = 2; i <= last; i++) {
                    split(line[i], f, "\t")
                    s = f[1]; ratio = "-"
                    if (s == "minhash") ratio = sprintf("%.0fx", cpu["naive_minhash"] / cpu["minhash"])
                    if (s == "sketch") ratio = sprintf("%.2fx", cpu["naive_sketch"] / cpu["sketch"])
                    if (s == "naive_minhash" || s == "naive_sketch") ratio = "1.00x"
                    if (s == "staged_sketch") continue
                    printf "%d\t%s\t  1 thread: %s\t%.3f\t%.3f\t%.1f\t%.0f\t-\t-\t-\t-\t%s\t%s\n",
                        n, mb, s, f[2], f[3], f[4], f[5], ratio, l
                }
            }' "$out/stages-$n.tsv" >>"$rows"
    fi
done
load_end=$(uptime)

# ----------------------------------------------------------- the table
table() {
    echo "| docs | MB | run | wall s | CPU s | MB/s | docs/s | peak RSS MB | RSS B/doc | recall J>=$(awk -v t="$t" 'BEGIN { print t + 0.1 }') | false J<$(awk -v t="$t" 'BEGIN { print t - 0.1 }') | vs naive | load |"
    echo "|---:|---:|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '{ printf "| %s |", $1; for (i = 2; i <= NF; i++) printf " %s |", $i; printf "\n" }' "$rows"
}

# targets (the issue's, for this machine at -j 2, t = 0.8, k = 128)
targets() {
    awk -v t="$t" '
        FNR == 1 { file++ }
        file == 1 && $3 ~ /^retold pairs/ {
            n = $1; mbps[n] = $6; rss[n] = $8; wall[n] = $4; rec[n] = $10; fl[n] = $11; mb[n] = $2
        }
        file == 1 && $3 ~ /1 thread: sketch$/ { sk[$1] = $6 }
        END {
            for (n in mbps) {
                lim = (n * 1024 + 0.1 * mb[n] * 1e6) / 1048576
                if (n == 100000) {
                    printf "%d\t- end-to-end >= 300 MB/s at 100k: %s MB/s: %s\n", n, mbps[n], (mbps[n] >= 300 ? "met" : "NOT MET")
                    if (n in sk) printf "%d\t- sketching >= 250 MB/s per core (100k, CPU time): %s MB/s: %s\n", n, sk[n], (sk[n] >= 250 ? "met" : "NOT MET")
                }
                printf "%d\t- peak memory <= 1 KB/doc + 10%% of input at %d docs: %s MB of %.0f MB allowed: %s\n", n, n, rss[n], lim, (rss[n] <= lim ? "met" : "NOT MET")
                if (n == 1000000)
                    printf "%d\t- 1M documents in <= 30 s and <= 2 GB: %s s, %s MB: %s\n", n, wall[n], rss[n], ((wall[n] <= 30 && rss[n] <= 2048) ? "met" : "NOT MET")
                if (rec[n] != "-")
                    printf "%d\t- recall >= 0.99 at J >= %.1f and no pair below %.1f at %d docs: recall %s, %s false: %s\n", n, t + 0.1, t - 0.1, n, rec[n], fl[n], ((rec[n] >= 0.99 && fl[n] == 0) ? "met" : "NOT MET")
            }
        }' FS='\t' "$rows" | sort -t "$(printf '\t')" -k1,1n -s | cut -f2-
}

echo
table
echo
targets

# ----------------------------------------------------------- the plot
if ! command -v gnuplot >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    log "installing gnuplot-nox"
    apt-get install -y -q gnuplot-nox >/dev/null 2>&1 || true
fi
plot_note="$svg: not made (gnuplot missing)"
if command -v gnuplot >/dev/null 2>&1; then
    meanload=$(awk '{ s += $6 } END { if (NR) printf "%.1f", s / NR }' "$out/runs.tsv")
    gnuplot <<EOF && plot_note="![scaling]($(basename "$svg"))"
set terminal svg size 960,420 dynamic font "sans,12"
set output "$svg"
set multiplot layout 1,2 title "retold pairs -j $threads, t = $t, k = $k ($day, $(awk '/^model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo), $(nproc) cores)"
set logscale x
set format x "%.0s%c"
set xlabel "documents (log scale)"
set grid
set key top left
set yrange [0:*]
set title "time per document (mean load $meanload on $(nproc) cores)"
set ylabel "microseconds"
plot "$dat" using 1:8 with linespoints lw 2 title "wall", \
     "$dat" using 1:9 with linespoints lw 2 title "CPU (all threads)"
set key bottom left
set title "peak memory per document"
set ylabel "bytes (peak RSS / documents)"
plot "$dat" using 1:10 with linespoints lw 2 title "peak RSS", \
     "$dat" using 1:11 with lines dt 2 lw 2 title "target: 1 KB + 10% of input"
unset multiplot
EOF
fi

# ----------------------------------------------------------- the file
flags=$(make -s -f Makefile -f bench/bench.mk bench-flags)
{
    echo "# retold benchmark, $day"
    echo
    echo "- commit: $commit$(git diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')"
    echo "- machine: $(awk '/^model name/ { sub(/.*: /, ""); print; exit }' /proc/cpuinfo), $(nproc) cores ($(lscpu 2>/dev/null | awk -F': *' '/^Thread\(s\) per core/ { print $2 " thread(s) per core" } /^Hypervisor vendor/ { print "virtualised: " $2 }' | paste -sd, - | sed 's/,/, /g')), $(awk '/MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
    echo "- compiler: $(${CC:-cc} --version | head -1)"
    echo "$flags" | sed 's/^/- /'
    echo "- load at start: $load_start"
    echo "- load at end: $load_end"
    echo "- parameters: t = $t, k = $k, n = 5 words, -j $threads; corpus: bench/datagen --seed $seed from $(basename "$src") ($(wc -c <"$src") bytes)"
    echo
    echo "## Commands"
    echo
    echo '```'
    echo "BENCH_SIZES=\"$sizes\" BENCH_REPEAT=$repeat sh bench/run.sh"
    echo "# which ran:$cmds"
    echo '```'
    echo
    echo "## Table"
    echo
    echo "MB = 10^6 bytes of the input JSONL file.  retold and naive rows: wall"
    echo "seconds of the whole process, CPU = user + system, MB/s = MB / wall, peak"
    echo "RSS from /usr/bin/time -v; recall and false pairs against exact_pairs."
    echo "'-j N stage' rows: retold's own --stats split of the median run (wall)."
    echo "'1 thread' rows: bench/stages, one thread, the corpus in memory; MB/s and"
    echo "docs/s per CPU second (per core).  vs naive: how many times faster than the"
    echo "naive baseline of the same run.  load: 1-minute load average when the row's"
    echo "run started (2 cores: above 2 means the runs shared the CPUs)."
    echo
    table
    echo
    echo "## Targets"
    echo
    targets
    echo
    echo "## Every retold run"
    echo
    echo "| docs | run | wall s | CPU s | peak RSS MB | load |"
    echo "|---:|---:|---:|---:|---:|---:|"
    awk '{ printf "| %d | %d | %.2f | %.2f | %.0f | %s |\n", $1, $2, $3, $4, $5 / 1024, $6 }' "$out/runs.tsv"
    echo
    echo "## Scaling"
    echo
    echo "$plot_note"
    echo
    echo '```'
    cat "$dat"
    echo '```'
    echo
    echo "## Details"
    echo
    echo '```'
    cat "$out/notes.txt"
    echo '```'
} >"$results"
log "wrote $results, $dat and $svg"
