//! The verdict rules, shortfalls and one-person flips on small tables whose
//! answers are worked out by hand in the comments (Fisher p-values from
//! scipy.stats.fisher_exact, quoted where a rule turns on them).

use biasaudit::evidence::{AdverseImpact, Verdict};
use biasaudit::{audit_bytes, AuditConfig, Direction, OutcomeColumn, Reference, Report};

/// `groups`: (name, rows, selected). Decision "1".
fn report_with(groups: &[(&str, u64, u64)], set: impl FnOnce(&mut AuditConfig)) -> Report {
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
    set(&mut config);
    audit_bytes(config, csv.as_bytes()).expect("report")
}

fn report(groups: &[(&str, u64, u64)], reference: Reference) -> Report {
    report_with(groups, |c| c.reference = reference)
}

fn harmful(groups: &[(&str, u64, u64)]) -> Report {
    report_with(groups, |c| c.outcome = Direction::Harmful)
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
fn a_clear_gap_beyond_the_line_is_indicated_with_exact_shortfalls() {
    // A: 1000 of 2000 (50%), B: 300 of 1000 (30%). Impact ratio 0.6; one test
    // in the family, so the 95% Katz range is 0.6·exp(±1.96·√(1/300 − 1/1000
    // + 1/1000 − 1/2000)) = 0.541 to 0.666: below 0.8.
    // To the line (40%): 400 − 300 = 100 more. To A's rate (50%): 200 more.
    let r = report(&[("A", 2000, 1000), ("B", 1000, 300)], Reference::Group("A".into()));
    let b = impact(&r, "B");
    assert_eq!(b.verdict, Verdict::AdverseImpactIndicated, "{}", b.reason);
    assert_eq!(b.compared_with, "A");
    assert_eq!(b.crossed, vec!["impact_ratio"]);
    let ratio = b.impact_ratio.value().expect("ratio");
    assert!((ratio.lower - 0.5406).abs() < 1e-3 && (ratio.upper.expect("upper") - 0.6659).abs() < 1e-3, "{ratio:?}");
    assert_eq!(b.shortfall_to_threshold, Some(100));
    assert_eq!(b.shortfall_to_reference, Some(200));
    assert_eq!(b.threshold_changes_with, None);
    assert_eq!(b.significance_changes_with, None);
    assert_eq!((b.group_decisions.count, b.group_decisions.of), (300, 1000));
    assert!(b.reason.contains("30.0% given the decision against 50.0% for A"), "{}", b.reason);
    // The comparison group is not judged against itself: no interval, no gap.
    let a = impact(&r, "A");
    assert_eq!(a.verdict, Verdict::ComparisonGroup);
    assert!(a.impact_ratio.value().is_none() && a.detectable.is_none() && a.p_value.is_none());
}

#[test]
fn an_interval_reaching_back_over_the_line_is_only_possible() {
    // A: 500 of 1000 (50%), B: 75 of 200 (37.5%): ratio 0.75, Fisher p = 0.00144
    // (significant), but the Katz range 0.75·exp(±1.96·√(1/75 − 1/200 + 1/500
    // − 1/1000)) = 0.621 to 0.906 reaches over 0.8.
    let r = report(&[("A", 1000, 500), ("B", 200, 75)], Reference::Largest);
    let b = impact(&r, "B");
    assert!(b.p_value.as_ref().is_some_and(|p| p.significant && (p.raw - 0.0014400026679223148).abs() < 1e-12));
    assert!((b.impact_ratio.value().and_then(|r| r.upper).expect("upper") - 0.906).abs() < 1e-3);
    assert_eq!(b.verdict, Verdict::PossibleAdverseImpact);
    assert!(b.reason.contains("range reaches back over the line"), "{}", b.reason);
}

#[test]
fn below_the_line_without_power_is_not_enough_evidence() {
    // A: 25 of 50, B: 19 of 50: ratio 0.76 < 0.8 but p = 0.314 (scipy). A test
    // of 50 against 50 finds a true ratio of 0.8 (40% against 50%) rarely.
    let r = report(&[("A", 50, 25), ("B", 50, 19)], Reference::Largest);
    let b = impact(&r, "B");
    assert!(b.p_value.as_ref().is_some_and(|p| !p.significant && (p.raw - 0.3138258792957574).abs() < 1e-12));
    let power = b.power_at_threshold.expect("power at the line");
    assert!(power > 0.0 && power < 0.2, "{power}");
    assert_eq!(b.verdict, Verdict::InsufficientEvidence);
    assert_eq!(b.threshold_changes_with, Some(1));
    assert_eq!(b.shortfall_to_threshold, Some(1));
}

#[test]
fn a_significant_gap_within_the_line_is_a_gap_to_examine() {
    // A: 5000 of 10000 (50%), B: 4300 of 10000 (43%): ratio 0.86 ≥ 0.8 but
    // below the 0.9 floor, p tiny: 7.0 points, 700 people short of A's rate.
    let r = report(&[("A", 10000, 5000), ("B", 10000, 4300)], Reference::Group("A".into()));
    let b = impact(&r, "B");
    assert_eq!(b.verdict, Verdict::GapWithinThreshold);
    assert!(b.verdict.is_finding());
    assert!(b.reason.contains("7.0 percentage points, or 700 people"), "{}", b.reason);
    // 4700 of 10000: ratio 0.94, p = 2.3e-5: significant, but above the floor.
    let r = report(&[("A", 10000, 5000), ("B", 10000, 4700)], Reference::Group("A".into()));
    let b = impact(&r, "B");
    assert_eq!(b.verdict, Verdict::NoAdverseImpactIndicated);
    assert!(b.reason.contains("below the practical floor"), "{}", b.reason);
    // The floor is a setting: at 0.95, the same gap is one to examine.
    let r = report_with(&[("A", 10000, 5000), ("B", 10000, 4700)], |c| c.practical_ratio = 0.95);
    assert_eq!(impact(&r, "B").verdict, Verdict::GapWithinThreshold);
}

#[test]
fn no_finding_says_what_the_test_applied_could_detect() {
    // A: 20 of 40, B: 19 of 40: ratio 0.95, one test at α = 0.05. The exact
    // Fisher gap detectable with 80% power is 31.5 points (fixture
    // tests/fixtures/power: 0.31494), wider than the normal approximation's 29.
    let r = report(&[("A", 40, 20), ("B", 40, 19)], Reference::Largest);
    let b = impact(&r, "B");
    assert_eq!(b.verdict, Verdict::NoAdverseImpactIndicated);
    let gap = b.detectable.as_ref().and_then(|d| d.value()).and_then(|d| d.decrease).expect("gap");
    assert!((gap - 0.31493925594759276).abs() < 1e-6, "{gap}");
    assert!(b.reason.contains("only a gap of 31.5 percentage points or more"), "{}", b.reason);
}

#[test]
fn too_few_and_unwinnable_tests_are_left_out_of_the_family() {
    // C has 12 rows (< 30): too few to judge. D: 0 of 30 against A's 30 of 300
    // could at best reach p = 0.0916, so no outcome could be a finding.
    let r = report(&[("A", 300, 30), ("B", 100, 2), ("C", 12, 0), ("D", 30, 0)], Reference::Largest);
    let c = impact(&r, "C");
    assert_eq!(c.verdict, Verdict::InsufficientData);
    assert!(c.reason.starts_with("Too few to judge: only 12 people"), "{}", c.reason);
    let d = impact(&r, "D");
    assert_eq!(d.verdict, Verdict::InsufficientData);
    assert!((d.min_achievable_p.expect("min p") - 0.0915768900596637).abs() < 1e-12);
    assert!(d.reason.contains("no outcome in a group of this size could be statistically significant"), "{}", d.reason);
    let family = r.evidence.families.iter().find(|f| f.name == "verdicts: g").expect("family");
    assert_eq!((family.tests, family.left_out), (1, 1), "B only; D left out, C below min_group");
    assert_eq!(impact(&r, "B").family, "verdicts: g");
}

#[test]
fn harmful_decisions_are_judged_on_the_harm_ratio_too() {
    // Flagged: A 93 of 1000 (9.3%), B 267 of 1000 (26.7%): 2.87 times as often.
    // Not flagged: 73.3% against 90.7%, impact ratio 0.808, above 0.8. The
    // four-fifths figure alone would pass B; the harm ratio flags it.
    let r = harmful(&[("A", 1000, 93), ("B", 1000, 267)]);
    let b = impact(&r, "B");
    assert_eq!(b.crossed, vec!["harm_ratio"]);
    let harm = b.harm_ratio.as_ref().and_then(|h| h.value()).expect("harm ratio");
    assert!((harm.ratio.finite().expect("finite") - 267.0 / 93.0).abs() < 1e-12);
    assert!(harm.lower > 1.25);
    assert_eq!(b.verdict, Verdict::AdverseImpactIndicated, "{}", b.reason);
    assert!(b.reason.contains("26.7% given the decision against 9.3% for A: 2.87 times as often"), "{}", b.reason);
    assert!(b.reason.contains("impact ratio 0.81"), "{}", b.reason);
    let ff = &r.attributes[0].four_fifths;
    let row = ff.groups.iter().find(|g| g.group == "B").expect("row");
    assert_eq!((row.below_threshold, row.above_harm_threshold), (Some(false), Some(true)));
    // Flagged 93 → 116 of 1000 against A's 93: ratio 1.247 is inside 1.25, 117 is 1.258 outside.
    // 1000 − 116 = 884 not flagged, so 151 more people would need not to be flagged.
    assert_eq!(b.shortfall_to_threshold, Some(151));
    // A beneficial decision has no harm ratio.
    let r = report(&[("A", 1000, 93), ("B", 1000, 267)], Reference::Largest);
    assert!(impact(&r, "B").harm_ratio.is_none());
}

#[test]
fn the_harm_ratio_line_is_a_setting() {
    // 120 of 1000 against 93 of 1000: 1.29 times as often, p = 0.057 (not significant).
    let r = harmful(&[("A", 1000, 93), ("B", 1000, 120)]);
    assert_eq!(impact(&r, "B").crossed, vec!["harm_ratio"]);
    let r = report_with(&[("A", 1000, 93), ("B", 1000, 120)], |c| {
        c.outcome = Direction::Harmful;
        c.harm_ratio_threshold = 1.5;
    });
    assert!(impact(&r, "B").crossed.is_empty());
    assert_eq!(r.attributes[0].four_fifths.harm_threshold, Some(1.5));
}

#[test]
fn with_the_most_favoured_group_every_pair_is_tested() {
    // Four groups of 100 or more: 6 pairs. E (12 rows) cannot set the bar.
    let groups = [("A", 100, 50), ("B", 200, 60), ("C", 150, 60), ("D", 100, 45), ("E", 12, 12)];
    let r = report(&groups, Reference::MostFavoured);
    assert_eq!(r.attributes[0].reference.group.as_deref(), Some("A"));
    let family = r.evidence.families.iter().find(|f| f.name == "verdicts: g").expect("family");
    assert_eq!(family.tests, 6);
    assert!(family.description.contains("every pair"), "{}", family.description);
    // B against A: 30% against 50%, raw p from Fisher, adjusted among all 6.
    let b = impact(&r, "B");
    assert_eq!(b.compared_with, "A");
    let p = b.p_value.as_ref().expect("p");
    assert!(p.adjusted >= p.raw * 3.0 - 1e-15, "Holm over 6 tests multiplies the smallest p by 6: {p:?}");
    // The same table against a fixed reference has a family of 3.
    let r = report(&groups, Reference::Group("A".into()));
    assert_eq!(r.evidence.families.iter().find(|f| f.name == "verdicts: g").map(|f| f.tests), Some(3));
}

#[test]
fn against_everyone_else_each_group_is_tested_against_the_rest() {
    // A 800 of 1000, B 20 of 100, C 50 of 100: B against everyone else is
    // 20/100 against 850/1100 (not against the total, which contains B).
    let r = report(&[("A", 1000, 800), ("B", 100, 20), ("C", 100, 50)], Reference::Overall);
    let b = impact(&r, "B");
    assert_eq!(b.compared_with, "everyone else");
    assert_eq!((b.comparison_decisions.count, b.comparison_decisions.of), (850, 1100));
    let expected = biasaudit::stats::fisher_exact([[20, 80], [850, 250]]).expect("fisher").p_value;
    assert_eq!(b.p_value.as_ref().map(|p| p.raw), Some(expected));
    // With two groups, each against the other is one comparison, counted once.
    let r = report(&[("A", 1000, 800), ("B", 100, 20)], Reference::Overall);
    assert_eq!(r.evidence.families.iter().find(|f| f.name == "verdicts: g").map(|f| f.tests), Some(1));
    assert_eq!(impact(&r, "A").p_value.as_ref().map(|p| p.raw), impact(&r, "B").p_value.as_ref().map(|p| p.raw));
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
    assert_eq!(r.evidence.families.iter().find(|f| f.name == "rates: g").map(|f| f.tests), Some(1));
}

#[test]
fn adding_an_attribute_does_not_change_another_attributes_verdicts() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/recruitment.csv");
    let bytes = std::fs::read(examples).expect("recruitment.csv");
    let config = |groups: &[&str], intersections: &[&[&str]]| {
        let mut c = AuditConfig::new(
            groups.iter().map(|g| g.to_string()).collect(),
            OutcomeColumn { column: "shortlisted".into(), positive: vec!["yes".into()], ..Default::default() },
        );
        c.intersections = intersections.iter().map(|i| i.iter().map(|s| s.to_string()).collect()).collect();
        c
    };
    let alone = audit_bytes(config(&["ethnicity"], &[]), &bytes).expect("alone");
    let many = audit_bytes(
        config(&["ethnicity", "sex", "age_band", "disability"], &[&["ethnicity", "sex"], &["age_band", "sex"]]),
        &bytes,
    )
    .expect("many");
    let verdicts = |r: &Report| serde_json::to_value(&r.attributes[0].groups).expect("json");
    assert_eq!(verdicts(&alone), verdicts(&many));
    // Intersections have their own exploratory families.
    let exploratory: Vec<&str> =
        many.evidence.families.iter().filter(|f| f.exploratory).map(|f| f.name.as_str()).collect();
    assert_eq!(exploratory.len(), 4, "{exploratory:?}");
    assert!(exploratory.iter().all(|n| n.ends_with("(exploratory)")));
}

