//! Spreadsheets: a sheet of decisions.xlsx, .ods and .xls (written by
//! tests/fixtures/sheets/make_sheets.py, with typed cells, two title rows, a
//! blank row and a sheet of notes first) audits exactly as the same table
//! saved as CSV (decisions.csv, written by the same script).

use biasaudit::audit::audit_sheet;
use biasaudit::config::{Binning, PeriodColumn, PeriodUnit};
use biasaudit::input::sheet::{column_letters, number_text, SheetFormat};
use biasaudit::{audit_bytes, AuditConfig, ErrorCode, OutcomeColumn};
use serde_json::Value;
use std::io::Cursor;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sheets").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn config() -> AuditConfig {
    let mut c = AuditConfig::new(
        vec!["ethnicity".into(), "sex".into(), "age".into()],
        OutcomeColumn { column: "approved".into(), positive: vec!["TRUE".into()], ..Default::default() },
    );
    c.bins.insert("age".into(), Binning::Edges(vec![30.0, 50.0]));
    c.intersections = vec![vec!["ethnicity".into(), "sex".into()]];
    c.label = Some(OutcomeColumn { column: "repaid".into(), positive: vec!["1".into()], ..Default::default() });
    c.score = Some("score".into());
    c.period = Some(PeriodColumn {
        column: "decided_at".into(),
        unit: PeriodUnit::Quarter,
        date_order: Default::default(),
        baseline: None,
    });
    c
}

/// The report without what says where it came from.
fn figures(report: &biasaudit::Report) -> Value {
    let mut v = serde_json::to_value(report).expect("json");
    v["input"]["sha256"] = Value::Null;
    v["input"]["delimiter"] = Value::Null;
    v["config"]["sheet"] = Value::Null;
    v["config"]["header_row"] = Value::Null;
    v["config"]["delimiter"] = Value::Null;
    v
}

fn on_the_sheet(mut c: AuditConfig) -> AuditConfig {
    c.sheet = Some("Decisions".into());
    c.header_row = 3;
    c
}

#[test]
fn each_kind_of_workbook_audits_as_the_sheet_saved_as_csv() {
    let csv = audit_bytes(config(), &fixture("decisions.csv")).expect("csv");
    assert_eq!(csv.input.rows_read, 120);
    let mut weighted = config();
    weighted.weight = Some("weight".into());
    // Date-times as written, to the second: each is a stratum of its own.
    weighted.strata = Some("decided_at".into());
    weighted.period = Some(PeriodColumn {
        column: "decided_on".into(),
        unit: PeriodUnit::Month,
        date_order: Default::default(),
        baseline: None,
    });
    let csv_weighted = audit_bytes(weighted.clone(), &fixture("decisions.csv")).expect("csv");
    for (file, format) in [
        ("decisions.xlsx", SheetFormat::Xlsx),
        ("decisions.ods", SheetFormat::Ods),
        ("decisions.xls", SheetFormat::Xls),
    ] {
        let bytes = fixture(file);
        assert_eq!(SheetFormat::sniff(&bytes), Some(format), "{file}");
        let preview =
            biasaudit::input::preview::preview_sheet(format, Cursor::new(&bytes), None, 1, 0).expect("preview");
        assert_eq!(preview.workbook.expect("a workbook").sheets[..2], ["Notes", "Decisions"], "{file}");
        let mut calls = 0;
        let report =
            audit_sheet(on_the_sheet(config()), format, Cursor::new(&bytes), &mut |_, _| calls += 1).expect(file);
        assert_eq!(report.config.sheet.as_deref(), Some("Decisions"), "{file}: the report names the sheet");
        assert_eq!(figures(&report), figures(&csv), "{file}");
        let report =
            audit_sheet(on_the_sheet(weighted.clone()), format, Cursor::new(&bytes), &mut |_, _| {}).expect(file);
        assert_eq!(figures(&report), figures(&csv_weighted), "{file}, weighted, by month of a date");
        assert_eq!(calls, 0, "{file}: 124 rows are fewer than one progress step");
    }
    assert_eq!(SheetFormat::sniff(&fixture("decisions.csv")), None);
}

#[test]
fn the_sheet_and_header_row_are_chosen_and_a_wrong_one_is_explained() {
    let bytes = fixture("decisions.xlsx");
    // By default the first sheet, whose first row is a title: the columns are not there.
    let e = audit_sheet(config(), SheetFormat::Xlsx, Cursor::new(&bytes), &mut |_, _| {}).expect_err("notes sheet");
    assert_eq!(e.code, ErrorCode::ConfigUnknownColumn, "{e}");
    let mut c = config();
    c.sheet = Some("Decision".into());
    let e = audit_sheet(c, SheetFormat::Xlsx, Cursor::new(&bytes), &mut |_, _| {}).expect_err("no such sheet");
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::ConfigInvalid, Some("sheet")));
    assert!(e.to_string().contains("its sheets are: \"Notes\", \"Decisions\", \"With an error\", \"Stray\""), "{e}");
    // The title row as the header: the column names are missing, and said so.
    let mut c = on_the_sheet(config());
    c.header_row = 1;
    let e = audit_sheet(c, SheetFormat::Xlsx, Cursor::new(&bytes), &mut |_, _| {}).expect_err("title as header");
    assert_eq!(e.code, ErrorCode::ConfigUnknownColumn, "{e}");
    let mut c = on_the_sheet(config());
    c.header_row = 0;
    assert_eq!(
        audit_sheet(c, SheetFormat::Xlsx, Cursor::new(&bytes), &mut |_, _| {}).expect_err("row 0").code,
        ErrorCode::ConfigOutOfRange
    );
    let mut c = on_the_sheet(config());
    c.header_row = 500;
    let e = audit_sheet(c, SheetFormat::Xlsx, Cursor::new(&bytes), &mut |_, _| {}).expect_err("below the data");
    assert_eq!(e.code, ErrorCode::InputEmpty, "{e}");
}

