//! The publication view cannot be undone: an attacker who knows every
//! published group count (of every attribute and intersection) and the total,
//! and even which combinations of the group columns are empty, cannot work
//! out any suppressed group's count by linear algebra. The attack here is
//! exact (fraction-free elimination over the integers), independent of the
//! engine's own check (modulo a prime).

use crate::common;
use biasaudit::{audit_bytes, AuditConfig, Report};
use proptest::prelude::*;

/// Rank of 0/1 rows over the rationals (Bareiss elimination, exact in i128).
fn rank(rows: &[Vec<i128>]) -> usize {
    let mut m: Vec<Vec<i128>> = rows.to_vec();
    let cols = m.first().map_or(0, Vec::len);
    let (mut rank, mut previous) = (0, 1i128);
    for col in 0..cols {
        let Some(p) = (rank..m.len()).find(|&r| m[r][col] != 0) else { continue };
        m.swap(rank, p);
        for r in rank + 1..m.len() {
            for c in col + 1..cols {
                m[r][c] = (m[rank][col] * m[r][c] - m[r][col] * m[rank][c]) / previous;
            }
            m[r][col] = 0;
        }
        previous = m[rank][col];
        rank += 1;
    }
    rank
}

/// The base cells (non-empty combinations of every group column) and, per
/// attribute group, the cells it sums.
struct Table {
    columns: Vec<String>,
    cells: Vec<Vec<String>>,
}

impl Table {
    fn vector(&self, attribute_columns: &[String], group: &str) -> Vec<i128> {
        let parts: Vec<&str> = if attribute_columns.len() == 1 { vec![group] } else { group.split('|').collect() };
        self.cells
            .iter()
            .map(|cell| {
                let inside = attribute_columns.iter().zip(&parts).all(|(column, value)| {
                    let i = self.columns.iter().position(|c| c == column).expect("column");
                    cell[i] == *value
                });
                i128::from(inside)
            })
            .collect()
    }
}

/// Each suppressed group that the published counts determine (none, when protected).
fn recoverable(table: &Table, report: &Report) -> Vec<String> {
    let mut published: Vec<Vec<i128>> = vec![vec![1; table.cells.len()]];
    for a in &report.attributes {
        for g in &a.groups {
            published.push(table.vector(&a.columns, &g.group));
        }
    }
    let base = rank(&published);
    let mut found = Vec::new();
    for a in &report.attributes {
        for h in &a.suppressed_groups {
            let mut with = published.clone();
            with.push(table.vector(&a.columns, h));
            if rank(&with) == base {
                found.push(format!("{}: {h}", a.column));
            }
        }
    }
    found
}

/// A file of `(values per column, rows, of which selected)` cells.
fn csv(columns: &[&str], cells: &[(Vec<String>, u64, u64)]) -> String {
    let mut out = columns.join(",") + ",d\n";
    for (values, n, selected) in cells {
        for i in 0..*n {
            out.push_str(&format!("{},{}\n", values.join(","), u8::from(i < *selected)));
        }
    }
    out
}

/// The rules every published group obeys: not small, not all-or-none while smallish.
fn assert_no_sensitive_group(report: &Report) {
    let min = report.config.min_cell;
    for a in &report.attributes {
        for g in &a.groups {
            let (n, s) = (g.counts.n, g.counts.selected);
            assert!(n >= min, "{}: {} has {n} rows", a.column, g.group);
            assert!(n >= 2 * min || (s > 0 && s < n), "{}: {} is {s} of {n}", a.column, g.group);
        }
    }
}

