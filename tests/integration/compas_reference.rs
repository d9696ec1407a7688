//! COMPAS by race against Fairlearn and AIF360.
//!
//! Expected values: tests/fixtures/compas/compas_race.json, produced by
//! tests/fixtures/compas/make_compas_fixture.py (Fairlearn MetricFrame and
//! summary functions, cross-checked with AIF360 ClassificationMetric).
//! The data file is read from ../shared/data (never copied into this repo).

use crate::common;
use biasaudit::report::{AttributeReport, GroupReport};
use biasaudit::{AuditConfig, Report};
use serde_json::Value as Json;

use crate::common::{compas_config, compas_path};

fn fixture() -> Json {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/compas/compas_race.json"))
        .expect("fixture");
    serde_json::from_str(&text).expect("fixture json")
}

/// Fairlearn's summaries use every group: min_group 0 does the same.
fn config(weight: Option<&str>) -> AuditConfig {
    let mut c = compas_config();
    c.weight = weight.map(str::to_string);
    c.evidence.min_group = 0;
    c
}

fn run(weight: Option<&str>) -> Report {
    let bytes = std::fs::read(compas_path()).expect("read COMPAS");
    // Odd chunk sizes on purpose: the result must not depend on them.
    let mut audit = biasaudit::Audit::new(config(weight)).expect("config");
    for chunk in bytes.chunks(7919) {
        audit.push(chunk).expect("push");
    }
    audit.finish().expect("report")
}

fn close(what: &str, got: f64, want: f64) {
    let tol = 1e-12 * want.abs().max(1.0);
    assert!((got - want).abs() <= tol, "{what}: got {got}, reference {want}");
}

fn metric(g: &GroupReport, key: &str) -> f64 {
    g.metrics.get(key).and_then(|v| v.get()).unwrap_or_else(|| panic!("{} {key} undefined", g.group))
}