#[test]
fn a_bad_value_is_located_at_its_cell() {
    let bytes = fixture("decisions.xlsx");
    let mut c = config();
    c.sheet = Some("With an error".into());
    let e = audit_sheet(c, SheetFormat::Xlsx, Cursor::new(&bytes), &mut |_, _| {}).expect_err("maybe");
    assert_eq!(e.code, ErrorCode::DataUnexpectedValue, "{e}");
    let place = e.location.place.as_deref().expect("a cell");
    assert_eq!((place.sheet.as_str(), place.cell.as_deref()), ("With an error", Some("G17")));
    assert_eq!(e.location.line, Some(17));
    assert_eq!(e.location.column.as_deref(), Some("approved"));
    assert!(e.to_string().starts_with("cell \"'With an error'!G17\", column \"approved\": "), "{e}");
    let mut c = config();
    c.sheet = Some("Stray".into());
    let e = audit_sheet(c, SheetFormat::Xlsx, Cursor::new(&bytes), &mut |_, _| {}).expect_err("stray");
    assert_eq!(
        (e.code, e.location.place.as_ref().and_then(|p| p.cell.as_deref())),
        (ErrorCode::InputRaggedRow, Some("L5")),
        "{e}"
    );
    assert!(e.to_string().contains("\"left over\""), "{e}");
    // Not a workbook at all, though it starts like one.
    let e = audit_sheet(config(), SheetFormat::Xlsx, Cursor::new(b"PK\x03\x04 not really a zip"), &mut |_, _| {})
        .expect_err("damaged");
    assert_eq!(e.code, ErrorCode::InputUnreadableSheet, "{e}");
}

#[test]
fn numbers_are_written_as_a_spreadsheet_saves_them() {
    assert_eq!(number_text(0.1 + 0.2), "0.3");
    assert_eq!(number_text(0.1), "0.1");
    assert_eq!(number_text(1.0 / 3.0), "0.333333333333333");
    assert_eq!(number_text(3.0), "3");
    assert_eq!(number_text(-0.0), "0");
    assert_eq!(number_text(-2.5), "-2.5");
    assert_eq!(number_text(123_456_789_012_345_678.0), "123456789012346000");
    assert_eq!(number_text(1e-7), "0.0000001");
    assert_eq!(
        [0, 25, 26, 701, 702, 16_383].map(column_letters),
        ["A", "Z", "AA", "ZZ", "AAA", "XFD"].map(String::from)
    );
}

/// The CLI: a workbook by its name (any name), fingerprinted; --sheet on a
/// CSV file refused; a CSV file through a pipe still read whole.
#[test]
fn the_cli_reads_a_workbook_and_refuses_a_sheet_of_a_csv_file() {
    let dir = std::env::temp_dir().join(format!("biasaudit-sheets-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    // Named .dat: recognised from its bytes, not its name.
    let workbook = dir.join("decisions.dat");
    std::fs::write(&workbook, fixture("decisions.xlsx")).expect("write");
    let args = ["--group", "ethnicity", "--decision", "approved", "--positive", "TRUE", "--negative", "FALSE"];
    let run = |file: &std::path::Path, extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
            .arg("audit")
            .arg(file)
            .args(args)
            .args(extra)
            .output()
            .expect("run the CLI")
    };
    let out = run(&workbook, &["--sheet", "Decisions", "--header-row", "3"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["config"]["sheet"], "Decisions");
    assert_eq!(report["input"]["rows_read"], 120);
    assert_eq!(report["input"]["sha256"].as_str().map(str::len), Some(64), "the workbook's fingerprint");
    let csv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sheets/decisions.csv");
    let out = run(&csv, &["--sheet", "Decisions"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not a spreadsheet"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Through a pipe (as `<(zcat …)` gives one): nothing is taken from its start to look at it.
    #[cfg(unix)]
    {
        let fifo = dir.join("pipe.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
        if made {
            let bytes = std::fs::read(&csv).expect("csv");
            let fifo_writer = fifo.clone();
            let writer = std::thread::spawn(move || std::fs::write(&fifo_writer, bytes));
            let out = run(&fifo, &[]);
            writer.join().expect("writer").expect("write to the pipe");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let report: Value = serde_json::from_slice(&out.stdout).expect("json");
            assert_eq!(report["input"]["rows_read"], 120);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
