//! The verdict rules, shortfalls and one-person flips on small tables whose
//! answers are worked out by hand in the comments.

use biasaudit::evidence::{AdverseImpact, Verdict};
use biasaudit::{audit_bytes, AuditConfig, OutcomeColumn, Reference, Report};

/// `groups`: (name, rows, selected). Beneficial decision "1".
fn report(groups: &[(&str, u64, u64)], reference: Reference, min_group: u64) -> Report {
    let mut csv = String::from("g,d\n");
    for &(name, n, selected) in groups {
        for i in 0..n {
            csv.push_str(&format!("{name},{}\n", u8::from(i < selected)));
        }
    }
    let mut config = AuditConfig::new(
        vec!["g".into()],
        OutcomeColumn { column: "d".into(), positive: vec!["1".into()], ..Default::default() },
    );
    config.reference = reference;
    config.evidence.min_group = min_group;
    audit_bytes(config, csv.as_bytes()).expect("report")
}

fn impact<'a>(report: &'a Report, group: &str) -> &'a AdverseImpact {
    report.attributes[0]
        .groups
        .iter()
        .find(|g| g.group == group)
        .and_then(|g| g.evidence.as_ref()?.adverse_impact.as_ref())
        .expect("adverse impact")
}

#[test]
fn large_clear_gap_is_adverse_impact_with_exact_shortfalls() {
    // A: 1000 of 2000 (50%), B: 300 of 1000 (30%). Impact ratio 0.6.
    // To the four-fifths line (40%): 400 − 300 = 100 more. To A's rate (50%): 200 more.
    let r = report(&[("A", 2000, 1000), ("B", 1000, 300)], Reference::Group("A".into()), 30);
    let b = impact(&r, "B");
    assert_eq!(b.verdict, Verdict::AdverseImpactIndicated);
    assert_eq!(b.compared_with, "A");
    assert_eq!(b.shortfall_to_threshold, Some(100));
    assert_eq!(b.shortfall_to_reference, Some(200));
    assert_eq!(b.four_fifths_changes_with, None);
    assert_eq!(b.significance_changes_with, None);
    let a = impact(&r, "A");
    assert_eq!(a.verdict, Verdict::NoAdverseImpactIndicated);
    assert!(a.reason.contains("most favoured group"));
}

#[test]
fn a_one_person_four_fifths_flip_makes_it_only_possible() {
    // A: 25 of 50 (50%), B: 19 of 50 (38%): ratio 0.76 < 0.8.
    // One more selected in B gives 20/50 = 40%, ratio exactly 0.8: no longer below.
    let r = report(&[("A", 50, 25), ("B", 50, 19)], Reference::Largest, 30);
    let b = impact(&r, "B");
    assert_eq!(b.four_fifths_changes_with, Some(1));
    assert_eq!(b.shortfall_to_threshold, Some(1));
    // Fisher's test of 19/50 against 25/50 is far from significant (p ≈ 0.31).
    assert!(b.p_value.as_ref().is_some_and(|p| !p.significant && p.raw > 0.2));
    assert_eq!(b.verdict, Verdict::PossibleAdverseImpact);
    assert!(b.reason.contains("not statistically significant"), "{}", b.reason);
}

#[test]
fn small_groups_are_insufficient_data() {
    // C has 12 rows (< 30): however stark, no finding. It cannot set the bar either:
    // the most favoured group is A (50%), not C (100%).
    let r = report(&[("A", 100, 50), ("B", 100, 20), ("C", 12, 12)], Reference::Largest, 30);
    let c = impact(&r, "C");
    assert_eq!(c.verdict, Verdict::InsufficientData);
    assert_eq!(c.compared_with, "A");
    assert!(c.reason.starts_with("Only 12 people are in this group; at least 30"), "{}", c.reason);
    assert_eq!(r.attributes[0].four_fifths.most_favoured_group.as_deref(), Some("A"));
    // B: 20% vs 50%, ratio 0.4, highly significant.
    assert_eq!(impact(&r, "B").verdict, Verdict::AdverseImpactIndicated);
}

#[test]
fn significant_but_above_the_line_is_no_adverse_impact_with_that_said() {
    // A: 5000 of 10000 (50%), B: 4300 of 10000 (43%): ratio 0.86 ≥ 0.8, p tiny.
    let r = report(&[("A", 10000, 5000), ("B", 10000, 4300)], Reference::Largest, 30);
    let b = impact(&r, "B");
    assert_eq!(b.verdict, Verdict::NoAdverseImpactIndicated);
    assert!(b.reason.contains("statistically significant but smaller than the four-fifths threshold"), "{}", b.reason);
}

#[test]
fn no_finding_says_what_the_data_could_not_detect() {
    // A: 20 of 40, B: 19 of 40: ratio 0.95. With 40 per group, only a large gap is detectable.
    let r = report(&[("A", 40, 20), ("B", 40, 19)], Reference::Largest, 30);
    let b = impact(&r, "B");
    assert_eq!(b.verdict, Verdict::NoAdverseImpactIndicated);
    let gap = b.detectable.value().and_then(|d| d.decrease).expect("detectable decrease");
    assert!(gap > 0.25 && gap < 0.35, "{gap}");
    assert!(b.reason.contains("could not reliably detect a gap smaller than"), "{}", b.reason);
}

#[test]
fn the_missing_group_is_not_tested_so_it_cannot_shift_other_p_values() {
    let csv = "g,d\n".to_string() + &"A,1\nA,0\n".repeat(50) + &"B,1\nB,0\nB,0\n".repeat(30) + &",0\n".repeat(40);
    let config: AuditConfig =
        serde_json::from_str(r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]}}"#).expect("config");
    let r = audit_bytes(config, csv.as_bytes()).expect("report");
    let missing = r.attributes[0].groups.iter().find(|g| g.is_missing).expect("(missing)");
    let evidence = missing.evidence.as_ref().expect("evidence");
    assert!(evidence.vs_reference.is_empty() && evidence.adverse_impact.is_none());
    // One comparison per tested rate for B only (no label: selection rate alone).
    assert_eq!(r.evidence.families[0].tests, 1);
}

#[test]
fn with_weights_the_verdicts_compare_with_the_group_the_table_shows() {
    // Rows: A 60% selected, B 50%. Weights make B's weighted rate the highest.
    let mut csv = String::from("g,d,w\n");
    for i in 0..100 {
        csv.push_str(&format!("A,{},1\n", u8::from(i < 60)));
        csv.push_str(&format!("B,{},{}\n", u8::from(i < 50), if i < 50 { 5 } else { 1 }));
    }
    let config: AuditConfig =
        serde_json::from_str(r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"weight":"w"}"#)
            .expect("config");
    let r = audit_bytes(config, csv.as_bytes()).expect("report");
    assert_eq!(r.attributes[0].four_fifths.most_favoured_group.as_deref(), Some("B"));
    assert_eq!(impact(&r, "A").compared_with, "B");
}
