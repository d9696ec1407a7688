#!/usr/bin/env python3
"""The counts query (`biasaudit sql`), run on SQLite (Python's sqlite3) and on
DuckDB (the `duckdb` package), gives a table of counts whose audit equals the
direct audit of the file: every figure, on COMPAS and on a generated
1,000,000-row file, with typed columns (a label stored as an integer, a score
as a real or double) beside text ones.

Run by scripts/test after `cargo build --release`, with a Python that has
duckdb:  python tests/sql/check_engines.py   (without duckdb, SQLite only, said so)
"""
import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "release", "biasaudit")
COMPAS = os.path.join(ROOT, "..", "shared", "data", "compas-scores-two-years.csv")
WORK = tempfile.mkdtemp(prefix="biasaudit-sql-")
ENGINES = {"sqlite": "SQLite", "duckdb": "DuckDB"}
try:
    import duckdb
except ImportError:
    duckdb = None


def run(*args):
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"biasaudit {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def comparable(report):
    report["input"]["sha256"] = None
    report["config"]["count"] = None
    return report


def load(db, table, path, columns, types):
    """The file's columns into a table: TEXT unless typed; an empty cell is NULL."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        at = [header.index(c) for c in columns]
        spec = ", ".join(f'"{c}" {types.get(c, "TEXT")}' for c in columns)
        db.execute(f'CREATE TABLE "{table}" ({spec})')

        def value(c, raw):
            if raw == "":
                return None
            kind = types.get(c)
            return int(raw) if kind == "INTEGER" else float(raw) if kind == "REAL" else raw

        db.executemany(
            f'INSERT INTO "{table}" VALUES ({", ".join("?" for _ in columns)})',
            ([value(c, row[i]) for c, i in zip(columns, at)] for row in reader),
        )


def as_number(v):
    # A real that is a whole number prints as a whole number, as the file wrote it.
    return int(v) if isinstance(v, float) and v.is_integer() else v


def sqlite_table(table, path, columns, types):
    db = sqlite3.connect(":memory:")
    load(db, table, path, columns, types)
    return db


DUCKDB_TYPES = {"INTEGER": "INTEGER", "REAL": "DOUBLE"}


def duckdb_table(table, path, columns, types):
    """The file read by DuckDB itself, every column as text, then the typed ones cast."""
    db = duckdb.connect()
    select = ", ".join(f'CAST("{c}" AS {DUCKDB_TYPES[types[c]]}) AS "{c}"' if c in types else f'"{c}"' for c in columns)
    db.execute(f"CREATE TABLE \"{table}\" AS SELECT {select} FROM read_csv(?, all_varchar = true, header = true)", [path])
    return db


def check(name, path, table, columns, types, flags, engine="sqlite"):
    db = (sqlite_table if engine == "sqlite" else duckdb_table)(table, path, columns, types)
    query = run("sql", "--dialect", engine, "--table", table, *flags)
    cursor = db.execute(query)
    counts = os.path.join(WORK, f"{table}-{engine}-counts.csv")
    with open(counts, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([d[0] for d in cursor.description])
        rows = 0
        for row in cursor.fetchall():
            w.writerow(["" if v is None else as_number(v) for v in row])
            rows += 1
    direct = json.loads(run("audit", path, *flags))
    counted = json.loads(run("audit", counts, *flags, "--count", "n"))
    if comparable(direct) != comparable(counted):
        for key in direct:
            if direct[key] != counted.get(key):
                sys.exit(f"{name}: the audit of the counts differs from the direct audit in {key!r}")
        sys.exit(f"{name}: the audit of the counts differs from the direct audit")
    print(f"{name}: {rows} rows of counts for {counted['input']['rows_read']} cases give the same report on {ENGINES[engine]}")


def generated(path, n=1_000_000, seed=7):
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case_id", "ethnicity", "sex", "age", "flagged", "found", "score", "office"])
        for i in range(n):
            eth = rng.choices(["White", "Black", "Asian", "Mixed", ""], [60, 15, 15, 5, 5])[0]
            score = round(rng.random() ** (0.8 if eth == "Black" else 1.0), 2)
            w.writerow([i, eth, rng.choice(["F", "M"]), rng.randint(18, 90), int(score >= 0.7), int(rng.random() < score * 0.6),
                        score, rng.choice(["North", "South", "East"])])


if __name__ == "__main__":
    engines = ["sqlite"] + (["duckdb"] if duckdb else [])
    if not duckdb:
        print("DuckDB not checked: this Python has no duckdb package (scripts/test installs it in a venv)")
    big = os.path.join(WORK, "generated.csv")
    generated(big)
    for engine in engines:
        if os.path.exists(COMPAS):
            check("COMPAS", COMPAS, "compas",
                  ["race", "sex", "age", "score_text", "two_year_recid", "v_decile_score"],
                  {"two_year_recid": "INTEGER", "v_decile_score": "REAL"},
                  ["--group", "race", "--group", "sex", "--group", "age", "--bin", "age=25,35,45,55", "--intersect", "race,sex",
                   "--decision", "score_text", "--positive", "Medium,High", "--negative", "Low",
                   "--label", "two_year_recid", "--label-positive", "1", "--score", "v_decile_score",
                   "--reference", "Caucasian", "--outcome", "harmful"], engine)
        else:
            print(f"skipped COMPAS: {COMPAS} is missing")
        check("generated 1,000,000 rows", big, "cases",
              ["ethnicity", "sex", "age", "flagged", "found", "score", "office"],
              {"flagged": "INTEGER", "found": "INTEGER", "score": "REAL"},
              ["--group", "ethnicity", "--group", "sex", "--group", "age", "--bin", "age=q4", "--decision", "flagged", "--positive", "1",
               "--label", "found", "--label-positive", "1", "--score", "score", "--strata", "office", "--outcome", "harmful"], engine)
