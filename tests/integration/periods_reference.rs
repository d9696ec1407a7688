//! Figures by period: COMPAS by screening month and quarter against pandas,
//! statsmodels and scipy (tests/fixtures/periods/make_compas_periods.py),
//! and the period column's rules (dates, errors, merging, publication).

use biasaudit::config::{PeriodColumn, PeriodUnit};
use biasaudit::{audit_bytes, Audit, AuditConfig, ErrorCode, OutcomeColumn};
use serde_json::Value;

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{what}: {a} against {b}");
}

fn compas_by(unit: PeriodUnit) -> Value {
    let mut c = crate::common::compas_config();
    c.label = None;
    c.reference = biasaudit::Reference::Largest;
    c.period = Some(PeriodColumn {
        column: "compas_screening_date".into(),
        unit,
        date_order: Default::default(),
        baseline: None,
    });
    serde_json::to_value(audit_bytes(c, &crate::common::compas_bytes()).expect("audit")).expect("json")
}

#[test]
fn compas_by_month_and_quarter_matches_pandas_and_statsmodels() {
    if crate::common::compas_missing() {
        return;
    }
    let fixture: Value =
        serde_json::from_str(include_str!("../fixtures/periods/compas_periods.json")).expect("fixture");
    for (unit, name) in [(PeriodUnit::Month, "month"), (PeriodUnit::Quarter, "quarter")] {
        let report = compas_by(unit);
        let expected = &fixture[name];
        let periods = &report["periods"];
        assert_eq!(periods["periods"], expected["periods"], "{name}: the periods, in time order");
        let count = expected["periods"].as_array().map_or(0, Vec::len) as f64;
        close(periods["verdict_confidence"].as_f64().unwrap_or(0.0), 1.0 - 0.05 / count, "verdict confidence");
        let race = &periods["attributes"][0];
        let mut seen = 0;
        for f in expected["figures"].as_array().into_iter().flatten() {
            let period = race["periods"].as_array().into_iter().flatten().find(|p| p["period"] == f["period"]);
            let group = period
                .and_then(|p| p["groups"].as_array())
                .and_then(|gs| gs.iter().find(|g| g["group"] == f["group"]))
                .unwrap_or_else(|| panic!("{name}: {} in {}", f["group"], f["period"]));
            let where_ = format!("{name} {} {}", f["period"], f["group"]);
            assert_eq!(group["n"], f["n"], "{where_} n");
            assert_eq!(group["selected"], f["selected"], "{where_} selected");
            close(group["interval"]["lower"].as_f64().unwrap_or(-1.0), f["lower"].as_f64().unwrap_or(0.0), &where_);
            close(group["interval"]["upper"].as_f64().unwrap_or(-1.0), f["upper"].as_f64().unwrap_or(0.0), &where_);
            seen += 1;
        }
        let cells: usize =
            race["periods"].as_array().into_iter().flatten().map(|p| p["groups"].as_array().map_or(0, Vec::len)).sum();
        assert_eq!(cells, seen, "{name}: every period's group is in the fixture");
        for t in race["trends"].as_array().into_iter().flatten() {
            let group = t["group"].as_str().unwrap_or_default();
            match expected["trends"].get(group) {
                Some(e) => {
                    close(
                        t["test"]["z"].as_f64().unwrap_or(0.0),
                        e["z"].as_f64().unwrap_or(1.0),
                        &format!("{name} trend z {group}"),
                    );
                    close(
                        t["test"]["p_value"].as_f64().unwrap_or(-1.0),
                        e["p"].as_f64().unwrap_or(0.0),
                        &format!("{name} trend p {group}"),
                    );
                    close(
                        t["adjusted_p"].as_f64().unwrap_or(-1.0),
                        e["adjusted_p"].as_f64().unwrap_or(0.0),
                        &format!("{name} trend Holm {group}"),
                    );
                }
                None => assert!(t["test"]["undefined"].is_string(), "{name}: {group} has no trend test"),
            }
        }
        let changes: Vec<&Value> =
            race["changes"].as_array().into_iter().flatten().filter(|c| c["p_value"].is_number()).collect();
        assert_eq!(changes.len() as u64, expected["tests"].as_u64().unwrap_or(0), "{name}: changes tested");
        assert_eq!(race["changes_family"]["tests"], expected["tests"]);
        for e in expected["changes"].as_array().into_iter().flatten() {
            let c = changes
                .iter()
                .find(|c| c["group"] == e["group"] && c["period"] == e["period"])
                .unwrap_or_else(|| panic!("{name}: change for {} in {}", e["group"], e["period"]));
            let where_ = format!("{name} change {} {}", e["group"], e["period"]);
            close(c["p_value"].as_f64().unwrap_or(-1.0), e["p"].as_f64().unwrap_or(0.0), &where_);
            close(c["adjusted_p"].as_f64().unwrap_or(-1.0), e["adjusted_p"].as_f64().unwrap_or(0.0), &where_);
            close(c["difference"]["lower"].as_f64().unwrap_or(-9.0), e["lower"].as_f64().unwrap_or(0.0), &where_);
            close(c["difference"]["upper"].as_f64().unwrap_or(-9.0), e["upper"].as_f64().unwrap_or(0.0), &where_);
        }
    }
}

