#!/usr/bin/env bash
# Kills csat with SIGKILL at 50 random moments while it writes a large report with --output. After each kill the
# output must be absent, the old file, or the complete new report: never half written.
set -u
csat=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/gen.sh"
gen_inputs 60000 20000 20 "$dir"
args=(report --cases "$dir/cases.csv" --responses "$dir/responses.csv" --by case_id --format csv -q)
"$csat" "${args[@]}" >"$dir/reference.csv" || exit 1
start=$(date +%s%N)
"$csat" "${args[@]}" -o "$dir/probe.csv" || exit 1
run_ns=$(( $(date +%s%N) - start ))
echo old >"$dir/out.csv"
outcomes=""
for i in $(seq 50); do
  "$csat" "${args[@]}" -o "$dir/out.csv" &
  pid=$!
  delay_ns=$(( (RANDOM * 32768 + RANDOM) % (run_ns + 1) ))
  sleep "$(printf '0.%09d' "$delay_ns")"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ ! -e "$dir/out.csv" ]; then
    state=absent
  elif cmp -s "$dir/out.csv" "$dir/reference.csv"; then
    state=complete
    echo old >"$dir/out.csv"
  elif [ "$(cat "$dir/out.csv")" = old ]; then
    state=old
  else
    echo "kill $i: out.csv is neither old nor complete ($(wc -c <"$dir/out.csv") bytes)"
    exit 1
  fi
  outcomes="$outcomes $state"
done
echo "50 kills: $(echo $outcomes | tr ' ' '\n' | sort | uniq -c | tr '\n' ' ')"