#[test]
fn with_weights_the_verdicts_compare_with_the_group_the_table_shows() {
    // Rows: A 60% selected, B 50%; weights make B the larger group.
    let mut csv = String::from("g,d,w\n");
    for i in 0..100 {
        csv.push_str(&format!("A,{},1\n", u8::from(i < 60)));
        csv.push_str(&format!("B,{},{}\n", u8::from(i < 50), if i < 50 { 5 } else { 1 }));
    }
    let config: AuditConfig =
        serde_json::from_str(r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"weight":"w"}"#)
            .expect("config");
    let r = audit_bytes(config, csv.as_bytes()).expect("report");
    // B weighs 300 against A's 100: it is the largest group, in the table and the verdicts.
    assert_eq!(r.attributes[0].four_fifths.comparison_group.as_deref(), Some("B"));
    assert_eq!(impact(&r, "A").compared_with, "B");
    // The verdict's test uses rows: 60 of 100 against 50 of 100.
    let a = impact(&r, "A");
    assert_eq!((a.group_decisions.count, a.comparison_decisions.count), (60, 50));
}

#[test]
fn a_pooled_odds_ratio_over_unlike_strata_carries_a_caveat() {
    // Stratum S1: B 90 of 100 selected against A's 10 of 100 (odds ratio
    // 90·90 / (10·10) = 81); S2 the reverse (1/81). Pooled, the strata cancel.
    let mut csv = String::from("g,d,s\n");
    for (stratum, b, a) in [("S1", 90, 10), ("S2", 10, 90)] {
        for i in 0..100 {
            csv.push_str(&format!("B,{},{stratum}\nA,{},{stratum}\n", u8::from(i < b), u8::from(i < a)));
        }
    }
    let config: AuditConfig = serde_json::from_str(
        r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"strata":"s","reference":{"group":"A"}}"#,
    )
    .expect("config");
    let r = audit_bytes(config, csv.as_bytes()).expect("report");
    let st = &r.attributes[0].stratified["B"];
    assert!(st.caveat.as_deref().is_some_and(|c| c.starts_with("the odds ratio differs between strata")), "{st:?}");
    let ors: Vec<Option<f64>> = st.by_stratum.iter().map(|s| s.odds_ratio.finite()).collect();
    assert_eq!(ors, vec![Some(81.0), Some(1.0 / 81.0)]);
}

