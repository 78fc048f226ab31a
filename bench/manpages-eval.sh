#!/bin/sh
# manpages-eval.sh - cross-language retrieval on real translations: Debian's
# translated man pages (manpages-de, -fr, -es, -ru, -pl, -it, -nl) against
# their English originals (/usr/share/man/de/man1/ls.1.gz pairs with
# /usr/share/man/man1/ls.1.gz).  For every translated page,
# `retold pairs --against english --top 1` must name its English original.
# Prints P@1 per language and overall, as bench/udhr-eval.sh does.
#
#   sh bench/manpages-eval.sh [LANGS...]     (default: de fr es ru pl it nl)
#
# Pages are taken in sorted order (section, then name; LC_ALL=C), up to
# MAX_PAGES (300) per language that have an English original; aliases
# (symbolic links) and .so stubs are skipped, and so are pages whose text is
# under 200 bytes.  Each page is rendered once with `man -l | col -b` at
# MANWIDTH=80 in C.UTF-8 and cached under $MANPAGES_DIR/txt (default
# bench/out/manpages); the header and footer lines (which repeat the page's
# name) are dropped.  The English reference set is the originals of every
# selected page (one document each).  Environment: RETOLD (the binary),
# MANPAGES_DIR, MAX_PAGES, MANDIR (/usr/share/man), JOBS (rendering jobs).
# Needs man-db, groff and python3 (to write JSON and score); the man pages
# come from Debian: apt-get install manpages manpages-de manpages-fr ...
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
R=${RETOLD:-$root/build/retold}
out=${MANPAGES_DIR:-$root/bench/out/manpages}
max=${MAX_PAGES:-300}
mandir=${MANDIR:-/usr/share/man}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
langs=${*:-"de fr es ru pl it nl"}
export LANG=C.UTF-8 LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING=
mkdir -p "$out/txt"

# a .so stub: its first line that is not a comment is a .so request
is_stub() { zcat -f "$1" 2>/dev/null | grep -v '^\.\\"' | head -n 1 | grep -q '^\.so '; }

# 1. the pairs: LANG TAB section/file, sorted, at most $max per language
: > "$out/pairs.tsv"
for l in $langs; do
    if [ ! -d "$mandir/$l" ]; then
        echo "manpages-eval: no $mandir/$l (apt-get install manpages-$l); skipped" >&2
        continue
    fi
    (cd "$mandir/$l" && find . -path './man[1-9]*/*' -type f | sed 's|^\./||' | LC_ALL=C sort) |
    while IFS= read -r rel; do
        [ -f "$mandir/$rel" ] || continue
        is_stub "$mandir/$l/$rel" && continue
        is_stub "$mandir/$rel" && continue
        printf '%s\t%s\n' "$l" "$rel"
    done | head -n "$max" >> "$out/pairs.tsv"
done

# 2. render every page not yet cached (English originals once)
# shellcheck disable=SC2016 # $1 and $2 belong to the inner shell
{
    cut -f2 "$out/pairs.tsv" | LC_ALL=C sort -u | while IFS= read -r rel; do
        [ -s "$out/txt/en/$rel.txt" ] || printf '%s\0%s\0' "$mandir/$rel" "$out/txt/en/$rel.txt"
    done
    while IFS="$(printf '\t')" read -r l rel; do
        [ -s "$out/txt/$l/$rel.txt" ] || printf '%s\0%s\0' "$mandir/$l/$rel" "$out/txt/$l/$rel.txt"
    done < "$out/pairs.tsv"
} | xargs -0 -r -n 2 -P "$jobs" sh -c \
    'mkdir -p "$(dirname "$2")" && man -l "$1" 2>/dev/null | col -b > "$2.tmp"; mv "$2.tmp" "$2"' render

# 3. JSONL: en.jsonl (originals) and foreign.jsonl (translations, with lang)
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def text(path):
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except FileNotFoundError:
        return ""
    body = [i for i, s in enumerate(lines) if s.strip()]
    if len(body) < 3:
        return ""
    lines = lines[body[0] + 1:body[-1]]           # header and footer repeat the name
    return "\n".join(s.rstrip() for s in lines).strip()
pairs = [l.rstrip("\n").split("\t") for l in open(f"{out}/pairs.tsv")]
en, skipped = {}, 0
with open(f"{out}/foreign.jsonl", "w") as f:
    for lang, rel in pairs:
        t, e = text(f"{out}/txt/{lang}/{rel}.txt"), en.get(rel)
        if e is None:
            e = en[rel] = text(f"{out}/txt/en/{rel}.txt")
        if len(t) < 200 or len(e) < 200:
            skipped += 1
            continue
        name = rel[:-3] if rel.endswith(".gz") else rel
        f.write(json.dumps({"id": f"{lang}:{name}", "text": t, "lang": lang}, ensure_ascii=False) + "\n")
with open(f"{out}/en.jsonl", "w") as f:
    for rel in sorted(en):
        if len(en[rel]) >= 200:
            name = rel[:-3] if rel.endswith(".gz") else rel
            f.write(json.dumps({"id": f"en:{name}", "text": en[rel], "lang": "en"}, ensure_ascii=False) + "\n")
print(f"pages: {len(pairs) - skipped} translated, {sum(len(v) >= 200 for v in en.values())} English"
      f" ({skipped} skipped: empty or under 200 bytes)")
PY

# 4. retrieval and P@1
"$R" pairs --views all --against "$out/en.jsonl" --top 1 -f jsonl "$out/foreign.jsonl" > "$out/top1.jsonl"
python3 - "$out" <<'PY'
import json, sys, collections
out = sys.argv[1]
docs = [json.loads(l)["id"] for l in open(f"{out}/foreign.jsonl")]
best = {}
for l in open(f"{out}/top1.jsonl"):
    o = json.loads(l); best[o["a"]] = o
tot = collections.Counter(); ok = collections.Counter(); miss = collections.Counter()
rel = collections.Counter()
for d in docs:
    lang, name = d.split(":", 1)
    tot[lang] += 1
    o = best.get(d)
    if o and o["b"] == f"en:{name}": ok[lang] += 1
    if not o: miss[lang] += 1
    rel[o["relation"] if o else "none"] += 1
for c in tot:
    print(f"{c:6s} P@1 {ok[c]/tot[c]:.3f} ({ok[c]}/{tot[c]}; no match {miss[c]})")
print(f"{'all':6s} P@1 {sum(ok.values())/sum(tot.values()):.3f} ({sum(ok.values())}/{sum(tot.values())})")
print("relations of the top matches:", dict(rel))
PY
