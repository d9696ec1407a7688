//! Rows → tallies: per-group confusion counts that merge by addition.
//!
//! A tally is everything the metrics need, so chunks, Web Workers or a
//! database can count separately and add their tallies up. Weighted counts
//! are kept in fixed point (units of 10⁻⁹) so that addition is exact and
//! merging in any order gives the same bits.

pub mod binning;
pub mod histogram;
pub mod names;
pub mod outcome;
pub mod rows;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::{Add, AddAssign};

/// Weights are stored as integer multiples of this.
pub const WEIGHT_SCALE: f64 = 1e9;

/// Largest weight accepted on one row (keeps sums far from overflow).
pub const MAX_WEIGHT: f64 = 1e15;

/// Confusion counts for one group. Without a label column only `n` and
/// `selected` are counted and the four cells stay zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "Counts_{T}")]
pub struct Counts<T> {
    /// Rows in the group, or their summed weight.
    pub n: T,
    /// Of them, those given the positive decision.
    pub selected: T,
    /// Positive decision, positive label.
    pub tp: T,
    /// Positive decision, negative label.
    pub fp: T,
    /// Negative decision, negative label.
    pub tn: T,
    /// Negative decision, positive label.
    #[serde(rename = "fn")]
    pub fn_: T,
}

impl<T: AddAssign + Copy> Counts<T> {
    /// Adds one row of weight `w`.
    pub fn add_row(&mut self, w: T, selected: bool, label: Option<bool>) {
        self.n += w;
        if selected {
            self.selected += w;
        }
        match (selected, label) {
            (true, Some(true)) => self.tp += w,
            (true, Some(false)) => self.fp += w,
            (false, Some(false)) => self.tn += w,
            (false, Some(true)) => self.fn_ += w,
            (_, None) => {}
        }
    }
}

impl<T: AddAssign> AddAssign for Counts<T> {
    fn add_assign(&mut self, o: Self) {
        self.n += o.n;
        self.selected += o.selected;
        self.tp += o.tp;
        self.fp += o.fp;
        self.tn += o.tn;
        self.fn_ += o.fn_;
    }
}

impl<T: AddAssign> Add for Counts<T> {
    type Output = Self;
    fn add(mut self, o: Self) -> Self {
        self += o;
        self
    }
}

impl Counts<u64> {
    /// The rows of `self` outside `part` (everyone else), saturating at 0.
    pub fn without(self, part: &Counts<u64>) -> Counts<u64> {
        Counts {
            n: self.n.saturating_sub(part.n),
            selected: self.selected.saturating_sub(part.selected),
            tp: self.tp.saturating_sub(part.tp),
            fp: self.fp.saturating_sub(part.fp),
            tn: self.tn.saturating_sub(part.tn),
            fn_: self.fn_.saturating_sub(part.fn_),
        }
    }
}

impl Counts<u128> {
    /// The fixed-point weight of `self` outside `part` (everyone else), saturating at 0.
    pub fn without(self, part: &Counts<u128>) -> Counts<u128> {
        Counts {
            n: self.n.saturating_sub(part.n),
            selected: self.selected.saturating_sub(part.selected),
            tp: self.tp.saturating_sub(part.tp),
            fp: self.fp.saturating_sub(part.fp),
            tn: self.tn.saturating_sub(part.tn),
            fn_: self.fn_.saturating_sub(part.fn_),
        }
    }
}

impl Counts<f64> {
    /// The weight of `self` outside `part` (everyone else), at least 0.
    pub fn without(self, part: &Counts<f64>) -> Counts<f64> {
        let less = |a: f64, b: f64| (a - b).max(0.0);
        Counts {
            n: less(self.n, part.n),
            selected: less(self.selected, part.selected),
            tp: less(self.tp, part.tp),
            fp: less(self.fp, part.fp),
            tn: less(self.tn, part.tn),
            fn_: less(self.fn_, part.fn_),
        }
    }
}

