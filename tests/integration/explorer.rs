//! The threshold explorer's report at a threshold is the report of a full
//! audit whose decision is `score ≥ t`: every figure, test and verdict of the
//! attribute, compared as JSON. Per-group thresholds are checked against an
//! audit of the same file with the decision worked out per row.

use biasaudit::report::explore::{ThresholdExplorer, Thresholds};
use biasaudit::{audit_bytes, Audit, AuditConfig, Direction, OutcomeColumn, Reference};
use serde_json::Value;
use std::collections::BTreeMap;

fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn fraud_config() -> AuditConfig {
    let mut c = AuditConfig::new(
        vec!["nationality".into(), "age_band".into()],
        OutcomeColumn { column: "flagged".into(), positive: vec!["1".into()], ..Default::default() },
    );
    c.intersections = vec![vec!["nationality".into(), "sex".into()]];
    c.label =
        Some(OutcomeColumn { column: "overpayment_found".into(), positive: vec!["1".into()], ..Default::default() });
    c.score = Some("risk_score".into());
    c.strata = Some("region".into());
    c.outcome = Direction::Harmful;
    c
}

/// The recruitment sample by one characteristic, shortlisted as the decision, with its score.
fn recruitment_config(group: &str, labelled: bool) -> AuditConfig {
    let mut c = AuditConfig::new(
        vec![group.into()],
        OutcomeColumn { column: "shortlisted".into(), positive: vec!["yes".into()], ..Default::default() },
    );
    if labelled {
        c.label = Some(OutcomeColumn { column: "suitable".into(), positive: vec!["1".into()], ..Default::default() });
    }
    c.score = Some("score".into());
    c
}

fn tallies(config: &AuditConfig, bytes: &[u8]) -> biasaudit::TallySet {
    let mut audit = Audit::new(config.clone()).expect("a valid config");
    audit.push(bytes).expect("the sample reads");
    audit.finish_tallies().expect("the sample counts")
}

/// The config of the audit the explorer stands for: the decision is the
/// score at `t`, no score, strata or weights.
fn at_threshold(config: &AuditConfig, t: f64) -> AuditConfig {
    let mut c = config.clone();
    c.decision =
        OutcomeColumn { column: c.score.take().expect("a score column"), threshold: Some(t), ..Default::default() };
    c.strata = None;
    c.weight = None;
    c
}

fn attribute(report: &biasaudit::Report, k: usize) -> Value {
    serde_json::to_value(&report.attributes[k]).expect("serialises")
}

fn families(report: &biasaudit::Report, column: &str) -> Value {
    let all = serde_json::to_value(&report.evidence.families).expect("serialises");
    let mine: Vec<Value> =
        all.as_array().expect("a list").iter().filter(|f| f["attribute"].as_str() == Some(column)).cloned().collect();
    Value::Array(mine)
}

#[test]
fn the_report_at_a_threshold_is_the_full_audit_at_that_threshold() {
    let bytes = sample("fraud_flags.csv");
    let config = fraud_config();
    let set = tallies(&config, &bytes);
    let mut verdicts = std::collections::BTreeSet::new();
    for k in 0..3 {
        let explorer = ThresholdExplorer::new(&config, &set, k).expect("an explorer");
        for t in [0.0, 0.2, 0.45, 0.4501, 0.6, 0.95] {
            let full = audit_bytes(at_threshold(&config, t), &bytes).expect("a full audit");
            let column = full.attributes[k].column.clone();
            let explored = explorer.report(&Thresholds::One(t)).expect("a report");
            assert_eq!(explored.attributes.len(), 1);
            let got = attribute(&explored, 0);
            assert_eq!(got, attribute(&full, k), "{column} at {t}");
            assert_eq!(
                families(&explored, &column),
                families(&full, &column),
                "{column} at {t}: the families of tests"
            );
            for g in got["groups"].as_array().expect("groups") {
                verdicts.insert(g["evidence"]["adverse_impact"]["verdict"].as_str().expect("a verdict").to_string());
            }
        }
    }
    // The thresholds move the verdicts: the comparison is not of empty reports.
    assert!(verdicts.len() >= 3, "verdicts seen: {verdicts:?}");
}

#[test]
fn per_group_thresholds_equal_an_audit_of_the_decisions_they_make() {
    let bytes = sample("fraud_flags.csv");
    let config = AuditConfig { intersections: Vec::new(), ..fraud_config() };
    let set = tallies(&config, &bytes);
    let explorer = ThresholdExplorer::new(&config, &set, 0).expect("an explorer");
    let per_group: BTreeMap<String, f64> =
        [("British".to_string(), 0.5), ("EU".to_string(), 0.62), ("Non-EU".to_string(), 0.7)].into_iter().collect();
    let default = 0.55;
    let explored = explorer.report(&Thresholds::PerGroup { default, groups: per_group.clone() }).expect("a report");

    // The same decisions, written into the file as a column.
    let text = String::from_utf8(bytes).expect("UTF-8");
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    let names: Vec<&str> = header.split(',').collect();
    let at = |name: &str| names.iter().position(|n| *n == name).expect("a column");
    let (nationality, score) = (at("nationality"), at("risk_score"));
    let mut decided = format!("{header},decided\n");
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let t = per_group.get(cells[nationality]).copied().unwrap_or(default);
        let s: f64 = cells[score].parse().expect("a score");
        decided.push_str(&format!("{line},{}\n", u8::from(s >= t)));
    }
    let mut direct = config.clone();
    direct.decision = OutcomeColumn { column: "decided".into(), positive: vec!["1".into()], ..Default::default() };
    direct.score = None;
    direct.strata = None;
    let full = audit_bytes(direct, decided.as_bytes()).expect("a full audit");
    assert_eq!(attribute(&explored, 0), attribute(&full, 0));
    // Each group really is at its own threshold.
    let selected: Vec<u64> = explorer
        .counts(&Thresholds::PerGroup { default, groups: per_group.clone() })
        .iter()
        .map(|(_, c)| c.selected)
        .collect();
    let at_one: Vec<u64> = explorer.counts(&Thresholds::One(0.5)).iter().map(|(_, c)| c.selected).collect();
    assert_ne!(selected, at_one);
}

