//! Report → publication view: what statistical offices do before publishing.
//! Groups with fewer rows than `min_cell` are suppressed, and so is any
//! group from which a suppressed one could be recovered by subtraction from a
//! published total (complementary suppression). Suppressed groups are removed
//! from the report entirely, so no field can leak them.

use crate::metrics::Value;
use crate::report::{AttributeReport, Report};
use crate::tally::names::split_parts;
use std::collections::{BTreeMap, BTreeSet};

/// The groups to suppress in one attribute.
pub fn suppressed_groups(a: &AttributeReport) -> BTreeSet<String> {
    let protected: BTreeSet<&str> = a.reference.group.as_deref().into_iter().collect();
    let sizes: BTreeMap<&str, u64> = a.groups.iter().map(|g| (g.group.as_str(), g.counts.n)).collect();
    let mut hidden: BTreeSet<String> = a.groups.iter().filter(|g| g.below_min_cell).map(|g| g.group.clone()).collect();
    if hidden.is_empty() {
        return hidden;
    }
    // Lines: sets of groups whose total is published. The attribute's own
    // groups add up to its overall row; in an intersection, the cells that
    // differ in one part add up to a group of the other attributes.
    let mut lines: Vec<Vec<&str>> = vec![sizes.keys().copied().collect()];
    if a.columns.len() > 1 {
        for part in 0..a.columns.len() {
            let mut by_rest: BTreeMap<Vec<String>, Vec<&str>> = BTreeMap::new();
            for name in sizes.keys() {
                let mut parts = split_parts(name);
                if part < parts.len() {
                    parts.remove(part);
                }
                by_rest.entry(parts).or_default().push(name);
            }
            lines.extend(by_rest.into_values());
        }
    }
    loop {
        let mut changed = false;
        for line in &lines {
            let hidden_here = line.iter().filter(|g| hidden.contains(**g)).count();
            if hidden_here != 1 || line.len() < 2 {
                continue;
            }
            // Hide the smallest other group, sparing the comparison groups if possible.
            let candidates = line.iter().filter(|g| !hidden.contains(**g));
            let pick = candidates
                .clone()
                .filter(|g| !protected.contains(**g))
                .min_by_key(|g| (sizes.get(**g), **g))
                .or_else(|| candidates.min_by_key(|g| (sizes.get(**g), **g)));
            if let Some(g) = pick {
                hidden.insert((*g).to_string());
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// Removes hidden groups from the per-group lists of the indices and score
/// analyses, and blanks a result that names or depends on one of them.
fn hide_in_indices_and_scores(a: &mut AttributeReport, hidden: &BTreeSet<String>, why: &str) {
    use crate::evidence::Outcome;
    let i = &mut a.indices;
    if let Some(Outcome::Value(ge)) = i.generalized_entropy.as_mut() {
        ge.groups.retain(|g| !hidden.contains(&g.name));
    }
    if let Outcome::Value(d) = &i.differential_fairness {
        let pair = &d.most_disparate;
        if hidden.contains(&pair.higher) || hidden.contains(&pair.lower) {
            i.differential_fairness = Outcome::Undefined { undefined: why.to_string() };
        }
    }
    if let Outcome::Value(d) = &mut i.differential_fairness {
        d.rates.retain(|r| !hidden.contains(&r.name));
    }
    if let Outcome::Value(d) = &mut i.demographic_disparity {
        d.groups.retain(|g| !hidden.contains(&g.name));
    }
    if let Some(Outcome::Value(c)) = i.conditional_demographic_disparity.as_mut() {
        c.groups.retain(|g| !hidden.contains(&g.group));
    }
    if let Some(s) = a.scores.as_mut() {
        s.groups.retain(|g| !hidden.contains(&g.group));
        let mut highest_hidden = false;
        if let Outcome::Value(r) = &mut s.scoring_rate {
            r.groups.retain(|g| !hidden.contains(&g.group));
            highest_hidden = r.highest_group.as_ref().is_some_and(|g| hidden.contains(g));
        }
        if highest_hidden {
            s.scoring_rate = Outcome::Undefined { undefined: why.to_string() };
        }
        if let Outcome::Value(t) = &mut s.single_threshold {
            t.groups.retain(|g| !hidden.contains(&g.group));
        }
        // Per-group thresholds are chosen jointly: any hidden group taints them all.
        for outcome in s.group_thresholds.values_mut() {
            if let Outcome::Value(g) = outcome {
                if g.groups.iter().any(|o| hidden.contains(&o.group)) {
                    *outcome = Outcome::Undefined { undefined: why.to_string() };
                }
            }
        }
    }
}

/// The report with small groups (and their complements) removed.
pub fn publication_view(mut report: Report) -> Report {
    let why = "suppressed in the publication view".to_string();
    let mut any = false;
    for a in &mut report.attributes {
        // Cells within strata are finer than the groups: none are published.
        if !a.by_stratum.is_empty() {
            a.by_stratum.clear();
            report.notes.push(format!("{}: per-stratum figures are left out of the publication view.", a.column));
        }
        let hidden = suppressed_groups(a);
        if hidden.is_empty() {
            continue;
        }
        any = true;
        a.groups.retain(|g| !hidden.contains(&g.group));
        a.four_fifths.groups.retain(|g| !hidden.contains(&g.group));
        a.stratified.retain(|name, _| !hidden.contains(name));
        a.summary.groups_left_out.retain(|l| !hidden.contains(&l.group));
        let s = &mut a.summary;
        for c in [
            &mut s.demographic_parity_difference,
            &mut s.demographic_parity_ratio,
            &mut s.demographic_parity_difference_to_overall,
            &mut s.demographic_parity_ratio_to_overall,
            &mut s.equalized_odds_difference,
            &mut s.equalized_odds_ratio,
            &mut s.equal_opportunity_difference,
            &mut s.equal_opportunity_ratio,
        ] {
            if c.groups.iter().any(|g| hidden.contains(g)) {
                c.value = Value::Undefined(why.clone());
                c.groups.clear();
            }
        }
        // A hidden comparison group could be worked out from the others' ratios and differences.
        if a.reference.group.as_ref().is_some_and(|g| hidden.contains(g)) {
            a.reference.group = None;
            a.reference.note = Some("the comparison group is suppressed in the publication view".into());
            a.four_fifths.comparison_group = None;
            for row in &mut a.four_fifths.groups {
                row.impact_ratio = Value::Undefined(why.clone());
                row.harm_ratio = Value::Undefined(why.clone());
                row.below_threshold = None;
                row.above_harm_threshold = None;
            }
            for g in &mut a.groups {
                g.disparity = None;
                if let Some(e) = g.evidence.as_mut() {
                    e.vs_reference.clear();
                    e.adverse_impact = None;
                }
            }
            a.stratified.clear();
        }
        hide_in_indices_and_scores(a, &hidden, &why);
        a.suppressed_groups = hidden.into_iter().collect();
    }
    report.publication = Some(crate::report::Publication { min_cell: report.config.min_cell });
    // Said again from what is left, so no sentence names a suppressed group.
    report.at_a_glance = crate::report::glance::glance(&report.attributes, report.config.outcome);
    if any {
        report.notes.push(format!(
            "Publication view: groups with fewer than {} rows are left out, together with any group from which their figures could be worked out by subtraction.",
            report.config.min_cell
        ));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{audit_bytes, AuditConfig};

    fn report(csv: &str, intersect: bool) -> Report {
        let mut config: AuditConfig =
            serde_json::from_str(r#"{"groups":["a","b"],"decision":{"column":"d","positive":["1"]},"min_cell":5}"#)
                .expect("config");
        if intersect {
            config.intersections = vec![vec!["a".into(), "b".into()]];
        }
        audit_bytes(config, csv.as_bytes()).expect("report")
    }

    fn rows(spec: &[(&str, &str, usize)]) -> String {
        let mut csv = String::from("a,b,d\n");
        for &(a, b, n) in spec {
            for i in 0..n {
                csv.push_str(&format!("{a},{b},{}\n", i % 2));
            }
        }
        csv
    }

    #[test]
    fn one_small_group_takes_the_next_smallest_with_it() {
        // a: X 3 (small), Y 20, Z 40, W 60. The largest (W) is the reference.
        let csv = rows(&[("X", "p", 3), ("Y", "p", 20), ("Z", "p", 40), ("W", "p", 60)]);
        let r = publication_view(report(&csv, false));
        let a = &r.attributes[0];
        assert_eq!(a.suppressed_groups, vec!["X".to_string(), "Y".to_string()]);
        assert_eq!(a.groups.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(), vec!["W", "Z"]);
        assert!(a.four_fifths.groups.iter().all(|g| g.group != "X" && g.group != "Y"));
        assert!(r.notes.iter().any(|n| n.starts_with("Publication view")));
        // No hidden group survives anywhere in the JSON.
        let json = serde_json::to_string(&r).expect("json");
        for hidden in ["\"X\"", "\"Y\""] {
            let listed = json.matches(hidden).count();
            // Only in suppressed_groups.
            assert_eq!(listed, 1, "{hidden} appears {listed} times");
        }
    }

    #[test]
    fn intersection_cells_are_protected_along_each_line() {
        // Cells: X|p 2 (small), X|q 30, Y|p 40, Y|q 50.
        // Line a = X: {X|p, X|q} → X|q hidden too (X's total is published in attribute a).
        // Line b = p: {X|p, Y|p} → Y|p hidden too. Then Y|q is alone in its lines → hidden.
        let csv = rows(&[("X", "p", 2), ("X", "q", 30), ("Y", "p", 40), ("Y", "q", 50)]);
        let r = publication_view(report(&csv, true));
        let cells = &r.attributes[2];
        assert_eq!(cells.column, "a|b");
        assert_eq!(cells.suppressed_groups, vec!["X|p", "X|q", "Y|p", "Y|q"]);
        assert!(cells.groups.is_empty());
        // The plain attributes have no small groups and are untouched.
        assert!(r.attributes[0].suppressed_groups.is_empty());
    }

    #[test]
    fn nothing_small_means_nothing_changes_but_the_marker() {
        let csv = rows(&[("X", "p", 20), ("Y", "q", 20)]);
        let before = report(&csv, false);
        let after = publication_view(before.clone());
        assert_eq!(after.attributes[0].groups.len(), before.attributes[0].groups.len());
        assert_eq!(after.publication.map(|p| p.min_cell), Some(5));
    }
}