/// A count type that converts to an ordinary number for the metrics.
pub trait ToF64: Copy {
    /// The count as an ordinary number (a fixed-point weight sum becomes the
    /// weight).
    fn to_f64(self) -> f64;
}

impl ToF64 for u64 {
    fn to_f64(self) -> f64 {
        self as f64
    }
}

/// Fixed-point weight sums (units of 10⁻⁹).
impl ToF64 for u128 {
    fn to_f64(self) -> f64 {
        self as f64 / WEIGHT_SCALE
    }
}

impl<T: ToF64> Counts<T> {
    /// The counts as ordinary numbers (fixed-point weight sums become weights).
    pub fn to_f64(&self) -> Counts<f64> {
        let f = T::to_f64;
        Counts {
            n: f(self.n),
            selected: f(self.selected),
            tp: f(self.tp),
            fp: f(self.fp),
            tn: f(self.tn),
            fn_: f(self.fn_),
        }
    }
}

/// One group's tally: plain counts, and weighted ones when weights are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GroupTally {
    /// Row counts.
    pub counts: Counts<u64>,
    /// Sums of weights in units of 10⁻⁹; present only with a weight column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighted: Option<Counts<u128>>,
    /// Σw² over the group's rows, in units of 10⁻¹⁸ (each row's fixed-point
    /// weight squared, so sums are exact): with `weighted.n` it gives Kish's
    /// effective size `(Σw)² / Σw²`, which the intervals and tests use.
    /// Present only with a weight column; `u128::MAX` when it overflowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_squares: Option<u128>,
}

impl GroupTally {
    /// Kish's effective sample size `(Σw)² / Σw²`, when the tally has
    /// weights and their squares (and they did not overflow).
    pub fn effective_size(&self) -> Option<f64> {
        let (w, w2) = (self.weighted?, self.weight_squares?);
        effective_size(w.n, w2)
    }
}

/// Kish's effective size from fixed-point Σw (units of 10⁻⁹) and Σw² (units
/// of 10⁻¹⁸); `None` when Σw² overflowed or is 0.
pub fn effective_size(sum: u128, squares: u128) -> Option<f64> {
    if squares == 0 || squares == u128::MAX {
        return None;
    }
    let s = sum as f64;
    Some(s * s / squares as f64)
}

/// One row's weight squared, for [`GroupTally::weight_squares`].
pub fn weight_square(w: u128) -> u128 {
    w.saturating_mul(w)
}

impl AddAssign for GroupTally {
    fn add_assign(&mut self, o: Self) {
        self.counts += o.counts;
        self.weighted = match (self.weighted, o.weighted) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.weight_squares = match (self.weight_squares, o.weight_squares) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
    }
}

/// Why a row was left out of the audit: `decision_missing` (the decision
/// cell is missing), `label_missing` or `weight_missing` (a label or weight
/// column is configured and its cell is missing).
// The variants carry no docs of their own, so that the schema keeps a plain
// `enum` and a map keyed by it gets named properties in the TypeScript types.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    DecisionMissing,
    LabelMissing,
    WeightMissing,
}

impl Exclusion {
    /// The reason in plain English (the report's `description`).
    pub fn describe(self) -> &'static str {
        match self {
            Exclusion::DecisionMissing => "the decision is missing",
            Exclusion::LabelMissing => "the true outcome (label) is missing",
            Exclusion::WeightMissing => "the weight is missing",
        }
    }
}

/// Most values other than the positive ones remembered per outcome column,
/// for the hint when a positive value never occurs.
pub const OTHER_VALUES_KEPT: usize = 20;

/// What an outcome column held, for the warning when a positive value never
/// occurs: mergeable (or of the flags, union of the values).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ValuesSeen {
    /// One per positive value of the config, in order: whether any row had it.
    pub positive_seen: Vec<bool>,
    /// The smallest [`OTHER_VALUES_KEPT`] other (non-missing) values seen, trimmed.
    pub others: std::collections::BTreeSet<String>,
}

