#!/usr/bin/env python3
"""Benchmark: the CLI on one thread and on every core, against Polars and
DuckDB counting the same cells, on one generated file (10,000,000 rows,
427 MB by default). A script, not a test: it prints, it asserts nothing
about speed.

    python scripts/bench-engines.py [ROWS]

Needs `cargo build --release --bin biasaudit`, Node (to write the file with
tests/support/generate.mjs) and a Python with `polars` and `duckdb`: the
venv scripts/test makes has duckdb, so

    ~/.cache/biasaudit/sqlenv/bin/pip install polars
    ~/.cache/biasaudit/sqlenv/bin/python scripts/bench-engines.py

What each one does, each in a process of its own (its peak memory is that
process's maximum resident set, from wait4):
- biasaudit: the whole audit, counts to report (every rate, interval, test
  and verdict), and the file's SHA-256 beside the counting: held to one
  core (the speed of a single thread), with `--threads 1` (one counting
  thread, the hash on another), and by default (a part per core, the hash
  beside them);
- Polars: `scan_csv(...).group_by(race, sex, age_band, decision, label).len()`,
  the counts alone, every column read as text;
- DuckDB: the query `biasaudit sql --dialect duckdb` prints for this audit,
  over `read_csv(..., all_varchar = true)`, the counts alone.
The counts from Polars and DuckDB are checked to be the CLI's, so that all
three did the same counting.
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "release", "biasaudit")
GROUPS = ["race", "sex", "age_band"]
AUDIT = ["--group", "race", "--group", "sex", "--group", "age_band", "--decision", "decision", "--positive", "yes",
         "--negative", "no", "--label", "label", "--label-positive", "1", "--outcome", "harmful"]
RUNS = int(os.environ.get("RUNS", "3"))


def one(engine, path):
    """Runs in the child: one engine's counting; prints its cells as JSON on the last line."""
    if engine == "polars":
        import polars as pl
        frame = (pl.scan_csv(path, infer_schema=False).group_by([*GROUPS, "decision", "label"]).len(name="n").collect())
        cells = {"|".join(r[:-1]): r[-1] for r in frame.iter_rows()}
    else:
        import duckdb
        query = subprocess.run([CLI, "sql", "--dialect", "duckdb", "--table", "decisions", *AUDIT],
                               check=True, capture_output=True, text=True).stdout
        db = duckdb.connect()
        literal = "'" + path.replace("'", "''") + "'"
        db.execute(f"CREATE VIEW decisions AS SELECT * FROM read_csv({literal}, all_varchar = true, header = true)")
        cursor = db.execute(query)
        names = [d[0] for d in cursor.description]
        at = [names.index(c) for c in [*GROUPS, "decision", "label"]]
        cells = {"|".join(r[i] for i in at): r[names.index("n")] for r in cursor.fetchall()}
    print(json.dumps(cells))


def measured(command, one_core=False):
    """Seconds and peak resident memory (MiB) of one child process, and its standard output."""
    start = time.perf_counter()
    pin = (lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})) if one_core else None
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=pin)
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(command)} failed: {err.decode()}")
    return seconds, usage.ru_maxrss / 1024, out


def best(label, command, size, rows, one_core=False):
    runs = [measured(command, one_core) for _ in range(RUNS)]
    seconds = min(r[0] for r in runs)
    memory = max(r[1] for r in runs)
    print(f"{label:<58} {seconds:6.2f} s  {size / seconds / 1e6:6.0f} MB/s  {rows / seconds / 1e6:5.1f} M rows/s  "
          f"{memory:6.1f} MiB peak", flush=True)
    return seconds, runs[0][2]


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    path = os.path.join(ROOT, "target", "bench", f"engines-{rows}.csv")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        print(f"writing {path} …", flush=True)
        subprocess.run(["node", "--input-type=module", "-e",
                        f"import {{ generateCsv }} from {json.dumps(os.path.join(ROOT, 'tests/support/generate.mjs'))};"
                        f" await generateCsv({json.dumps(path)}, {rows});"], check=True)
    size = os.path.getsize(path)
    cores = os.cpu_count()
    print(f"{rows:,} rows, {size / 1e6:.0f} MB, {cores} cores; the best of {RUNS} runs, each in its own process")
    one_core, on_one = best("biasaudit audit --threads 1, held to one core", [CLI, "audit", path, *AUDIT, "--threads", "1"],
                            size, rows, one_core=True)
    one_thread, single = best("biasaudit audit --threads 1 (the SHA-256 on a 2nd thread)",
                              [CLI, "audit", path, *AUDIT, "--threads", "1"], size, rows)
    every, parallel = best(f"biasaudit audit (its default here: {min(cores, 8)} parts)", [CLI, "audit", path, *AUDIT], size, rows)
    if not on_one == single == parallel:
        sys.exit("the reports on one core, on one thread and in parts differ")
    print(f"{'':<58} {one_core / every:.2f}x one core, {one_thread / every:.2f}x --threads 1")

    expected = None
    for engine, label in [("polars", "Polars group_by (the counts alone)"), ("duckdb", "DuckDB, the `biasaudit sql` query (the counts alone)")]:
        _, out = best(label, [sys.executable, __file__, "--one", engine, path], size, rows)
        cells = json.loads(out.decode().strip().splitlines()[-1])
        if expected is None:
            expected = cells
        elif cells != expected:
            sys.exit(f"{engine} counted different cells from the engine before it")
    # Each group's cases, selections and true positives in the CLI's report, from the others' cells.
    report = json.loads(single)
    for i, attribute in enumerate(report["attributes"]):
        for group in attribute["groups"]:
            mine = [key.split("|") + [n] for key, n in expected.items() if key.split("|")[i] == group["group"]]
            theirs = {"n": sum(c[-1] for c in mine), "selected": sum(c[-1] for c in mine if c[3] == "yes"),
                      "tp": sum(c[-1] for c in mine if c[3] == "yes" and c[4] == "1")}
            if {k: group["counts"][k] for k in theirs} != theirs:
                sys.exit(f"{attribute['column']} = {group['group']}: the CLI counted {group['counts']}, the others {theirs}")
    print("the counts of Polars and DuckDB are the CLI's: every group's cases, selections and true positives")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        one(sys.argv[2], sys.argv[3])
    else:
        main()
