//! Tallies → the publication view: what statistical offices do before
//! publishing a table. Which groups to leave out is decided jointly over
//! every attribute, intersection and total ([`crate::report::disclosure`]);
//! the left-out groups are then removed from the tallies and every figure,
//! test and index is computed again without them, so no field can leak them.
//! What is finer than a group (per-stratum cells, ROC curves, small
//! calibration bins) is left out.

use crate::config::{AuditConfig, Reference};
use crate::error::Result;
use crate::evidence::Outcome;
use crate::report::{disclosure, AttributeReport, Publication};
use crate::tally::{AttributeTally, TallySet};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// Why a figure is left out of the publication view.
pub const LEFT_OUT: &str = "left out of the publication view";

fn left_out<T>() -> Outcome<T> {
    Outcome::Undefined { undefined: LEFT_OUT.to_string() }
}

/// The groups left out of each attribute, in the attributes' order.
pub type Suppressed = Vec<BTreeSet<String>>;

/// The binned tallies without the groups to suppress (copied only where a
/// group is left out), and those groups.
pub fn protect<'a>(
    config: &AuditConfig,
    tallies: &TallySet,
    binned: Vec<Cow<'a, AttributeTally>>,
) -> Result<(Vec<Cow<'a, AttributeTally>>, Suppressed)> {
    let joint = tallies.joint.as_ref().map(|j| crate::binning::bin_attribute(j, &config.bins)).transpose()?;
    let mut protected: BTreeSet<String> = match &config.reference {
        Reference::Group(name) => [name.clone()].into(),
        _ => BTreeSet::new(),
    };
    protected.extend(config.references.values().cloned());
    let hidden = disclosure::suppressed(
        &binned,
        joint.as_deref(),
        tallies.joint_overflow,
        config.min_cell,
        config.label.is_some(),
        &protected,
    )?;
    let kept = binned
        .into_iter()
        .zip(&hidden)
        .map(|(mut a, out)| {
            if out.is_empty() {
                return a;
            }
            let kept = a.to_mut();
            kept.groups.retain(|name, _| !out.contains(name));
            kept.scores.retain(|name, _| !out.contains(name));
            for groups in kept.strata.values_mut() {
                groups.retain(|name, _| !out.contains(name));
            }
            kept.strata.retain(|_, groups| !groups.is_empty());
            a
        })
        .collect();
    Ok((kept, hidden))
}

/// Marks the attributes built from protected tallies, leaves out what is
/// finer than a group, and says so in `notes`.
pub fn finish(
    attributes: &mut [AttributeReport],
    suppressed: Vec<BTreeSet<String>>,
    config: &AuditConfig,
    notes: &mut Vec<String>,
) -> Publication {
    let mut any = false;
    for (a, hidden) in attributes.iter_mut().zip(suppressed) {
        if config.strata.is_some() {
            a.by_stratum.clear();
            notes.push(format!(
                "{}: per-stratum figures are left out of the publication view; the stratified tests use the published groups only.",
                a.column
            ));
        }
        for s in a.stratified.values_mut() {
            s.by_stratum.clear();
        }
        // Its per-stratum parts give each group's counts in each stratum.
        if let Some(cdd) = a.indices.conditional_demographic_disparity.as_mut() {
            *cdd = left_out();
        }
        if let Some(scores) = a.scores.as_mut() {
            for g in &mut scores.groups {
                g.roc = left_out();
                let small_bin = |bins: &Vec<crate::scores::CalibrationBin>| {
                    bins.iter().any(|b| b.n < config.min_cell || b.positives == 0 || b.positives == b.n)
                };
                if matches!(&g.calibration, Outcome::Value(bins) if small_bin(bins)) {
                    g.calibration = left_out();
                }
            }
        }
        if let Reference::Group(name) = config.reference_for(&a.column) {
            if hidden.contains(&name) {
                a.reference.note = Some("the comparison group is suppressed in the publication view".into());
            }
        }
        any |= !hidden.is_empty();
        a.suppressed_groups = hidden.into_iter().collect();
    }
    if any {
        notes.push(format!(
            "Publication view: left out are groups with fewer than {min} rows; groups of fewer than {twice} in which all or none got the decision (or the label); and any group that could be worked out from the published groups and totals. Every figure is computed without them.",
            min = config.min_cell,
            twice = config.min_cell.saturating_mul(2)
        ));
    }
    Publication { min_cell: config.min_cell, all_or_none_below: config.min_cell.saturating_mul(2) }
}

#[cfg(test)]
mod tests {
    use crate::{audit_bytes, AuditConfig, Report};

    fn report(csv: &str, intersect: bool, publication: bool) -> Report {
        let mut config: AuditConfig =
            serde_json::from_str(r#"{"groups":["a","b"],"decision":{"column":"d","positive":["1"]},"min_cell":5}"#)
                .expect("config");
        if intersect {
            config.intersections = vec![vec!["a".into(), "b".into()]];
        }
        config.publication = publication;
        audit_bytes(config, csv.as_bytes()).expect("report")
    }

    fn published(csv: &str, intersect: bool) -> Report {
        report(csv, intersect, true)
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
        let r = published(&csv, false);
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
        let r = published(&csv, true);
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
        let before = report(&csv, false, false);
        let after = published(&csv, false);
        assert_eq!(after.attributes[0].groups.len(), before.attributes[0].groups.len());
        assert_eq!(after.publication.map(|p| p.min_cell), Some(5));
    }
}