impl ValuesSeen {
    fn merge(&mut self, other: &ValuesSeen) {
        if self.positive_seen.len() < other.positive_seen.len() {
            self.positive_seen.resize(other.positive_seen.len(), false);
        }
        for (mine, theirs) in self.positive_seen.iter_mut().zip(&other.positive_seen) {
            *mine |= theirs;
        }
        // The smallest values kept, so that any split of the file keeps the same ones.
        self.others.extend(other.others.iter().cloned());
        while self.others.len() > OTHER_VALUES_KEPT {
            self.others.pop_last();
        }
    }
}

/// Tallies for every audited attribute, plus what was excluded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TallySet {
    /// Data rows read (after the header), included or not.
    pub rows_read: u64,
    /// Rows left out, by reason.
    pub excluded: BTreeMap<Exclusion, u64>,
    /// One entry per protected-attribute column, in config order.
    pub attributes: Vec<AttributeTally>,
    /// With `publication` and more than one attribute: row counts of every
    /// combination of all the group columns together, so that the
    /// publication view can check what one attribute's groups reveal about
    /// another's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint: Option<AttributeTally>,
    /// True when the joint combinations were wanted but exceeded
    /// `rows::JOINT_LIMIT`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub joint_overflow: bool,
    /// The decision column's positive values seen, and some others.
    #[serde(default)]
    pub decision_values: ValuesSeen,
    /// The label column's, with a label column listing positive values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_values: Option<ValuesSeen>,
}

/// The tallies of one attribute: per group, and per stratum and score
/// histograms when configured.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AttributeTally {
    /// The column, or an intersection's columns joined with `|`.
    pub column: String,
    /// The columns combined (one for a plain attribute).
    #[serde(default)]
    pub columns: Vec<String>,
    /// Each group's tally, by name.
    pub groups: BTreeMap<String, GroupTally>,
    /// With a strata column: stratum → group → tally. Summing over strata gives `groups`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub strata: BTreeMap<String, BTreeMap<String, GroupTally>>,
    /// With a period column: period → group → tally. Summing over periods gives `groups`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub periods: BTreeMap<String, BTreeMap<String, GroupTally>>,
    /// With a score column: per group, rows and positives at each distinct score.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scores: BTreeMap<String, histogram::ScoreHistogram>,
}

impl AttributeTally {
    /// The whole population: the sum over groups.
    pub fn total(&self) -> GroupTally {
        let mut total = GroupTally::default();
        for g in self.groups.values() {
            total += *g;
        }
        total
    }
}

/// Tallies of different audits (other columns) cannot be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MismatchedTallies {
    /// The tallies are of different attributes.
    Columns,
    /// The score histograms would hold more rows than they can count exactly.
    TooManyScores,
    /// Together the tallies hold more periods than one audit reports.
    TooManyPeriods,
}

impl std::fmt::Display for MismatchedTallies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MismatchedTallies::Columns => "these tallies come from audits of different columns and cannot be merged",
            MismatchedTallies::TooManyScores => "the merged score histograms would hold too many rows to count exactly",
            MismatchedTallies::TooManyPeriods => "together these tallies hold more periods than one audit reports",
        })
    }
}