const RATES: [&str; 13] =
    ["share", "selection_rate", "base_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "fdr", "for", "accuracy", "ppr"];

fn check_rates(label: &str, g: &GroupReport, want: &Json) {
    for key in RATES {
        close(&format!("{label} {key}"), metric(g, key), want[key].as_f64().expect(key));
    }
}

fn check_summary(a: &AttributeReport, want: &Json) {
    let s = &a.summary;
    let pairs = [
        ("demographic_parity_difference", &s.demographic_parity_difference),
        ("demographic_parity_ratio", &s.demographic_parity_ratio),
        ("demographic_parity_difference_to_overall", &s.demographic_parity_difference_to_overall),
        ("demographic_parity_ratio_to_overall", &s.demographic_parity_ratio_to_overall),
        ("equalized_odds_difference", &s.equalized_odds_difference),
        ("equalized_odds_ratio", &s.equalized_odds_ratio),
        ("equal_opportunity_difference", &s.equal_opportunity_difference),
        ("equal_opportunity_ratio", &s.equal_opportunity_ratio),
    ];
    for (key, c) in pairs {
        close(key, c.value.get().expect(key), want[key].as_f64().expect(key));
    }
}

fn check_aif360(a: &AttributeReport, want: &Json) {
    let groups = want.as_object().expect("aif360 block");
    assert_eq!(groups.len(), 5);
    for (name, w) in groups {
        let g = a.groups.iter().find(|g| &g.group == name).expect("group");
        let d = g.disparity.as_ref().expect("disparity");
        let get = |m: &biasaudit::metrics::ValueMap, k: &str| m.get(k).and_then(|v| v.get()).expect(k);
        close("disparate_impact", get(&d.ratio, "selection_rate"), w["disparate_impact"].as_f64().expect("di"));
        close("spd", get(&d.difference, "selection_rate"), w["statistical_parity_difference"].as_f64().expect("spd"));
        close("eod", get(&d.difference, "tpr"), w["equal_opportunity_difference"].as_f64().expect("eod"));
        close(
            "aod",
            d.average_odds_difference.get().expect("aod"),
            w["average_odds_difference"].as_f64().expect("aod"),
        );
        close(
            "aaod",
            d.average_abs_odds_difference.get().expect("aaod"),
            w["average_abs_odds_difference"].as_f64().expect("aaod"),
        );
    }
}

#[test]
fn unweighted_matches_fairlearn_and_aif360() {
    if common::compas_missing() {
        return;
    }
    let want = fixture();
    let report = run(None);
    assert_eq!(report.input.rows_read, want["rows"].as_u64().expect("rows"));
    assert_eq!(report.input.rows_excluded, 0);
    let a = &report.attributes[0];
    assert_eq!(a.reference.group.as_deref(), Some("Caucasian"));
    let groups = want["groups"].as_object().expect("groups");
    assert_eq!(a.groups.len(), groups.len());
    for g in &a.groups {
        let w = &groups[&g.group];
        let c = g.counts.confusion.as_ref().expect("labelled");
        let counts = [g.counts.n, g.counts.selected, c.tp, c.fp, c.tn, c.fn_];
        let wanted: Vec<u64> =
            ["n", "selected", "tp", "fp", "tn", "fn"].iter().map(|k| w[k].as_u64().expect(k)).collect();
        assert_eq!(counts.to_vec(), wanted, "{} counts", g.group);
        check_rates(&g.group, g, w);
    }
    check_rates("overall", &a.overall, &want["overall"]);
    check_summary(a, &want["fairlearn"]);
    check_aif360(a, &want["aif360"]);
}

#[test]
fn weighted_by_age_matches_fairlearn_and_aif360() {
    if common::compas_missing() {
        return;
    }
    let want = &fixture()["weighted"];
    let report = run(Some("age"));
    assert_eq!(report.input.basis, "weighted");
    let a = &report.attributes[0];
    let groups = want["groups"].as_object().expect("groups");
    for g in &a.groups {
        let w = &groups[&g.group];
        assert_eq!(g.counts.n, w["n"].as_u64().expect("n"));
        let wc = g.weighted_counts.as_ref().expect("weighted counts");
        close("n_weighted", wc.n, w["n_weighted"].as_f64().expect("nw"));
        close("selected_weighted", wc.selected, w["selected_weighted"].as_f64().expect("sw"));
        let c = wc.confusion.as_ref().expect("labelled");
        for (k, v) in [("tp", c.tp), ("fp", c.fp), ("tn", c.tn), ("fn", c.fn_)] {
            close(k, v, w[k].as_f64().expect(k));
        }
        check_rates(&g.group, g, w);
    }
    check_rates("overall", &a.overall, &want["overall"]);
    check_summary(a, &want["fairlearn"]);
    check_aif360(a, &want["aif360"]);
}

#[test]
fn four_fifths_on_a_harmful_decision() {
    if common::compas_missing() {
        return;
    }
    let report = run(None);
    let ff = &report.attributes[0].four_fifths;
    assert_eq!(ff.beneficial_outcome, "not_selected");
    // Against the named reference, Caucasian: flagged 854 of 2454.
    assert_eq!(ff.comparison_group.as_deref(), Some("Caucasian"));
    assert_eq!(ff.harm_threshold, Some(1.25));
    let row = |name: &str| ff.groups.iter().find(|g| g.group == name).expect("group");
    let aa = row("African-American");
    // Not flagged: 1 - 2174/3696; Caucasian: 1 - 822/2454. Hand-computed.
    let b_aa = 1.0 - 2174.0 / 3696.0;
    let b_ref = 1.0 - 854.0 / 2454.0;
    close("impact ratio", aa.impact_ratio.get().expect("ir"), b_aa / b_ref);
    close("harm ratio", aa.harm_ratio.get().expect("hr"), (2174.0 / 3696.0) / (854.0 / 2454.0));
    // 0.63 < 0.8 and 1.69 > 1.25: both lines crossed.
    assert_eq!((aa.below_threshold, aa.above_harm_threshold), (Some(true), Some(true)));
    // Other: 79 of 377 flagged, 0.63 times as often: neither line.
    assert_eq!((row("Other").below_threshold, row("Other").above_harm_threshold), (Some(false), Some(false)));
    // The comparison group is not judged against itself.
    assert_eq!(row("Caucasian").impact_ratio.get(), Some(1.0));
    assert_eq!(row("Caucasian").below_threshold, None);
}

#[test]
fn summaries_leave_out_rates_from_too_few_people() {
    if common::compas_missing() {
        return;
    }
    let mut c = compas_config();
    c.evidence.min_group = 30;
    let report = biasaudit::audit_bytes(c, &common::compas_bytes()).expect("report");
    let s = &report.attributes[0].summary;
    // Native American: 18 people; Asian: 32 people, but only 9 of them reoffended.
    let left = |group: &str, rate: &str| s.groups_left_out.iter().find(|l| l.group == group && l.rate == rate);
    assert!(left("Native American", "selection_rate").is_some_and(|l| l.reason.contains("rests on 18 people")));
    assert!(left("Asian", "tpr").is_some_and(|l| l.reason.contains("rests on 9 people, fewer than 30")));
    assert!(left("Asian", "selection_rate").is_none());
    // Selection rates: African-American 58.8% highest, Other 21.0% lowest (was Asian 25.8%, Native American 66.7%).
    assert_eq!(s.demographic_parity_difference.groups, vec!["Other".to_string(), "African-American".to_string()]);
    let asian = report.attributes[0].groups.iter().find(|g| g.group == "Asian").and_then(|g| g.evidence.as_ref());
    assert_eq!(asian.and_then(|e| e.too_few.get("tpr")).copied(), Some(9));
}

#[test]
fn cli_json_equals_library_report() {
    if common::compas_missing() {
        return;
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
        .args(["audit", compas_path().to_str().expect("utf-8 path")])
        .args(["--group", "race", "--decision", "score_text", "--positive", "Medium,High", "--negative", "Low"])
        .args([
            "--label",
            "two_year_recid",
            "--label-positive",
            "1",
            "--reference",
            "Caucasian",
            "--outcome",
            "harmful",
            "--min-group",
            "0",
        ])
        .output()
        .expect("run CLI");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Json = serde_json::from_slice(&out.stdout).expect("CLI JSON");
    let lib = serde_json::to_value(run(None)).expect("report JSON");
    if let Some(path) = first_difference(&cli, &lib, String::new()) {
        panic!("CLI JSON differs from the library report at {path}");
    }
    assert_eq!(cli["schema_version"], 3);
    assert_eq!(cli["attributes"][0]["groups"][0]["metrics"]["selection_rate"], 2174.0 / 3696.0);
}

#[test]
fn cli_markdown_is_readable() {
    if common::compas_missing() {
        return;
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
        .args(["audit", compas_path().to_str().expect("utf-8 path"), "--format", "markdown"])
        .args(["--group", "race", "--decision", "score_text", "--positive", "Medium,High", "--negative", "Low"])
        .args(["--reference", "Caucasian", "--outcome", "harmful"])
        .output()
        .expect("run CLI");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = String::from_utf8(out.stdout).expect("utf-8");
    assert!(md.contains("| African-American | 3696 | 51.2% | 2174 | 58.8% (57.2–60.4) | 1.69 |"), "{md}");
    assert!(
        md.contains("| African-American | 3696 | 0.63 (0.59–0.67) | 3.9e-76 | 567 | 888 | neither, with 1 or 2 people | adverse impact indicated |"),
        "{md}"
    );
    assert!(md.contains("African-American received the harmful decision 1.69 times as often as Caucasian."), "{md}");
    // Too few to judge is never shown as a finding; the comparison group is not judged.
    assert!(md.contains("| Native American | 33.3% | 0.511 | yes, but too few to judge |"), "{md}");
    assert!(md.contains("| Caucasian | 2454 | — | — | — | — | — | comparison group |"), "{md}");
    // No label: error-rate columns are not shown.
    assert!(!md.contains("| TPR |"), "{md}");
    assert!(md.contains("Error-rate metrics"), "{md}");
}

#[test]
fn cli_reports_bad_values_with_location() {
    if common::compas_missing() {
        return;
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
        .args(["audit", compas_path().to_str().expect("utf-8 path")])
        .args(["--group", "race", "--decision", "score_text", "--positive", "Medium,High"])
        .output()
        .expect("run CLI");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2 (record 1), column \"score_text\": value \"Low\" is neither positive"), "{err}");
}

fn first_difference(a: &Json, b: &Json, path: String) -> Option<String> {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path} (keys)"));
            }
            x.iter().find_map(|(k, v)| match y.get(k) {
                Some(w) => first_difference(v, w, format!("{path}.{k}")),
                None => Some(format!("{path}.{k}")),
            })
        }
        (Json::Array(x), Json::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (v, w))| first_difference(v, w, format!("{path}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}