fn small(period_cells: &[&str], unit: PeriodUnit) -> (AuditConfig, Vec<u8>) {
    let mut csv = String::from("g,d,when\n");
    for (i, when) in period_cells.iter().enumerate() {
        let g = if i % 2 == 0 { "a" } else { "b" };
        let d = if i % 3 == 0 { "yes" } else { "no" };
        csv.push_str(&format!("{g},{d},{when}\n"));
    }
    let mut c = AuditConfig::new(
        vec!["g".into()],
        OutcomeColumn { column: "d".into(), positive: vec!["yes".into()], ..Default::default() },
    );
    c.period = Some(PeriodColumn { column: "when".into(), unit, date_order: Default::default(), baseline: None });
    (c, csv.into_bytes())
}

#[test]
fn dates_of_every_written_form_land_in_their_period() {
    let cells =
        ["31/03/2025", "2025-03-31T23:30:00-05:00", "2025-04-01", "01.04.2025 09:00", "", "29/02/2024", "2024-12-31"];
    let (c, bytes) = small(&cells, PeriodUnit::Month);
    let r = serde_json::to_value(audit_bytes(c, &bytes).expect("audit")).expect("json");
    assert_eq!(r["periods"]["periods"], serde_json::json!(["2024-02", "2024-12", "2025-03", "2025-04", "(missing)"]));
    let rows: Vec<u64> = r["periods"]["attributes"][0]["periods"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["rows"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(rows, vec![1, 1, 2, 2, 1]);
    let (c, bytes) = small(&cells, PeriodUnit::Quarter);
    let r = serde_json::to_value(audit_bytes(c, &bytes).expect("audit")).expect("json");
    assert_eq!(r["periods"]["periods"], serde_json::json!(["2024-Q1", "2024-Q4", "2025-Q1", "2025-Q2", "(missing)"]));
    // The main figures do not change with a period column.
    let (mut c, bytes) = small(&cells, PeriodUnit::Year);
    let with = serde_json::to_value(audit_bytes(c.clone(), &bytes).expect("audit")).expect("json");
    c.period = None;
    let without = serde_json::to_value(audit_bytes(c, &bytes).expect("audit")).expect("json");
    assert_eq!(with["attributes"], without["attributes"]);
    assert!(without.get("periods").is_none());
}

#[test]
fn a_bad_date_is_a_located_error() {
    for (cell, says) in [
        ("31/03/25", "two digits"),
        ("29/02/2023", "February 2023 has no day 29 (2023 is not a leap year)"),
        ("12/25/2024", "month first (mdy)"),
        ("March 2025", "not a date"),
    ] {
        let (c, bytes) = small(&["2025-01-01", "2025-01-02", cell, "2025-01-03"], PeriodUnit::Month);
        let e = audit_bytes(c, &bytes).expect_err(cell);
        assert_eq!(e.code, ErrorCode::DataNotADate, "{cell}");
        assert_eq!(e.location.line, Some(4), "{cell}: the line");
        assert_eq!(e.location.record, Some(3), "{cell}: the record");
        assert_eq!(e.location.column.as_deref(), Some("when"), "{cell}");
        assert_eq!(e.field.as_deref(), Some("period"));
        assert!(e.to_string().contains(says), "{cell}: {e}");
    }
    // Month first reads US dates.
    let (mut c, bytes) = small(&["12/25/2024", "01/02/2025"], PeriodUnit::Month);
    if let Some(p) = c.period.as_mut() {
        p.date_order = biasaudit::config::DateOrder::Mdy;
    }
    let r = serde_json::to_value(audit_bytes(c, &bytes).expect("audit")).expect("json");
    assert_eq!(r["periods"]["periods"], serde_json::json!(["2024-12", "2025-01"]));
}

#[test]
fn text_periods_baselines_and_the_publication_view() {
    let (mut c, bytes) = small(&["wave 1", "wave 2", "wave 1", "wave 3", "wave 2", "wave 3"], PeriodUnit::AsGiven);
    if let Some(p) = c.period.as_mut() {
        p.baseline = Some("wave 2".into());
    }
    let r = serde_json::to_value(audit_bytes(c.clone(), &bytes).expect("audit")).expect("json");
    assert_eq!(r["periods"]["baseline"], "wave 2");
    let compared: Vec<&str> = r["periods"]["attributes"][0]["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["period"].as_str())
        .collect();
    assert!(compared.iter().all(|p| *p != "wave 2") && compared.contains(&"wave 1"), "{compared:?}");
    if let Some(p) = c.period.as_mut() {
        p.baseline = Some("wave 9".into());
    }
    let e = audit_bytes(c.clone(), &bytes).expect_err("unknown baseline");
    assert_eq!(e.code, ErrorCode::ConfigUnknownReference);
    assert_eq!(e.field.as_deref(), Some("period.baseline"));
    assert!(e.to_string().contains("\"wave 1\", \"wave 2\", \"wave 3\""), "{e}");
    if let Some(p) = c.period.as_mut() {
        p.baseline = None;
    }
    c.publication = true;
    let r = serde_json::to_value(audit_bytes(c, &bytes).expect("audit")).expect("json");
    assert!(r.get("periods").is_none(), "no periods in the publication view");
    assert!(r["notes"].as_array().into_iter().flatten().any(|n| n.as_str().is_some_and(|n| n.contains("by period"))));
}

/// A comparison group named for one attribute: the other attribute compares
/// with its largest group, period by period as in the whole file (it was
/// refused once there was a period column).
#[test]
fn a_group_named_for_one_attribute_is_not_an_error_in_another_by_period() {
    let mut csv = String::from("g,s,d,when\n");
    for i in 0..40 {
        let g = if i % 2 == 0 { "a" } else { "b" };
        let s = if i % 5 == 0 { "x" } else { "y" };
        let d = if i % 3 == 0 { "yes" } else { "no" };
        csv.push_str(&format!("{g},{s},{d},2025-0{}-01\n", 1 + i % 2));
    }
    let mut c = AuditConfig::new(
        vec!["g".into(), "s".into()],
        OutcomeColumn { column: "d".into(), positive: vec!["yes".into()], ..Default::default() },
    );
    c.reference = biasaudit::config::Reference::Group("a".into());
    c.period = Some(PeriodColumn {
        column: "when".into(),
        unit: PeriodUnit::Month,
        date_order: Default::default(),
        baseline: None,
    });
    let r = serde_json::to_value(audit_bytes(c, csv.as_bytes()).expect("audit")).expect("json");
    assert_eq!(r["attributes"][1]["reference"]["group"], "y", "the whole file: s's largest group");
    let s = &r["periods"]["attributes"][1];
    assert_eq!(s["column"], "s");
    let compared: Vec<&Value> = s["periods"].as_array().into_iter().flatten().map(|p| &p["compared_with"]).collect();
    assert_eq!(compared, ["y", "y"], "{s}");
}

#[test]
fn a_period_column_cannot_play_another_part() {
    let (mut c, _) = small(&[], PeriodUnit::Month);
    if let Some(p) = c.period.as_mut() {
        p.column = "d".into();
    }
    let e = c.validate().expect_err("period = decision");
    assert!(e.to_string().contains("both the period column and the decision column"), "{e}");
}

/// Period tallies merge by addition: two halves give the whole file's report.
#[test]
fn halves_merge_to_the_whole() {
    let cells: Vec<String> = (0..200).map(|i| format!("2025-{:02}-{:02}", i % 12 + 1, i % 28 + 1)).collect();
    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
    let (c, bytes) = small(&refs, PeriodUnit::Quarter);
    let whole = audit_bytes(c.clone(), &bytes).expect("whole");
    let text = String::from_utf8(bytes).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    let half = |range: std::ops::Range<usize>| {
        let mut part = format!("{}\n", lines[0]);
        for l in &lines[range] {
            part.push_str(l);
            part.push('\n');
        }
        let mut a = Audit::new(c.clone()).expect("audit");
        a.push(part.as_bytes()).expect("push");
        a.finish_tallies().expect("tallies")
    };
    let mut first = half(1..90);
    first.merge(&half(90..lines.len())).expect("merge");
    let merged = biasaudit::report::build(&c, &first, Some(b','), None).expect("report");
    assert_eq!(
        serde_json::to_value(&merged.periods).expect("json"),
        serde_json::to_value(&whole.periods).expect("json")
    );
}

#[test]
fn the_markdown_report_has_a_table_by_period() {
    // January and February: in each, a and b have 1 of 3 given "yes".
    let cells: Vec<&str> = (0..12).map(|i| if i < 6 { "2025-01-05" } else { "2025-02-10" }).collect();
    let (c, bytes) = small(&cells, PeriodUnit::Month);
    let md = biasaudit::markdown::render(&audit_bytes(c, &bytes).expect("audit"));
    let section = &md[md.find("## By period").expect("a By period section")..];
    assert!(section.contains("by month: 2 periods"), "{section}");
    assert!(section.contains("| Period | Rows | a | b |"), "{section}");
    // Wilson 95% for 1 of 3: 6.1% to 79.2%.
    assert!(section.contains("| 2025-01 | 6 | 33.3% (6.1–79.2%), n = 3 | 33.3% (6.1–79.2%), n = 3 |"), "{section}");
    assert!(section.contains("| 2025-02 | 6 |"), "{section}");
    assert!(section.contains("Changes from 2025-01: 2 tested, 0 significant"), "{section}");
}
