#!/bin/sh
# report.sh - the HTML report in a real browser (headless Chromium): it
# renders (a screenshot is taken), its scripts run without a console message
# or an uncaught error, and the live DOM holds the heatmap cells and the
# clusters with the right numbers for data/outlets.jsonl.
#
# Chromium is Debian's `chromium` package: installed here with apt-get when
# missing and running as root; otherwise the test is skipped with a message.
# Keep the screenshot with
#   SCREENSHOT=doc/report-seeds.png RETOLD=build/retold sh tests/browser/report.sh
set -u
RETOLD=${RETOLD:-build/retold}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

find_browser() {
    for b in chromium chromium-browser google-chrome; do
        command -v "$b" >/dev/null 2>&1 && { command -v "$b"; return 0; }
    done
    return 1
}
browser=$(find_browser)
if [ -z "$browser" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "browser: skipped: chromium is not installed and installing it needs root"
        echo "browser: (as root: apt-get install chromium, or run this script as root)"
        echo "browser: 0 passed, 0 failed, 1 skipped"
        exit 0
    fi
    echo "browser: installing chromium (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }
    browser=$(find_browser)
    if [ -z "$browser" ]; then
        echo "FAIL browser: apt-get install chromium failed"
        echo "browser: 0 passed, 1 failed"
        exit 1
    fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# run_browser LOG ARGS...: headless, with a fresh profile and no network use
run_browser() {
    log=$1; shift
    rm -rf "$tmp/profile"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --no-default-browser-check --disable-sync \
        --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 --hide-scrollbars "$@" 2>"$log"
}
# console LOG: no console message and no uncaught error in the log
console() {
    if grep -E ':CONSOLE|Uncaught' "$1" >"$tmp/console"; then
        bad "$2: console output:"; sed 's/^/  /' "$tmp/console" | head -10
    else ok; fi
}
# want FILE NAME N PATTERN: PATTERN (fixed string) occurs N times in FILE
want() {
    got=$(grep -oF -- "$4" "$1" | wc -l | tr -d ' ')
    if [ "$got" = "$3" ]; then ok; else bad "$2: '$4' occurs $got times, want $3"; fi
}

corpus=data/outlets.jsonl
if ! "$RETOLD" report -q "$corpus" -o "$tmp/report.html" || ! "$RETOLD" overlap -q -f html "$corpus" -o "$tmp/overlap.html"; then
    echo "FAIL browser: retold could not write the reports"
    echo "browser: 0 passed, 1 failed"
    exit 1
fi

# 1. It renders: a screenshot of the top of the page.
run_browser "$tmp/shot.log" --window-size=1280,2600 --screenshot="$tmp/report.png" "file://$tmp/report.html"
if [ -s "$tmp/report.png" ] && [ "$(head -c 8 "$tmp/report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
   [ "$(wc -c < "$tmp/report.png")" -gt 50000 ]; then ok; else bad "screenshot: no PNG (or an empty one)"; sed 's/^/  /' "$tmp/shot.log" | tail -5; fi
console "$tmp/shot.log" "screenshot"
[ -n "${SCREENSHOT:-}" ] && [ -s "$tmp/report.png" ] && cp "$tmp/report.png" "$SCREENSHOT"

# 2. The live DOM of the report (after its script ran).
run_browser "$tmp/dom.log" --dump-dom "file://$tmp/report.html" > "$tmp/report.dom"
console "$tmp/dom.log" "report"
dom=$tmp/report.dom
want "$dom" "script ran" 1 'id="cluster-filter" class="filter"'
want "$dom" "summary" 1 'id="n-docs"><b>23</b>'
want "$dom" "summary" 1 'id="n-outlets"><b>4</b>'
want "$dom" "summary" 1 'id="n-clusters"><b>7</b>'
want "$dom" "heatmap" 1 '<svg id="heatmap"'
want "$dom" "heatmap cells" 16 '<g class="cell'
want "$dom" "heatmap self cells" 4 '<g class="cell self"'
want "$dom" "cell digest->meridian" 1 'data-a="newsfeed-digest" data-b="the-meridian" data-docs="8" data-shared="5" data-share="0.6250" data-a-first="0" data-b-first="5"'
want "$dom" "cell meridian->digest" 1 'data-a="the-meridian" data-b="newsfeed-digest" data-docs="7" data-shared="5" data-share="0.7143" data-a-first="5" data-b-first="0"'
want "$dom" "cell digest->harbour" 1 'data-a="newsfeed-digest" data-b="harbour-times" data-docs="8" data-shared="1" data-share="0.1250" data-a-first="0" data-b-first="1"'
want "$dom" "cell meridian self" 1 'data-a="the-meridian" data-b="the-meridian" data-docs="7" data-shared="2"'
want "$dom" "kitchen-weekly row" 4 'data-a="kitchen-weekly" data-b='
got=$(grep -oE 'data-a="kitchen-weekly" data-b="[^"]*" data-docs="4" data-shared="0"' "$dom" | wc -l | tr -d ' ')
if [ "$got" = 4 ]; then ok; else bad "kitchen-weekly: $got of its 4 cells are empty"; fi
want "$dom" "cell text" 1 '>62%</text>'
want "$dom" "flows" 2 '<tr class="flow">'
want "$dom" "clusters" 7 '<article class="cluster"'
want "$dom" "cluster origin" 1 'data-size="2" data-outlet-count="2" data-origin="meridian-4"'
want "$dom" "member relation (trimmed)" 1 'data-id="digest-104" data-relation="partial-copy"'
want "$dom" "member relation (exact)" 1 'data-id="digest-101" data-relation="duplicate"'
want "$dom" "member relation (new lede)" 1 'data-id="digest-105" data-relation="near-copy"'
want "$dom" "origins" 7 '<tr class="member origin"'
want "$dom" "side by side" 7 '<details class="cmp"'
want "$dom" "one comparison open" 1 'data-passages="1" open=""'
if grep -q '<mark data-p="1">' "$dom"; then ok; else bad "passages: no highlighted passage"; fi

# 3. The deep link to one pair of outlets filters the clusters (script).
run_browser "$tmp/pair.log" --dump-dom "file://$tmp/report.html#pair=newsfeed-digest&harbour-times" > "$tmp/pair.dom"
console "$tmp/pair.log" "pair filter"
want "$tmp/pair.dom" "pair filter: shown" 1 '<article class="cluster"'
want "$tmp/pair.dom" "pair filter: hidden" 6 '<article class="cluster hidden"'
want "$tmp/pair.dom" "pair filter: status" 1 'Showing 1 of 7 stories shared by newsfeed-digest and harbour-times.'

# 4. The overlap page: clusters between outlets only, no summary.
run_browser "$tmp/ov.log" --dump-dom "file://$tmp/overlap.html" > "$tmp/overlap.dom"
console "$tmp/ov.log" "overlap page"
want "$tmp/overlap.dom" "overlap page clusters" 6 '<article class="cluster"'
want "$tmp/overlap.dom" "overlap page summary" 0 'id="summary"'
want "$tmp/overlap.dom" "overlap page heatmap" 16 '<g class="cell'

echo "browser: $pass passed, $fail failed"
[ "$fail" = 0 ]