#[test]
fn calibration_bins_have_intervals_and_what_ifs_say_they_are_in_sample() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/fraud_flags.csv");
    let bytes = std::fs::read(examples).expect("fraud_flags.csv");
    let config: AuditConfig = serde_json::from_str(
        r#"{"groups":["nationality"],"decision":{"column":"flagged","positive":["1"]},"outcome":"harmful",
            "label":{"column":"overpayment_found","positive":["1"]},"score":"risk_score"}"#,
    )
    .expect("config");
    let r = audit_bytes(config, &bytes).expect("report");
    let scores = r.attributes[0].scores.as_ref().expect("scores");
    let bins = scores.groups[0].calibration.value().expect("calibration");
    for bin in bins {
        let want = biasaudit::stats::wilson_interval(bin.positives, bin.n, 0.95).expect("wilson");
        assert_eq!(bin.observed_interval, Some([want.lower, want.upper]), "{bin:?}");
    }
    let single = scores.single_threshold.value().expect("what-if");
    assert!(single.note.contains("fitted to this same data (in-sample)"), "{}", single.note);
}

#[test]
fn at_a_glance_names_the_largest_disparities_and_never_a_suppressed_group() {
    // B is flagged 2.87 times as often as A; C has 5 people (too few to judge,
    // and below min_cell, so the publication view suppresses it).
    let r = harmful(&[("A", 1000, 93), ("B", 1000, 267), ("C", 5, 5)]);
    assert_eq!(r.at_a_glance.len(), 2, "{:?}", r.at_a_glance);
    let first = &r.at_a_glance[0];
    assert!(
        first.starts_with(
            "B (g) were given the decision 26.7% of the time against 9.3% for A: 2.87 times as often (range "
        ),
        "{first}"
    );
    assert!(first.ends_with(". Adverse impact indicated."), "{first}");
    assert_eq!(
        r.at_a_glance[1],
        "1 group could not be judged either way (too few people, or too little evidence): C (g)."
    );
    let published = report_with(&[("A", 1000, 93), ("B", 1000, 267), ("C", 5, 5)], |c| {
        c.outcome = Direction::Harmful;
        c.publication = true;
    });
    assert!(published.at_a_glance.iter().all(|line| !line.contains("C (g)")), "{:?}", published.at_a_glance);
    // Nothing flagged: the sentence says so, and that it is no proof.
    let r = report(&[("A", 1000, 500), ("B", 1000, 495)], Reference::Largest);
    assert_eq!(
        r.at_a_glance,
        vec!["No group crossed the lines with enough evidence to flag it. That is not proof of fairness."]
    );
}

