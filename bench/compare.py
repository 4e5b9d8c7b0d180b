#!/usr/bin/env python3
"""Checks csat's per-group figures against DuckDB's: integers exactly, floats to 1e-9.

usage: compare.py CSAT.csv DUCKDB.csv agent|week
csat runs with --duplicates all --format csv; its ISO week labels (2026-W07) are mapped to DuckDB's Monday dates.
"""
import csv
import datetime
import sys

# DuckDB column -> csat column, and whether it is an integer.
COLUMNS = [
    ("closed_cases", "cases", True),
    ("responses", "responses", True),
    ("responded", "responded", True),
    ("csat_pct", "csat_pct", False),
    ("csat_avg", "csat_avg", False),
    ("resp_rate", "response_rate_pct", False),
    ("nps", "nps", False),
    ("ces_avg", "ces_avg", False),
]


def key_of(row, by):
    k = row["agent"] if by == "agent" else row["period"]
    if by == "week" and "-W" in k:
        year, week = k.split("-W")
        return datetime.date.fromisocalendar(int(year), int(week), 1).isoformat()
    return k


def main():
    ours_path, peer_path, by = sys.argv[1:4]
    ours = {key_of(r, by): r for r in csv.DictReader(open(ours_path)) if r.get("agent", r.get("period")) != "(total)"}
    peer = {r["key"]: r for r in csv.DictReader(open(peer_path))}
    problems = 0
    if set(ours) != set(peer):
        print(f"group keys differ: only csat {sorted(set(ours) - set(peer))[:5]}, only duckdb {sorted(set(peer) - set(ours))[:5]}")
        problems += 1
    for key in sorted(set(ours) & set(peer)):
        for peer_col, our_col, integer in COLUMNS:
            a, b = ours[key][our_col], peer[key][peer_col]
            if a == "" and b == "":
                continue
            same = int(float(a)) == int(float(b)) if integer else abs(float(a) - float(b)) <= 1e-9
            if not same:
                problems += 1
                if problems <= 10:
                    print(f"{key} {our_col}: csat {a} duckdb {b}")
    print(f"compared {len(set(ours) & set(peer))} groups x {len(COLUMNS)} figures: "
          + ("all equal" if problems == 0 else f"{problems} differences"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