fn config(groups: &[&str], intersections: &[[&str; 2]], min_cell: u64) -> AuditConfig {
    let mut c: AuditConfig =
        serde_json::from_str(r#"{"groups":[],"decision":{"column":"d","positive":["1"]}}"#).expect("config");
    c.groups = groups.iter().map(|g| g.to_string()).collect();
    c.intersections = intersections.iter().map(|i| i.iter().map(|c| c.to_string()).collect()).collect();
    c.min_cell = min_cell;
    c.publication = true;
    c
}

#[test]
fn a_group_hidden_in_one_attribute_is_not_rebuilt_from_another() {
    // The issue's case in miniature: sex F has 4 rows; race × sex is published.
    // Per attribute, F would be hidden with M, but F = Σ race × F cells, and
    // those cells are all ≥ 5 except X|F. Jointly, enough goes that F stays hidden.
    let cells: Vec<(Vec<String>, u64, u64)> =
        [("X", "F", 2, 1), ("X", "M", 40, 20), ("Y", "F", 2, 1), ("Y", "M", 50, 20), ("Z", "M", 60, 30)]
            .iter()
            .map(|&(r, s, n, k)| (vec![r.to_string(), s.to_string()], n, k))
            .collect();
    let report = audit_bytes(config(&["race", "sex"], &[["race", "sex"]], 5), csv(&["race", "sex"], &cells).as_bytes())
        .expect("report");
    let table =
        Table { columns: vec!["race".into(), "sex".into()], cells: cells.iter().map(|c| c.0.clone()).collect() };
    assert_eq!(report.attributes[1].suppressed_groups, vec!["F", "M"]);
    assert!(recoverable(&table, &report).is_empty(), "{:?}", recoverable(&table, &report));
    assert_no_sensitive_group(&report);
    // Race is published whole, and its figures are those of every row.
    assert!(report.attributes[0].suppressed_groups.is_empty());
    assert_eq!(report.attributes[0].overall.counts.n, 154);
}

#[test]
fn a_small_group_all_flagged_is_suppressed() {
    // B: 12 rows, all flagged (min_cell 10, so 12 < 20 is smallish): each member's outcome would be known.
    let cells: Vec<(Vec<String>, u64, u64)> =
        vec![(vec!["A".into()], 100, 30), (vec!["B".into()], 12, 12), (vec!["C".into()], 80, 20)];
    let report = audit_bytes(config(&["g"], &[], 10), csv(&["g"], &cells).as_bytes()).expect("report");
    // B goes, and C with it, or B would be the total less A and C.
    assert_eq!(report.attributes[0].suppressed_groups, vec!["B", "C"]);
    assert_eq!(report.publication.as_ref().map(|p| p.all_or_none_below), Some(20));
}

#[test]
fn every_figure_is_computed_without_the_suppressed_groups() {
    // One attribute: the publication view equals the audit of the published groups' rows.
    let cells: Vec<(Vec<String>, u64, u64)> = vec![
        (vec!["A".into()], 120, 30),
        (vec!["B".into()], 3, 1),
        (vec!["C".into()], 25, 5),
        (vec!["D".into()], 90, 40),
    ];
    let report = audit_bytes(config(&["g"], &[], 5), csv(&["g"], &cells).as_bytes()).expect("report");
    assert_eq!(report.attributes[0].suppressed_groups, vec!["B", "C"]);
    let mut plain = config(&["g"], &[], 5);
    plain.publication = false;
    let kept: Vec<_> = cells.iter().filter(|c| c.0[0] == "A" || c.0[0] == "D").cloned().collect();
    let direct = audit_bytes(plain, csv(&["g"], &kept).as_bytes()).expect("direct");
    let strip = |r: &Report| {
        let mut v = serde_json::to_value(&r.attributes[0]).expect("json");
        v.as_object_mut().expect("object").remove("suppressed_groups");
        v
    };
    assert_eq!(strip(&report), strip(&direct));
    // The χ² test is the published groups' (no trace of B or C in it).
    assert_eq!(
        serde_json::to_value(&report.attributes[0].chi_squared).expect("json"),
        serde_json::to_value(&direct.attributes[0].chi_squared).expect("json")
    );
}

#[test]
fn compas_race_and_sex_cannot_be_undone() {
    if common::compas_missing() {
        return;
    }
    let bytes = common::compas_bytes();
    let mut c = common::compas_config();
    c.groups = vec!["race".into(), "sex".into()];
    c.intersections = vec![vec!["race".into(), "sex".into()]];
    c.reference = biasaudit::Reference::Largest;
    c.publication = true;
    let report = audit_bytes(c.clone(), &bytes).expect("report");
    c.publication = false;
    let full = audit_bytes(c, &bytes).expect("report");
    let cells: Vec<Vec<String>> = full.attributes[2].groups.iter().map(|g| split(&g.group)).collect();
    let table = Table { columns: vec!["race".into(), "sex".into()], cells };
    let hidden: Vec<&str> =
        report.attributes.iter().flat_map(|a| a.suppressed_groups.iter().map(String::as_str)).collect();
    // Asian|Female (2) and Native American|Female (4) are small; each race's
    // other cell would be the race less it, and Other's two cells keep the sex
    // totals from giving them away. Race and sex themselves are all ≥ 10.
    assert_eq!(
        hidden,
        ["Asian|Female", "Asian|Male", "Native American|Female", "Native American|Male", "Other|Female", "Other|Male"]
    );
    assert!(recoverable(&table, &report).is_empty(), "{:?}", recoverable(&table, &report));
    assert_no_sensitive_group(&report);
    let json = serde_json::to_string(&report).expect("json");
    for a in &report.attributes {
        for h in &a.suppressed_groups {
            let quoted = format!("\"{h}\"");
            assert_eq!(json.matches(&quoted).count(), 1, "{h} appears outside suppressed_groups");
        }
    }
}

fn split(name: &str) -> Vec<String> {
    name.split('|').map(str::to_string).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_suppressed_group_is_ever_recoverable(
        sizes in prop::collection::vec(prop::sample::select(vec![0u64, 1, 2, 3, 4, 6, 9, 14, 25, 40]), 24),
        shares in prop::collection::vec(0u64..=4, 24),
        shape in 0usize..4,
        min_cell in prop::sample::select(vec![3u64, 5, 10]),
    ) {
        // Columns a (4 values) × b (3) × c (2) = 24 combinations.
        let mut cells = Vec::new();
        for (i, (&n, &share)) in sizes.iter().zip(&shares).enumerate() {
            if n == 0 {
                continue;
            }
            let values = vec![format!("a{}", i % 4), format!("b{}", (i / 4) % 3), format!("c{}", i / 12)];
            cells.push((values, n, n * share / 4));
        }
        prop_assume!(!cells.is_empty());
        let (groups, intersections): (&[&str], &[[&str; 2]]) = match shape {
            0 => (&["a", "b"], &[]),
            1 => (&["a", "b"], &[["a", "b"]]),
            2 => (&["a", "b", "c"], &[["a", "b"], ["b", "c"]]),
            _ => (&["a"], &[["a", "c"], ["b", "c"]]),
        };
        let report = audit_bytes(config(groups, intersections, min_cell), csv(&["a", "b", "c"], &cells).as_bytes())
            .expect("report");
        let table = Table { columns: vec!["a".into(), "b".into(), "c".into()], cells: cells.iter().map(|c| c.0.clone()).collect() };
        let found = recoverable(&table, &report);
        prop_assert!(found.is_empty(), "recoverable: {:?}", found);
        assert_no_sensitive_group(&report);
        // Published counts are the true counts.
        for a in &report.attributes {
            for g in &a.groups {
                let v = table.vector(&a.columns, &g.group);
                let n: u64 = cells.iter().zip(&v).filter(|(_, &x)| x == 1).map(|(c, _)| c.1).sum();
                prop_assert_eq!(g.counts.n, n);
            }
        }
    }
}

#[test]
fn nothing_finer_than_a_group_is_published_and_a_suppressed_cell_is_not_called_empty() {
    // a × b with X|p small (2 rows); strata s. Suppressed cells are not "combinations with no one".
    let mut csv = String::from("a,b,s,d\n");
    let spec =
        [("X", "p", 2), ("X", "q", 30), ("X", "r", 30), ("Y", "p", 30), ("Z", "p", 30), ("Y", "q", 30), ("Z", "r", 30)];
    for (a, b, n) in spec {
        for i in 0..n {
            csv.push_str(&format!("{a},{b},{},{}\n", if i % 3 == 0 { "north" } else { "south" }, i % 2));
        }
    }
    let mut c = config(&["a"], &[["a", "b"]], 5);
    c.strata = Some("s".into());
    let report = audit_bytes(c, csv.as_bytes()).expect("report");
    let cells = &report.attributes[1];
    assert!(cells.suppressed_groups.contains(&"X|p".to_string()), "{:?}", cells.suppressed_groups);
    let empty = cells.empty_cells.as_ref().expect("empty cells");
    // Published: X|r, Z|p, Z|r. Their values make X|p a combination of the
    // published table, but it is suppressed, not empty: nothing is listed.
    assert_eq!(cells.groups.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(), ["X|r", "Z|p", "Z|r"]);
    assert_eq!((empty.count, empty.cells.clone()), (0, vec![]));
    // Per-stratum counts are nowhere: conditional demographic disparity is left out.
    for a in &report.attributes {
        let cdd = serde_json::to_value(&a.indices.conditional_demographic_disparity).expect("json");
        assert_eq!(cdd, serde_json::json!({"undefined": "left out of the publication view"}), "{}", a.column);
        assert!(a.by_stratum.is_empty());
        assert!(a.stratified.values().all(|s| s.by_stratum.is_empty()));
    }
}

#[test]
fn a_suppressed_named_comparison_group_is_said_to_be_suppressed() {
    let cells: Vec<(Vec<String>, u64, u64)> = vec![
        (vec!["A".into()], 100, 30),
        (vec!["B".into()], 4, 2),
        (vec!["C".into()], 80, 20),
        (vec!["D".into()], 60, 20),
    ];
    let mut c = config(&["g"], &[], 10);
    c.reference = biasaudit::Reference::Group("B".into());
    let report = audit_bytes(c, csv(&["g"], &cells).as_bytes()).expect("report");
    assert_eq!(report.attributes[0].suppressed_groups, vec!["B", "D"]);
    assert!(
        report.notes.iter().any(|n| n == "g: the comparison group is suppressed in the publication view."),
        "{:?}",
        report.notes
    );
    assert!(!report.notes.iter().any(|n| n.contains("not a value of this column")), "{:?}", report.notes);
}
