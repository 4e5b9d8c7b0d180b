#!/usr/bin/env bash
# Runs one golden case: tests/golden/<command>/<case>/cmd is a shell line run from the repository root with
# `csat` on PATH. Its stdout must equal expout, its stderr experr (when that file exists), and its exit code
# the number in exit-code (0 when absent). CSAT_UPDATE_GOLDEN=1 rewrites the expectations for review in git diff.
set -u
bin=$1
case_dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
ln -s "$bin" "$tmp/bin/csat"
export PATH="$tmp/bin:$PATH" LC_ALL=C TZ=UTC CSAT_CASE_DIR="$case_dir" CSAT_TMP="$tmp"
unset NO_COLOR
bash -c "$(cat "$case_dir/cmd")" >"$tmp/out" 2>"$tmp/err" </dev/null
code=$?
want_code=0
[ -f "$case_dir/exit-code" ] && want_code=$(tr -d '[:space:]' <"$case_dir/exit-code")
if [ "${CSAT_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$tmp/out" "$case_dir/expout"
  if [ -s "$tmp/err" ] || [ -f "$case_dir/experr" ]; then cp "$tmp/err" "$case_dir/experr"; fi
  if [ "$code" != 0 ]; then echo "$code" >"$case_dir/exit-code"; else rm -f "$case_dir/exit-code"; fi
  echo "updated $case_dir"
  exit 0
fi
fail=0
if [ "$code" != "$want_code" ]; then
  echo "exit code: expected $want_code, got $code"; fail=1
fi
if ! diff -u "$case_dir/expout" "$tmp/out"; then
  echo "stdout differs (above)"; fail=1
fi
if [ -f "$case_dir/experr" ] && ! diff -u "$case_dir/experr" "$tmp/err"; then
  echo "stderr differs (above)"; fail=1
fi
[ $fail = 0 ] || { echo "--- stderr was:"; cat "$tmp/err"; }
exit $fail