#[test]
fn without_a_label_the_explorer_counts_selections_only() {
    let bytes = sample("recruitment.csv");
    let config = recruitment_config("ethnicity", false);
    let set = tallies(&config, &bytes);
    let explorer = ThresholdExplorer::new(&config, &set, 0).expect("an explorer");
    for t in [40.0, 65.0, 80.0] {
        let full = audit_bytes(at_threshold(&config, t), &bytes).expect("a full audit");
        assert_eq!(
            attribute(&explorer.report(&Thresholds::One(t)).expect("a report"), 0),
            attribute(&full, 0),
            "at {t}"
        );
    }
}

#[test]
fn the_system_threshold_is_found_only_where_the_decisions_follow_one() {
    // Recruitment: shortlisted exactly when the score is 65 or more.
    let bytes = sample("recruitment.csv");
    let config = recruitment_config("sex", true);
    let explorer = ThresholdExplorer::new(&config, &tallies(&config, &bytes), 0).expect("an explorer");
    let range = explorer.range();
    let system = range.system_threshold.expect("the decisions follow score ≥ 65");
    assert_eq!((system.threshold, system.how), (65.0, "matches"));
    assert!(range.whole_numbers);
    assert_eq!(range.distinct, 99);

    // Fraud: claims scored 0.45 were flagged and not flagged, so no threshold made these decisions.
    let bytes = sample("fraud_flags.csv");
    let config = fraud_config();
    let explorer = ThresholdExplorer::new(&config, &tallies(&config, &bytes), 0).expect("an explorer");
    assert_eq!(explorer.range().system_threshold, None);
    assert!(!explorer.range().whole_numbers);

    // The decision given as the score at a threshold is that threshold.
    let configured = at_threshold(&config, 0.4);
    let configured = AuditConfig { score: Some("risk_score".into()), ..configured };
    let explorer = ThresholdExplorer::new(&configured, &tallies(&configured, &bytes), 0).expect("an explorer");
    let system = explorer.range().system_threshold.expect("configured");
    assert_eq!((system.threshold, system.how), (0.4, "configured"));
}

#[test]
fn weights_are_ignored_and_a_reference_named_in_another_attribute_is_no_error() {
    let bytes = sample("fraud_flags.csv");
    let mut config = fraud_config();
    config.intersections.clear();
    config.reference = Reference::Group("British".into());
    let set = tallies(&config, &bytes);
    // "British" is not an age band: the full audit compares age bands with everyone else.
    let explorer = ThresholdExplorer::new(&config, &set, 1).expect("an explorer");
    let full = audit_bytes(at_threshold(&config, 0.5), &bytes).expect("a full audit");
    assert_eq!(attribute(&explorer.report(&Thresholds::One(0.5)).expect("a report"), 0), attribute(&full, 1));

    assert!(ThresholdExplorer::new(&config, &set, 2).is_err(), "there is no attribute 2");
    let no_score = AuditConfig { score: None, ..config.clone() };
    assert!(ThresholdExplorer::new(&no_score, &tallies(&no_score, &bytes), 0).is_err());
}

#[test]
fn the_gap_allowed_is_a_setting_the_report_and_the_explorer_share() {
    let bytes = sample("recruitment.csv");
    let mut config = recruitment_config("ethnicity", true);
    config.what_if_tolerance = Some(0.05);
    let report = audit_bytes(config.clone(), &bytes).expect("an audit");
    let explorer = ThresholdExplorer::new(&config, &tallies(&config, &bytes), 0).expect("an explorer");
    let from_explorer = explorer.strategies(Some(0.05));
    let in_report = &report.attributes[0].scores.as_ref().expect("scores").group_thresholds;
    for key in ["demographic_parity", "equal_opportunity", "equal_accuracy"] {
        let a = serde_json::to_value(&in_report[key]).expect("serialises");
        let b = serde_json::to_value(&from_explorer.group_thresholds[key]).expect("serialises");
        assert_eq!(a, b, "{key}");
        assert_eq!(a["tolerance"], 0.05);
        assert!(a["gap"].as_f64().expect("a gap") <= 0.05);
    }
    // The smallest gap costs more errors than 5 points allowed (recruitment: 562 against 556 for parity of selection).
    let smallest = explorer.strategies(None);
    let errors = |s: &biasaudit::report::explore::Strategies| {
        let g = s.group_thresholds["demographic_parity"].value().expect("defined").total;
        g.fp + g.fn_
    };
    assert!(errors(&smallest) > errors(&from_explorer));
    config.what_if_tolerance = Some(1.5);
    let problems = config.problems();
    assert!(problems.iter().any(|p| p.field.as_deref() == Some("what_if_tolerance")), "{problems:?}");
    assert!(audit_bytes(config, &bytes).is_err(), "a gap allowed above 1 is refused");
}
