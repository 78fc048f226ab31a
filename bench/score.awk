# score.awk - recall and precision of a pairs TSV against exact_pairs.
#
#   awk -v t=0.8 -f bench/score.awk EXACT.tsv REPORTED.tsv
#
# EXACT.tsv is exact_pairs output (id_a id_b jaccard ..., every pair with
# J >= tau, tau <= t - 0.1); REPORTED.tsv is `retold pairs` output (id_a id_b
# jaccard ...).  Both have a header line.  A reported pair missing from
# EXACT.tsv has J < tau.  Prints one line of key=value:
#   exact_hi    pairs with exact J >= t + 0.1      found_hi   of them reported
#   exact_t     pairs with exact J >= t            found_t    of them reported
#   reported    pairs reported
#   below_t     reported pairs with exact J < t
#   false_lo    reported pairs with exact J < t - 0.1   (must be 0)
#   recall_hi = found_hi / exact_hi, recall_t = found_t / exact_t
# and, with -v misses=FILE / -v falses=FILE, writes the missed pairs at
# J >= t + 0.1 and the false pairs below t - 0.1 there (id_a id_b J_exact
# J_reported).
BEGIN { FS = "\t"; eps = 1e-9 }
FNR == 1 { file++; next }
file == 1 { j[$1 "\t" $2] = $3 + 0; next }
file == 2 {
    key = $1 "\t" $2
    if (!(key in j)) { key2 = $2 "\t" $1; if (key2 in j) key = key2 }
    if (key in seen) next
    seen[key] = 1
    reported++
    rep[key] = $3
    x = (key in j) ? j[key] : 0
    if (x < t - eps) below_t++
    if (x < t - 0.1 - eps) {
        false_lo++
        if (falses != "") printf "%s\t%s\t%s\n", key, (key in j) ? x : "<tau", $3 > falses
    }
}
END {
    for (key in j) {
        if (j[key] >= t + 0.1 - eps) { exact_hi++; if (key in rep) found_hi++; else if (misses != "") printf "%s\t%.6f\t-\n", key, j[key] > misses }
        if (j[key] >= t - eps) { exact_t++; if (key in rep) found_t++ }
    }
    printf "exact_hi=%d found_hi=%d recall_hi=%.4f exact_t=%d found_t=%d recall_t=%.4f reported=%d below_t=%d false_lo=%d\n",
        exact_hi, found_hi, exact_hi ? found_hi / exact_hi : 1, exact_t, found_t,
        exact_t ? found_t / exact_t : 1, reported, below_t, false_lo
}
