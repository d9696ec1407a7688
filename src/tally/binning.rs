//! Tallies → binned tallies: a numeric attribute is counted by distinct
//! value (exact, mergeable), then grouped into labelled bins when the report
//! is built, so quantile cuts are exact without a second pass over the file.

use crate::config::Binning;
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::input::cells::parse_number;
use crate::tally::names::{is_missing_group, join_parts, split_parts, MISSING_GROUP};
use crate::tally::AttributeTally;
use std::collections::BTreeMap;

pub use crate::config::bin_label as label;

/// Whether `text` is already the label of one of these fixed bins, as a
/// counts query that bins in the database writes it (`biasaudit sql`).
fn is_label_of(text: &str, binning: &Binning) -> bool {
    let Binning::Edges(edges) = binning else { return false };
    if edges.is_empty() || !matches!(text.as_bytes().first(), Some(b'<' | b'[' | 0xE2)) {
        return false;
    }
    crate::config::bin_labels(edges).iter().any(|l| l == text)
}

/// A bin's label as a reader says it: "< 18" is "under 18", "[25, 35)" is
/// "25 to under 35", "≥ 55" is "55 and over". `None` for any other text.
pub fn spoken(label: &str) -> Option<String> {
    if let Some(v) = label.strip_prefix("< ") {
        return Some(format!("under {v}"));
    }
    if let Some(v) = label.strip_prefix("≥ ") {
        return Some(format!("{v} and over"));
    }
    let (low, high) = label.strip_prefix('[')?.strip_suffix(')')?.split_once(", ")?;
    Some(format!("{low} to under {high}"))
}

/// Quantile cut points from (value, rows) counts: the i-th is the smallest
/// value with at least i·N/k rows at or below it; duplicates collapse.
pub fn quantile_edges(values: &BTreeMap<OrderedValue, u64>, k: usize) -> Vec<f64> {
    let total: u64 = values.values().sum();
    let mut edges: Vec<f64> = Vec::new();
    for i in 1..k {
        // Rows at or below the cut must reach i·N/k: compare i·N with k·cumulative, exactly.
        let need = u128::from(total) * i as u128;
        let mut cumulative = 0u128;
        for (v, &n) in values {
            cumulative += u128::from(n);
            if cumulative * k as u128 >= need {
                // Bins include their lower cut, so the cut goes just above this value:
                // the next distinct value, if there is one.
                if let Some((next, _)) =
                    values.range((std::ops::Bound::Excluded(*v), std::ops::Bound::Unbounded)).next()
                {
                    if edges.last() != Some(&next.0) {
                        edges.push(next.0);
                    }
                }
                break;
            }
        }
    }
    edges
}

