#!/bin/sh
# bench/ab.sh - A/B timing of two commands on a noisy machine: run them
# alternately (A B, then B A, ...) N times and print the median, quartiles
# and spread of each one's CPU (user + sys) and wall seconds, and the ratio
# of the medians.  Ratios from one invocation hold where absolute numbers
# do not (this VM's speed drifts by 10-40 % over minutes).
#
#     sh bench/ab.sh 12 "OLD/build/retold pairs -j1 bench/out/corpus-100000.jsonl" \
#                       "build/retold pairs -j1 bench/out/corpus-100000.jsonl"
#
# The commands' output goes to /dev/null.  /usr/bin/time measures to 10 ms:
# choose inputs that take a second or more.  A second build to compare
# against: `git worktree add /tmp/old REV && make -C /tmp/old`.
set -eu
[ $# -eq 3 ] || { echo "usage: sh bench/ab.sh N 'COMMAND A' 'COMMAND B'" >&2; exit 2; }
n=$1
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.t"' EXIT
one() {     # one LABEL COMMAND
    /usr/bin/time -o "$tmp.t" -f "$1 %U %S %e" sh -c "$2" >/dev/null 2>&1 ||
        { echo "ab.sh: command $1 failed: $2" >&2; exit 1; }
    tail -n 1 "$tmp.t" >>"$tmp"
}
i=0
while [ "$i" -lt "$n" ]; do
    if [ $((i % 2)) -eq 0 ]; then one A "$2"; one B "$3"; else one B "$3"; one A "$2"; fi
    i=$((i + 1))
done
for k in A B; do
    for f in cpu wall; do
        awk -v k="$k" -v f="$f" '$1 == k { print (f == "cpu" ? $2 + $3 : $4) }' "$tmp" | sort -n |
            awk -v k="$k" -v f="$f" '{ v[NR] = $1 }
                END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
                      printf "%s %-4s median %.3f  q1 %.3f  q3 %.3f  min %.3f  max %.3f  (n = %d)\n",
                             k, f, m, v[int((NR + 3) / 4)], v[int((3 * NR + 3) / 4)], v[1], v[NR], NR }'
    done
done | tee "$tmp.t"
awk '$2 == "cpu" { c[$1] = $4 } $2 == "wall" { w[$1] = $4 }
     function r(b, a) { return a > 0 ? sprintf("%.3f", b / a) : "n/a" }
     END { printf "B/A: cpu %s, wall %s\n", r(c["B"], c["A"]), r(w["B"], w["A"]) }' "$tmp.t"
