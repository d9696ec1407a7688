#!/usr/bin/env python3
"""The counts query (`biasaudit sql`), run on SQLite (Python's sqlite3), DuckDB
(the `duckdb` package), Apache Spark in local mode (`pyspark`, on the
machine's Java 17) and PostgreSQL (Debian's server, started here on a socket
in a temporary folder and stopped at the end; `psycopg`), gives a table of
counts whose audit equals the direct audit of the file: every figure, on
COMPAS and on a generated 1,000,000-row file, with typed columns (a label
stored as an integer, a score as a real or double, a date-time as a
timestamp) beside text ones, and with bands, a threshold and periods worked
out in the database (NaN and empty cells among the numbers).

Run by scripts/test after `cargo build --release`, with a Python that has
the packages:  python tests/sql/check_engines.py [ENGINE ...]
An engine whose package or server is missing is skipped, and said so;
BIASAUDIT_REQUIRE_ENGINES=1 (set by scripts/test) makes that a failure.
"""
import csv
import functools
import glob
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "release", "biasaudit")
COMPAS = os.path.join(ROOT, "..", "shared", "data", "compas-scores-two-years.csv")
WORK = tempfile.mkdtemp(prefix="biasaudit-sql-")
ENGINES = {"sqlite": "SQLite", "duckdb": "DuckDB", "spark": "Apache Spark (local mode)", "postgres": "PostgreSQL"}
try:
    import duckdb
except ImportError:
    duckdb = None
try:
    import pyspark
    from pyspark.sql import SparkSession
except ImportError:
    pyspark = None
try:
    import psycopg
except ImportError:
    psycopg = None


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
        # SQLite has one REAL, a double: single precision is stored as it.
        spec = ", ".join(f'"{c}" {types.get(c, "TEXT").replace("FLOAT4", "REAL")}' for c in columns)
        db.execute(f'CREATE TABLE "{table}" ({spec})')

        def value(c, raw):
            if raw == "":
                return None
            kind = types.get(c)
            # SQLite has no date type: a timestamp is stored as its text.
            return int(raw) if kind == "INTEGER" else float(raw) if kind in ("REAL", "FLOAT4") else raw

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


DUCKDB_TYPES = {"INTEGER": "INTEGER", "REAL": "DOUBLE", "FLOAT4": "FLOAT", "TIMESTAMP": "TIMESTAMP"}


def duckdb_table(table, path, columns, types):
    """The file read by DuckDB itself, every column as text, then the typed ones cast."""
    db = duckdb.connect()
    select = ", ".join(f'CAST("{c}" AS {DUCKDB_TYPES[types[c]]}) AS "{c}"' if c in types else f'"{c}"' for c in columns)
    db.execute(f"CREATE TABLE \"{table}\" AS SELECT {select} FROM read_csv(?, all_varchar = true, header = true)", [path])
    return db


_spark = None


def spark_session():
    global _spark
    if _spark is None:
        # Everything on this machine's loopback: no other address is reachable here, nor needed.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        _spark = (SparkSession.builder.master("local[2]").appName("biasaudit-sql-check")
                  .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                  .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                  .config("spark.sql.shuffle.partitions", "4").getOrCreate())
        _spark.sparkContext.setLogLevel("ERROR")
    return _spark


SPARK_TYPES = {"INTEGER": "INT", "REAL": "DOUBLE", "FLOAT4": "FLOAT", "TIMESTAMP": "TIMESTAMP"}


def spark_rows(table, path, columns, types, query):
    """The file read by Spark's own CSV reader, every column as text, then the typed ones cast."""
    spark = spark_session()
    frame = spark.read.csv(path, header=True, inferSchema=False)
    frame.selectExpr(*(f"CAST(`{c}` AS {SPARK_TYPES[types[c]]}) AS `{c}`" if c in types else f"`{c}`" for c in columns)) \
        .createOrReplaceTempView(table)
    result = spark.sql(query)
    return result.columns, [tuple(r) for r in result.collect()]


