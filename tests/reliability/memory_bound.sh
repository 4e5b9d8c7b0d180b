#!/usr/bin/env bash
# Peak memory must not grow with the size of the responses file's comments: the same 40,000 responses with
# 10-byte and with 2,000-byte comments (about 80 MB) must peak within 20% of each other (getrusage, via time).
set -u
csat=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/gen.sh"
peak() {
  /usr/bin/time -f %M -o "$dir/rss" "$csat" report --cases "$dir/cases.csv" --responses "$dir/responses.csv" \
    --by agent --format csv -q >/dev/null || exit 1
  cat "$dir/rss"
}
gen_inputs 20000 40000 10 "$dir"
small=$(peak)
gen_inputs 20000 40000 2000 "$dir"
large=$(peak)
size=$(( $(stat -c %s "$dir/responses.csv") / 1000000 ))
echo "peak RSS: ${small} KB with short comments, ${large} KB with a ${size} MB responses file"
[ "$large" -le $(( small * 12 / 10 )) ] || { echo "memory grew with the comments"; exit 1; }