impl TallySet {
    /// Adds `other` into `self`, as if its rows had been read here.
    pub fn merge(&mut self, other: &TallySet) -> Result<(), MismatchedTallies> {
        let same_shape = self.attributes.len() == other.attributes.len()
            && self.attributes.iter().zip(&other.attributes).all(|(a, b)| a.column == b.column);
        if !same_shape {
            return Err(MismatchedTallies::Columns);
        }
        self.rows_read += other.rows_read;
        self.decision_values.merge(&other.decision_values);
        if let Some(theirs) = &other.label_values {
            self.label_values.get_or_insert_with(ValuesSeen::default).merge(theirs);
        }
        self.joint_overflow |= other.joint_overflow;
        match (&mut self.joint, &other.joint) {
            (Some(mine), Some(theirs)) => {
                for (group, tally) in &theirs.groups {
                    *mine.groups.entry(group.clone()).or_default() += *tally;
                }
                if mine.groups.len() > rows::JOINT_LIMIT {
                    self.joint_overflow = true;
                }
            }
            (None, Some(theirs)) if !self.joint_overflow => self.joint = Some(theirs.clone()),
            _ => {}
        }
        if self.joint_overflow {
            self.joint = None;
        }
        for (reason, count) in &other.excluded {
            *self.excluded.entry(*reason).or_insert(0) += count;
        }
        for (mine, theirs) in self.attributes.iter_mut().zip(&other.attributes) {
            for (group, tally) in &theirs.groups {
                *mine.groups.entry(group.clone()).or_default() += *tally;
            }
            for (group, histogram) in &theirs.scores {
                mine.scores
                    .entry(group.clone())
                    .or_default()
                    .merge(histogram)
                    .map_err(|_| MismatchedTallies::TooManyScores)?;
            }
            for (stratum, groups) in &theirs.strata {
                let mine = mine.strata.entry(stratum.clone()).or_default();
                for (group, tally) in groups {
                    *mine.entry(group.clone()).or_default() += *tally;
                }
            }
            for (period, groups) in &theirs.periods {
                let mine = mine.periods.entry(period.clone()).or_default();
                for (group, tally) in groups {
                    *mine.entry(group.clone()).or_default() += *tally;
                }
            }
            if mine.periods.len() > rows::MAX_PERIODS {
                return Err(MismatchedTallies::TooManyPeriods);
            }
        }
        Ok(())
    }

    /// Rows left out, for any reason.
    pub fn rows_excluded(&self) -> u64 {
        self.excluded.values().sum()
    }
}

/// Converts a parsed weight to fixed point; `None` if it is out of range or
/// would lose all precision.
pub fn weight_to_fixed(weight: f64) -> Option<u128> {
    if !(weight.is_finite() && (0.0..=MAX_WEIGHT).contains(&weight)) {
        return None;
    }
    let scaled = (weight * WEIGHT_SCALE).round();
    if weight > 0.0 && weight < 1.0 / WEIGHT_SCALE {
        return None;
    }
    Some(scaled as u128)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_row_fills_the_right_cell() {
        let mut c = Counts::<u64>::default();
        c.add_row(1, true, Some(true));
        c.add_row(1, true, Some(false));
        c.add_row(1, false, Some(false));
        c.add_row(1, false, Some(true));
        c.add_row(1, true, None);
        assert_eq!(c, Counts { n: 5, selected: 3, tp: 1, fp: 1, tn: 1, fn_: 1 });
    }

    #[test]
    fn fixed_point_weights() {
        assert_eq!(weight_to_fixed(1.5), Some(1_500_000_000));
        assert_eq!(weight_to_fixed(0.0), Some(0));
        assert_eq!(weight_to_fixed(-1.0), None);
        assert_eq!(weight_to_fixed(1e-12), None);
        assert_eq!(weight_to_fixed(6e-10), None);
        assert_eq!(weight_to_fixed(1e-9), Some(1));
        assert_eq!(weight_to_fixed(2e15), None);
        // 0.1 + 0.2 is exact in fixed point.
        let sum = weight_to_fixed(0.1).unwrap_or(0) + weight_to_fixed(0.2).unwrap_or(0);
        assert_eq!(sum, weight_to_fixed(0.3).unwrap_or(1));
    }

    #[test]
    fn merge_refuses_other_columns() {
        let mut a = TallySet {
            attributes: vec![AttributeTally { column: "a".into(), ..Default::default() }],
            ..Default::default()
        };
        let b = TallySet {
            attributes: vec![AttributeTally { column: "b".into(), ..Default::default() }],
            ..Default::default()
        };
        assert_eq!(a.merge(&b), Err(MismatchedTallies::Columns));
    }
}