/// A finite f64 ordered for use as a map key.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct OrderedValue(pub f64);
impl Eq for OrderedValue {}
#[allow(clippy::derive_ord_xor_partial_ord)]
impl Ord for OrderedValue {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Regroups an attribute whose columns include binned ones.
/// An attribute with no binned column is returned as it is, not copied (its
/// score histograms may be large).
pub fn bin_attribute<'a>(
    attribute: &'a AttributeTally,
    bins: &BTreeMap<String, Binning>,
) -> Result<std::borrow::Cow<'a, AttributeTally>> {
    let columns = if attribute.columns.is_empty() { vec![attribute.column.clone()] } else { attribute.columns.clone() };
    let binned: Vec<Option<&Binning>> = columns.iter().map(|c| bins.get(c)).collect();
    if binned.iter().all(Option::is_none) {
        return Ok(std::borrow::Cow::Borrowed(attribute));
    }
    let parts_of = |name: &str| if columns.len() == 1 { vec![name.to_string()] } else { split_parts(name) };
    // Cut points per binned part, from that part's values over all groups.
    let mut edges: Vec<Option<Vec<f64>>> = Vec::new();
    for (p, binning) in binned.iter().enumerate() {
        let Some(binning) = binning else {
            edges.push(None);
            continue;
        };
        let mut values: BTreeMap<OrderedValue, u64> = BTreeMap::new();
        for (name, tally) in &attribute.groups {
            let parts = parts_of(name);
            let Some(part) = parts.get(p) else { continue };
            if part == MISSING_GROUP || is_label_of(part, binning) {
                continue;
            }
            let v = parse_number(part.as_bytes()).ok_or_else(|| {
                Error::new(
                    ErrorCode::DataNotANumber,
                    format!(
                        "value {} is not a number, so it cannot be binned (bins are set for this column)",
                        quoted(part)
                    ),
                )
                .in_column(columns[p].clone())
            })?;
            *values.entry(OrderedValue(v)).or_insert(0) += tally.counts.n;
        }
        edges.push(Some(match binning {
            Binning::Edges(e) => e.clone(),
            Binning::Quantiles(k) => quantile_edges(&values, *k),
        }));
    }
    let rename = |name: &str| -> String {
        if is_missing_group(name) && columns.len() == 1 {
            return name.to_string();
        }
        let parts = parts_of(name);
        let relabelled: Vec<String> = parts
            .iter()
            .enumerate()
            .map(|(p, part)| match (edges.get(p).and_then(Option::as_ref), parse_number(part.as_bytes())) {
                (Some(e), Some(v)) if !e.is_empty() => label(v, e),
                (Some(_), Some(_)) => "all values".to_string(),
                _ => part.clone(),
            })
            .collect();
        if columns.len() == 1 {
            relabelled.into_iter().next().unwrap_or_default()
        } else {
            join_parts(relabelled.iter().map(String::as_str))
        }
    };
    let mut out =
        AttributeTally { column: attribute.column.clone(), columns: attribute.columns.clone(), ..Default::default() };
    for (name, tally) in &attribute.groups {
        *out.groups.entry(rename(name)).or_default() += *tally;
    }
    for (stratum, groups) in &attribute.strata {
        let target = out.strata.entry(stratum.clone()).or_default();
        for (name, tally) in groups {
            *target.entry(rename(name)).or_default() += *tally;
        }
    }
    for (period, groups) in &attribute.periods {
        let target = out.periods.entry(period.clone()).or_default();
        for (name, tally) in groups {
            *target.entry(rename(name)).or_default() += *tally;
        }
    }
    for (name, histogram) in &attribute.scores {
        out.scores.entry(rename(name)).or_default().merge(histogram).map_err(|e| {
            let code = e.code_or(ErrorCode::EngineInternal);
            Error::new(code, e.to_string())
        })?;
    }
    Ok(std::borrow::Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_spoken_as_readers_say_them() {
        assert_eq!(spoken("< 18").as_deref(), Some("under 18"));
        assert_eq!(spoken("[25, 35)").as_deref(), Some("25 to under 35"));
        assert_eq!(spoken("≥ 55").as_deref(), Some("55 and over"));
        assert_eq!(spoken("White"), None);
    }

    #[test]
    fn labels_include_their_lower_edge() {
        let e = [18.0, 25.0, 65.0];
        assert_eq!(label(17.9, &e), "< 18");
        assert_eq!(label(18.0, &e), "[18, 25)");
        assert_eq!(label(24.99, &e), "[18, 25)");
        assert_eq!(label(25.0, &e), "[25, 65)");
        assert_eq!(label(65.0, &e), "≥ 65");
        assert_eq!(label(2.5, &[2.5]), "≥ 2.5");
    }

    #[test]
    fn a_column_binned_in_the_database_reads_as_the_same_bins() {
        let tally = |groups: &[(&str, u64)]| AttributeTally {
            column: "age".into(),
            groups: groups
                .iter()
                .map(|&(name, n)| {
                    let mut t = crate::tally::GroupTally::default();
                    t.counts.n = n;
                    (name.to_string(), t)
                })
                .collect(),
            ..Default::default()
        };
        let bins: BTreeMap<String, Binning> = [("age".to_string(), Binning::Edges(vec![25.0, 45.0]))].into();
        let rows = tally(&[("19", 2), ("24", 1), ("25", 4), ("60", 3), ("(missing)", 1)]);
        let labelled = tally(&[("< 25", 3), ("[25, 45)", 4), ("≥ 45", 1), ("70", 2), ("(missing)", 1)]);
        let names = |t: &AttributeTally| -> Vec<(String, u64)> {
            bin_attribute(t, &bins).unwrap().groups.iter().map(|(k, v)| (k.clone(), v.counts.n)).collect()
        };
        assert_eq!(names(&rows), names(&labelled));
        assert_eq!(
            names(&rows),
            [("(missing)", 1), ("< 25", 3), ("[25, 45)", 4), ("≥ 45", 3)].map(|(k, n)| (k.to_string(), n))
        );
        // Another bin's label, or a label under quantile bins, is not a number and is refused.
        assert!(bin_attribute(&tally(&[("[25, 35)", 1)]), &bins).is_err());
        let quartiles: BTreeMap<String, Binning> = [("age".to_string(), Binning::Quantiles(4))].into();
        assert!(bin_attribute(&tally(&[("< 25", 1)]), &quartiles).is_err());
    }

    #[test]
    fn quartiles_of_one_to_eight() {
        // 1..=8, one row each: cuts after 2, 4 and 6 rows → bins [<3], [3,5), [5,7), [≥7].
        let values: BTreeMap<OrderedValue, u64> = (1..=8).map(|v| (OrderedValue(f64::from(v)), 1)).collect();
        assert_eq!(quantile_edges(&values, 4), vec![3.0, 5.0, 7.0]);
        // A heavy tie cannot be split: cuts collapse.
        let tied: BTreeMap<OrderedValue, u64> =
            [(1.0, 90), (2.0, 5), (3.0, 5)].into_iter().map(|(v, n)| (OrderedValue(v), n)).collect();
        assert_eq!(quantile_edges(&tied, 4), vec![2.0]);
    }
}
