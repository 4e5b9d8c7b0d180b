# Sourced by the reliability tests: writes a cases file of $1 rows and a responses file of $2 rows whose
# comments are $3 bytes long, into $4. Plain awk, so the tests need nothing that the CI image lacks.
gen_inputs() {
  local cases=$1 responses=$2 comment=$3 dir=$4
  awk -v n="$cases" 'BEGIN {
    print "case_id,agent,queue,status,created_at,closed_at"
    for (i = 1; i <= n; i++)
      printf "C%07d,Agent %d,Queue %d,Closed,2026-03-%02d 09:00:00,2026-03-%02d 17:00:00\n", i, i % 50, i % 7, 1 + i % 28, 1 + i % 28
  }' >"$dir/cases.csv"
  awk -v n="$responses" -v c="$cases" -v len="$comment" 'BEGIN {
    text = ""; for (k = 0; k < len; k++) text = text "x"
    print "response_id,case_id,submitted_at,csat,nps,ces,comment"
    for (i = 1; i <= n; i++)
      printf "R%d,C%07d,2026-03-%02d 18:00:00,%d,%d,%d,\"%s, \"\"quoted\"\"\"\n", i, 1 + i % c, 1 + (1 + i % c) % 28, 1 + i % 5, i % 11, 1 + i % 7, text
  }' >"$dir/responses.csv"
}
