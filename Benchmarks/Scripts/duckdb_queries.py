#!/usr/bin/env python3
"""The queries suite's DuckDB peer (parley-bench queries starts it).

Reads the spec the bench wrote (setup statements that load its CSV files, then
reports: statements and their ? parameters), runs each report warmup + runs times in
one in-memory DuckDB, and prints JSON to stdout:
{"load_s": s, "reports": [{"name": n, "p50_ms": ms, "rows": [statement rows of the last run]}]}
"""
import decimal
import json
import statistics
import sys
import time

import duckdb


def cell(v):
    # Sums of BIGINT come back as Python ints, sums of decimals as Decimal.
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, bool):
        return int(v)
    return v


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    con = duckdb.connect()
    start = time.perf_counter()
    for sql in spec["setup"]:
        con.execute(sql)
    load = time.perf_counter() - start
    reports = []
    for report in spec["reports"]:
        times = []
        rows = []
        for i in range(spec["warmup"] + spec["runs"]):
            start = time.perf_counter()
            rows = [con.execute(sql, report["params"]).fetchall() for sql in report["statements"]]
            if i >= spec["warmup"]:
                times.append((time.perf_counter() - start) * 1000)
        reports.append({"name": report["name"], "p50_ms": statistics.median(times),
                        "rows": [[[cell(v) for v in row] for row in stmt] for stmt in rows]})
    json.dump({"load_s": load, "reports": reports}, sys.stdout)


if __name__ == "__main__":
    main()
