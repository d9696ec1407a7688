//! Intersections (race × sex) against Fairlearn's MetricFrame with two
//! sensitive features, numeric bins against pandas.cut, small-cell marking,
//! empty combinations and the publication view, on COMPAS.
//! Expected values: tests/fixtures/compas/make_compas_intersections.py.

use crate::common;

use biasaudit::{audit_bytes, AuditConfig, Report};
use serde_json::Value as Json;

fn compas() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/compas-scores-two-years.csv"))
        .expect("COMPAS data")
}

fn fixture() -> Json {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/compas/compas_intersections.json"
    ))
    .expect("fixture");
    serde_json::from_str(&text).expect("json")
}

fn run(extra: &str) -> Report {
    let config: AuditConfig = serde_json::from_str(&format!(
        r#"{{"groups":["age"],"intersections":[["race","sex"]],"bins":{{"age":{{"edges":[25,35,45,55]}}}},
            "decision":{{"column":"score_text","positive":["Medium","High"],"negative":["Low"]}},
            "label":{{"column":"two_year_recid","positive":["1"]}},"outcome":"harmful"{extra}}}"#
    ))
    .expect("config");
    audit_bytes(config, &compas()).expect("report")
}

#[test]
fn race_by_sex_cells_match_fairlearn() {
    if common::compas_missing() {
        return;
    }
    let want = fixture();
    // Fairlearn summarises every group; min_group 0 does the same.
    let report = run(r#","evidence":{"min_group":0}"#);
    let cells = &report.attributes[1];
    assert_eq!(cells.column, "race|sex");
    assert_eq!(cells.columns, vec!["race", "sex"]);
    let expected = want["race_sex"].as_object().expect("cells");
    assert_eq!(cells.groups.len(), expected.len());
    for g in &cells.groups {
        let w = &expected[&g.group];
        assert_eq!(g.counts.n, w["n"].as_u64().expect("n"), "{}", g.group);
        for key in ["selection_rate", "tpr", "fpr"] {
            let got = g.metrics.get(key).and_then(|v| v.get()).expect(key);
            let exp = w[key].as_f64().expect(key);
            assert!((got - exp).abs() <= 1e-12, "{} {key}: {got} vs {exp}", g.group);
        }
    }
    let dp = cells.summary.demographic_parity_difference.value.get().expect("dp");
    assert!((dp - want["demographic_parity_difference"].as_f64().expect("dp")).abs() <= 1e-12);
    let ratio = cells.summary.demographic_parity_ratio.value.get().expect("ratio");
    assert!((ratio - want["demographic_parity_ratio"].as_f64().expect("ratio")).abs() <= 1e-12);
    // Every race appears with both sexes in COMPAS: no empty combination.
    assert_eq!(cells.empty_cells.as_ref().map(|e| e.count), Some(0));
    // Asian women (2) and Native American women (4) are below the minimum cell size of 10.
    let small: Vec<&str> = cells.groups.iter().filter(|g| g.below_min_cell).map(|g| g.group.as_str()).collect();
    assert_eq!(small, vec!["Asian|Female", "Native American|Female"]);
}

#[test]
fn age_bins_match_pandas_cut() {
    if common::compas_missing() {
        return;
    }
    let want = fixture();
    let report = run("");
    let age = &report.attributes[0];
    let counts: Vec<(String, u64)> = age.groups.iter().map(|g| (g.group.clone(), g.counts.n)).collect();
    let expected = want["age_bins"]["counts"].as_object().expect("counts");
    assert_eq!(counts.len(), expected.len());
    for (name, n) in &counts {
        assert_eq!(Some(*n), expected.get(name).and_then(Json::as_u64), "{name}");
    }
}

#[test]
fn the_publication_view_protects_the_small_cells_by_each_line() {
    if common::compas_missing() {
        return;
    }
    let report = run(r#","publication":true"#);
    let cells = &report.attributes[1];
    // Asian|Female (2) is small; Asian|Male (30) could be recovered from race = Asian, so it goes too;
    // likewise Native American|Male for Native American|Female. Along sex = Female, the two
    // suppressed cells together are 6 people, too few, so the smallest other Female cell goes.
    assert_eq!(
        cells.suppressed_groups,
        vec!["Asian|Female", "Asian|Male", "Native American|Female", "Native American|Male", "Other|Female"]
    );
    assert!(cells.groups.iter().all(|g| !g.group.starts_with("Asian") && !g.group.starts_with("Native")));
    let json = serde_json::to_string(&report).expect("json");
    assert!(!json.contains("\"Asian|Female\",\"below_min_cell\""), "no suppressed group's figures remain");
    assert!(report.notes.iter().any(|n| n.starts_with("Publication view")));
}

#[test]
fn an_empty_combination_is_listed() {
    let csv = "a,b,d\nX,p,1\nX,q,0\nY,p,1\n";
    let config: AuditConfig = serde_json::from_str(
        r#"{"groups":["a"],"intersections":[["a","b"]],"decision":{"column":"d","positive":["1"]}}"#,
    )
    .expect("config");
    let report = audit_bytes(config, csv.as_bytes()).expect("report");
    let empty = report.attributes[1].empty_cells.as_ref().expect("empty cells");
    assert_eq!((empty.count, empty.cells.clone()), (1, vec!["Y|q".to_string()]));
}
