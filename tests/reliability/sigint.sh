#!/usr/bin/env bash
# SIGINT while csat works exits 130 and removes its temporary output file.
set -u
csat=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
source "$(dirname "$0")/gen.sh"
gen_inputs 60000 20000 20 "$dir"
args=(report --cases "$dir/cases.csv" --responses "$dir/responses.csv" --by case_id --format csv -q -o "$dir/out.csv")
start=$(date +%s%N)
"$csat" "${args[@]}" || exit 1
run_ns=$(( $(date +%s%N) - start ))
rm -f "$dir/out.csv"
interrupted=0
for i in $(seq 10); do
  "$csat" "${args[@]}" &
  pid=$!
  sleep "$(printf '0.%09d' $(( run_ns * i / 12 )))"
  kill -INT "$pid" 2>/dev/null
  wait "$pid"
  code=$?
  if [ "$code" = 130 ]; then
    interrupted=$((interrupted + 1))
  elif [ "$code" != 0 ]; then
    echo "run $i: exit $code, expected 130 (or 0 if it had finished)"
    exit 1
  fi
  if ls -A "$dir" | grep -q csat-; then
    echo "run $i: a temporary file was left behind: $(ls -A "$dir")"
    exit 1
  fi
done
[ "$interrupted" -gt 0 ] || { echo "no run was interrupted"; exit 1; }
echo "10 runs: $interrupted interrupted with exit 130, no temporary files left"
