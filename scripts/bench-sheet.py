#!/usr/bin/env python3
"""Benchmark, not a test: a sheet at Excel's row limit, 1,048,576 rows (the
header and 1,048,575 decisions, 8 columns of numbers, text and dates), as an
.xlsx workbook, audited by the command line. Prints the workbook's size, the
time and the peak memory (the process's maximum resident set, from wait4),
and checks the figures against the same rows as CSV.

    cargo build --release && python3 scripts/bench-sheet.py [ROWS]

Then, with the page's tools (scripts/build-wasm, npm ci, Chromium), it runs
the same audit in the page's worker in headless Chromium
(scripts/bench-browser.mjs --sheet), with the tab's peak memory.

The workbook is written directly as Office Open XML (what a spreadsheet
program writes, with shared strings and dates as serial numbers), which is
much faster than a spreadsheet library at this size.
"""
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "release", "biasaudit")
# `--write DIR ROWS` only writes DIR/decisions.xlsx and DIR/decisions.csv (for tests/e2e/sheets.test.mjs).
WRITE_ONLY = len(sys.argv) > 3 and sys.argv[1] == "--write"
ROWS = int(sys.argv[3]) if WRITE_ONLY else int(sys.argv[1]) if len(sys.argv) > 1 else 1_048_575
HEADER = ["case", "ethnicity", "sex", "age", "decided_on", "approved", "score", "office"]
TEXTS = ["White", "Black", "Asian", "Mixed", "F", "M", "yes", "no", "North", "South", "East"]


def rows():
    rng = random.Random(11)
    for i in range(ROWS):
        eth = rng.choices(["White", "Black", "Asian", "Mixed"], [60, 20, 15, 5])[0]
        yield [i + 1, eth, rng.choice(["F", "M"]), rng.randint(18, 90), 45292 + rng.randrange(730),
               "yes" if rng.random() < (0.4 if eth == "Black" else 0.55) else "no", round(rng.random(), 3),
               rng.choice(["North", "South", "East"])]


def column(i):
    return chr(ord("A") + i)


def write(xlsx, csv_path):
    index = {t: i for i, t in enumerate(HEADER + TEXTS)}
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, \
            open(csv_path, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(HEADER)
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Decisions" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')
        # Style 1 is a date (number format 14), so the serial numbers read as dates.
        z.writestr("xl/styles.xml", '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
        strings = "".join(f"<si><t>{t}</t></si>" for t in HEADER + TEXTS)
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(index)}" uniqueCount="{len(index)}">{strings}</sst>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:H{ROWS + 1}"/><sheetData>'.encode())
            head = "".join(f'<c r="{column(j)}1" t="s"><v>{index[h]}</v></c>' for j, h in enumerate(HEADER))
            sheet.write(f'<row r="1">{head}</row>'.encode())
            batch = []
            for i, r in enumerate(rows()):
                n = i + 2
                cells = []
                for j, v in enumerate(r):
                    ref = f"{column(j)}{n}"
                    if isinstance(v, str):
                        cells.append(f'<c r="{ref}" t="s"><v>{index[v]}</v></c>')
                    elif j == 4:
                        cells.append(f'<c r="{ref}" s="1"><v>{v}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}"><v>{v}</v></c>')
                batch.append(f'<row r="{n}">{"".join(cells)}</row>')
                day = time.strftime("%Y-%m-%d", time.gmtime((r[4] - 25569) * 86400))
                w.writerow([r[0], r[1], r[2], r[3], day, r[5], r[6], r[7]])
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())


def main():
    work = tempfile.mkdtemp(prefix="biasaudit-sheet-")
    try:
        measure(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(work):
    xlsx, as_csv = os.path.join(work, "decisions.xlsx"), os.path.join(work, "decisions.csv")
    started = time.monotonic()
    write(xlsx, as_csv)
    print(f"wrote {ROWS + 1:,} rows: the workbook {os.path.getsize(xlsx) / 2**20:.1f} MiB, as CSV {os.path.getsize(as_csv) / 2**20:.1f} MiB "
          f"({time.monotonic() - started:.0f} s)")
    flags = ["--group", "ethnicity", "--group", "sex", "--group", "age", "--bin", "age=25,45,65", "--intersect", "ethnicity,sex",
             "--decision", "approved", "--positive", "yes", "--score", "score", "--period", "decided_on", "--period-unit", "quarter"]
    for name, path in [("xlsx", xlsx), ("csv", as_csv)]:
        started = time.monotonic()
        child = subprocess.Popen([CLI, "audit", path, *flags, "-o", path + ".json"], stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        if status != 0:
            sys.exit(f"biasaudit audit {name} failed: {child.stderr.read().decode()}")
        print(f"{name}: {seconds:.2f} s, {ROWS / seconds / 1e6:.2f} M rows/s, peak memory {usage.ru_maxrss / 1024:.0f} MiB")
    reports = []
    for name in ("xlsx", "csv"):
        with open(os.path.join(work, f"decisions.{name}.json")) as f:
            r = json.load(f)
        r["input"].pop("delimiter", None)
        r["config"].pop("sheet", None)
        r["config"]["delimiter"] = None
        r["input"]["sha256"] = None
        reports.append(r)
    print("the figures", "equal" if reports[0] == reports[1] else "DIFFER", "between the workbook and its rows as CSV")
    if reports[0] != reports[1]:
        sys.exit(1)
    if os.path.exists(os.path.join(ROOT, "node_modules")) and os.path.exists(os.path.join(ROOT, "pkg", "biasaudit_bg.wasm")):
        subprocess.run(["node", os.path.join(ROOT, "scripts", "bench-browser.mjs"), "--sheet", xlsx], check=True)
    else:
        print("the page not measured: build it first (scripts/build-wasm, npm ci)")


if __name__ == "__main__":
    if WRITE_ONLY:
        write(os.path.join(sys.argv[2], "decisions.xlsx"), os.path.join(sys.argv[2], "decisions.csv"))
    else:
        main()