class Postgres:
    """A PostgreSQL server of its own: a new cluster in a temporary folder, on a Unix socket there only."""

    def __init__(self):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = tempfile.mkdtemp(prefix="biasaudit-pg-")
        os.chmod(self.dir, 0o777)
        self.data = os.path.join(self.dir, "data")
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*self.as_postgres, f"{self.bin}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres"],
                       check=True, capture_output=True)
        subprocess.run([*self.as_postgres, f"{self.bin}/pg_ctl", "-D", self.data, "-w", "-l", os.path.join(self.dir, "log"),
                        "-o", f"-k {self.dir} -c listen_addresses='' -c fsync=off", "start"], check=True, capture_output=True)

    def connect(self):
        return psycopg.connect(host=self.dir, user="postgres", dbname="postgres", autocommit=True)

    def stop(self):
        subprocess.run([*self.as_postgres, f"{self.bin}/pg_ctl", "-D", self.data, "-w", "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


_postgres = None
PG_TYPES = {"INTEGER": "INTEGER", "REAL": "DOUBLE PRECISION", "FLOAT4": "REAL", "TIMESTAMP": "TIMESTAMP"}


def postgres_rows(table, path, columns, types, query):
    """The file copied into a table by PostgreSQL's COPY (an empty cell is NULL), typed columns typed."""
    global _postgres
    if _postgres is None:
        _postgres = Postgres()
    with _postgres.connect() as db:
        db.execute(f'DROP TABLE IF EXISTS "{table}"')
        with open(path, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        # A header may repeat a name (COMPAS has decile_score twice); a repeat gets a name of its own, unused by the query.
        seen = {}
        names = []
        for c in header:
            seen[c] = seen.get(c, 0) + 1
            names.append(c if seen[c] == 1 else f"{c} (repeat {seen[c]})")
        columns_text = ", ".join(f'"{c}" TEXT' for c in names)
        db.execute(f'CREATE TEMP TABLE "load_{table}" ({columns_text})')
        with open(path, "rb") as f, db.cursor().copy(f'COPY "load_{table}" FROM STDIN WITH (FORMAT csv, HEADER true)') as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        select = ", ".join(f'CAST("{c}" AS {PG_TYPES[types[c]]}) AS "{c}"' if c in types else f'"{c}"' for c in columns)
        db.execute(f'CREATE TABLE "{table}" AS SELECT {select} FROM "load_{table}"')
        cursor = db.execute(query)
        return [d.name for d in cursor.description], cursor.fetchall()


def rows_of(engine, table, path, columns, types, query):
    if engine == "spark":
        return spark_rows(table, path, columns, types, query)
    if engine == "postgres":
        return postgres_rows(table, path, columns, types, query)
    db = (sqlite_table if engine == "sqlite" else duckdb_table)(table, path, columns, types)
    cursor = db.execute(query)
    return [d[0] for d in cursor.description], cursor.fetchall()


@functools.cache
def direct_report(path, flags):
    """The audit of the file itself: the same for every engine, so made once."""
    return run("audit", path, *flags)


def check(name, path, table, columns, types, flags, engine="sqlite", at_most=None):
    """The audit of the query's counts equals the audit of the file; `at_most`: the most rows of counts expected."""
    started = time.monotonic()
    query = run("sql", "--dialect", engine, "--table", table, *flags)
    header, result = rows_of(engine, table, path, columns, types, query)
    counts = os.path.join(WORK, f"{table}-{engine}-counts.csv")
    with open(counts, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        rows = 0
        for row in result:
            w.writerow(["" if v is None else as_number(v) for v in row])
            rows += 1
    direct = json.loads(direct_report(path, tuple(flags)))
    counted = json.loads(run("audit", counts, *flags, "--count", "n"))
    if comparable(direct) != comparable(counted):
        for key in direct:
            if direct[key] != counted.get(key):
                sys.exit(f"{name}: the audit of the counts differs from the direct audit in {key!r}")
        sys.exit(f"{name}: the audit of the counts differs from the direct audit")
    if at_most is not None and rows > at_most:
        sys.exit(f"{name}: {rows} rows of counts, more than the {at_most} expected: the database did not work out what it should")
    print(f"{name}: {rows} rows of counts for {counted['input']['rows_read']} cases give the same report on {ENGINES[engine]}"
          f" ({time.monotonic() - started:.0f} s, loading included)", flush=True)


def generated(path, n=1_000_000, seed=7):
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case_id", "ethnicity", "sex", "age", "flagged", "found", "score", "office", "priority", "decided_at"])
        for i in range(n):
            eth = rng.choices(["White", "Black", "Asian", "Mixed", ""], [60, 15, 15, 5, 5])[0]
            score = round(rng.random() ** (0.8 if eth == "Black" else 1.0), 2)
            # A priority out of 100 with a decimal, sometimes NaN or empty; a decision time over two years, sometimes empty.
            priority = rng.choices([f"{rng.uniform(0, 100):.1f}", "NaN", ""], [98, 1, 1])[0]
            second = rng.randrange(2 * 365 * 86400)
            decided = "" if rng.random() < 0.01 else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(1704067200 + second))
            w.writerow([i, eth, rng.choice(["F", "M"]), rng.randint(18, 90), int(score >= 0.7), int(rng.random() < score * 0.6),
                        score, rng.choice(["North", "South", "East"]), priority, decided])


def available(engine):
    """Why an engine cannot be checked here, or None."""
    if engine == "duckdb" and not duckdb:
        return "this Python has no duckdb package"
    if engine == "spark" and not pyspark:
        return "this Python has no pyspark package"
    if engine == "spark" and not shutil.which("java"):
        return "no Java on the PATH"
    if engine == "postgres" and not psycopg:
        return "this Python has no psycopg package"
    if engine == "postgres" and not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "no PostgreSQL server installed (Debian's postgresql package)"
    return None


def check_all(engines, big):
    for engine in engines:
        if os.path.exists(COMPAS):
            # Age banded, the date-time read as its month, in the database; the decision's listed values as stored.
            check("COMPAS", COMPAS, "compas",
                  ["race", "sex", "age", "score_text", "two_year_recid", "v_decile_score", "c_jail_in"],
                  {"age": "INTEGER", "two_year_recid": "INTEGER", "v_decile_score": "REAL", "c_jail_in": "TIMESTAMP"},
                  ["--group", "race", "--group", "sex", "--group", "age", "--bin", "age=25,35,45,55", "--intersect", "race,sex",
                   "--decision", "score_text", "--positive", "Medium,High", "--negative", "Low",
                   "--label", "two_year_recid", "--label-positive", "1", "--score", "v_decile_score",
                   "--period", "c_jail_in", "--reference", "Caucasian", "--outcome", "harmful"], engine)
        else:
            print(f"skipped COMPAS: {COMPAS} is missing")
        # Quantile bins and a score: grouped as stored.
        check("generated 1,000,000 rows", big, "cases",
              ["ethnicity", "sex", "age", "flagged", "found", "score", "office"],
              {"flagged": "INTEGER", "found": "INTEGER", "score": "REAL"},
              ["--group", "ethnicity", "--group", "sex", "--group", "age", "--bin", "age=q4", "--decision", "flagged", "--positive", "1",
               "--label", "found", "--label-positive", "1", "--score", "score", "--strata", "office", "--outcome", "harmful"], engine)
        # Bands, a decision at a threshold on a single-precision number with NaN and empty cells (60.3 is
        # 60.2999992 in single precision, but written 60.3, and read so), and quarters of a timestamp: in the database.
        check("generated 1,000,000 rows, banded", big, "cases_banded",
              ["ethnicity", "age", "found", "priority", "decided_at"],
              {"age": "INTEGER", "found": "INTEGER", "priority": "FLOAT4", "decided_at": "TIMESTAMP"},
              ["--group", "ethnicity", "--group", "age", "--bin", "age=30,50,70", "--intersect", "ethnicity,age",
               "--decision", "priority", "--threshold", "60.3", "--label", "found", "--label-positive", "1",
               "--period", "decided_at", "--period-unit", "quarter", "--outcome", "harmful"], engine, at_most=2000)


if __name__ == "__main__":
    asked = sys.argv[1:] or list(ENGINES)
    engines = []
    for engine in asked:
        why = available(engine)
        if why and os.environ.get("BIASAUDIT_REQUIRE_ENGINES") == "1":
            sys.exit(f"{ENGINES[engine]} cannot be checked: {why}")
        if why:
            print(f"{ENGINES[engine]} not checked: {why} (scripts/test installs it)")
        else:
            engines.append(engine)
    big = os.path.join(WORK, "generated.csv")
    generated(big)
    try:
        check_all(engines, big)
    finally:
        # Stopped whatever happened: a failed check must not leave a server running.
        if _spark is not None:
            _spark.stop()
        if _postgres is not None:
            _postgres.stop()
        shutil.rmtree(WORK, ignore_errors=True)