#[test]
fn a_most_favoured_family_with_too_many_pairs_is_counted_not_tested() {
    // 210 groups of 30: G000 all selected, the rest half. 209 judged groups
    // give 21,736 pairs besides the most favoured: more than the cap, so the
    // family is Bonferroni over 209 + 21,736 = 21,945 tests, without testing the pairs.
    let mut csv = String::from("g,d\n");
    for g in 0..210 {
        for i in 0..30 {
            csv.push_str(&format!("G{g:03},{}\n", u8::from(g == 0 || i < 15)));
        }
    }
    let config: AuditConfig = serde_json::from_str(
        r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"reference":"most_favoured"}"#,
    )
    .expect("config");
    let r = audit_bytes(config, csv.as_bytes()).expect("report");
    let family = r.evidence.families.iter().find(|f| f.name == "verdicts: g").expect("family");
    let m = 209 + 209 * 208 / 2;
    assert!(m > biasaudit::evidence::MAX_PAIRS_TESTED);
    assert_eq!(family.tests, m);
    assert!(family.description.contains("Bonferroni"), "{}", family.description);
    assert!((family.interval_confidence - (1.0 - 0.05 / m as f64)).abs() < 1e-15);
    let a = impact(&r, "G001");
    let p = a.p_value.as_ref().expect("tested");
    assert_eq!(p.adjusted, (p.raw * m as f64).min(1.0));
    // Significant exactly when the Bonferroni-adjusted p is below α = 0.05.
    assert_eq!(p.significant, p.raw * (m as f64) < 0.05);
}
