//! NYC Local Law 144 scoring rates and impact ratios for score-only tools.
//!
//! The DCWP rules implementing Local Law 144 of 2021 (6 RCNY § 5-300) define:
//! * **Scoring rate**: "the rate at which individuals in a category receive a
//!   score above the sample's median score, where the score has been
//!   calculated by an AEDT";
//! * **Impact ratio** (for scores): "the scoring rate for a category divided by
//!   the scoring rate for the highest scoring category".
//!
//! "Above" is read strictly: a score equal to the median does not count. The
//! sample median is that of all rows of all given groups together, computed
//! as `numpy.median` (the mean of the two middle scores when the count is
//! even). Labels are not needed. Categories are reported as given; the rules'
//! option to exclude categories under 2% of the data is left to the caller.

use super::exact::Frac;
use super::{ScoreHistogram, Undefined, UndefinedKind, MAX_ROWS};
use crate::metrics::Value;
use serde::Serialize;
use std::cmp::Ordering;

const LL144_NOTE: &str = "Scoring rate as defined in the DCWP rules for NYC Local Law 144 (6 RCNY § 5-300): the rate \
     at which individuals in a category receive a score above the sample's median score (strictly above; ties at \
     the median do not count). Impact ratio: a category's scoring rate divided by the highest category's.";

/// One category's scoring rate and impact ratio.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct GroupScoringRate {
    /// The group's raw name.
    pub group: String,
    /// The group's rows with a score.
    pub rows: u64,
    /// Rows scoring strictly above the sample median.
    pub above_median: u64,
    /// `above_median / rows`; undefined for a group without rows.
    pub scoring_rate: Value,
    /// `scoring_rate / highest scoring_rate`; undefined when either is, or
    /// the highest is 0.
    pub impact_ratio: Value,
}

/// Scoring rates of all categories against the pooled sample median.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ScoringRates {
    /// The definitions the figures follow (the DCWP rules for NYC Local Law
    /// 144, 6 RCNY § 5-300), and that "above" is strict.
    pub note: &'static str,
    /// The median score of all rows of all groups (`numpy.median`).
    pub median: f64,
    /// Rows with a score in all the groups together (in a report, the
    /// comparable groups).
    pub rows: u64,
    /// The category with the highest scoring rate (first one on ties); `None`
    /// when every rate is 0 or undefined.
    pub highest_group: Option<String>,
    /// One per group, in the order given (group order in a report).
    pub groups: Vec<GroupScoringRate>,
}

/// The sample median of several histograms pooled, as `numpy.median`.
fn pooled_median(groups: &[(&str, &ScoreHistogram)], total: u64) -> f64 {
    let mut cells: Vec<(f64, u64)> = groups.iter().flat_map(|(_, h)| h.iter().map(|(s, c)| (s, c.n))).collect();
    cells.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    // The r-th smallest score (0-based).
    let nth = |r: u64| -> f64 {
        let mut seen = 0u64;
        for &(s, n) in &cells {
            seen += n;
            if seen > r {
                return s;
            }
        }
        cells.last().map_or(0.0, |c| c.0)
    };
    if total % 2 == 1 {
        nth(total / 2)
    } else {
        let (a, b) = (nth(total / 2 - 1), nth(total / 2));
        let m = (a + b) / 2.0;
        if m.is_finite() {
            m
        } else {
            a / 2.0 + b / 2.0
        }
    }
}

/// NYC LL144 scoring rates: the pooled sample median, each group's share of
/// rows scoring strictly above it, and impact ratios against the highest
/// group. Unlabelled histograms are fine.
///
/// Undefined when no group is given, when there are no rows at all, or with
/// more than [`MAX_ROWS`] rows in all.
pub fn scoring_rate(groups: &[(&str, &ScoreHistogram)]) -> Result<ScoringRates, Undefined> {
    if groups.is_empty() {
        return Err(Undefined::invalid("no groups were given"));
    }
    let total = groups.iter().fold(0u64, |t, (_, h)| t.saturating_add(h.rows()));
    if total > MAX_ROWS {
        return Err(Undefined::new(UndefinedKind::TooManyRows, format!("the groups hold more than {MAX_ROWS} rows")));
    }
    if total == 0 {
        return Err(Undefined::no_rows("the sample median score"));
    }
    let median = pooled_median(groups, total);
    let fracs: Vec<(u64, Option<Frac>)> = groups
        .iter()
        .map(|(_, h)| {
            let above: u64 = h.iter_above(median).map(|(_, c)| c.n).sum();
            (above, Frac::new(above, h.rows()))
        })
        .collect();
    let mut top: Option<(usize, Frac)> = None;
    for (i, (_, f)) in fracs.iter().enumerate() {
        if let Some(f) = *f {
            if top.is_none_or(|(_, t)| f.cmp(t) == Ordering::Greater) {
                top = Some((i, f));
            }
        }
    }
    let top = top.filter(|(_, t)| t.num > 0);
    let out = groups
        .iter()
        .zip(&fracs)
        .map(|((name, h), &(above, f))| {
            let no_rows = || Value::Undefined("the group has no rows".into());
            let impact_ratio = match (f, top) {
                (None, _) => no_rows(),
                (Some(_), None) => Value::Undefined(
                    "no group has anyone scoring above the median, so impact ratios divide by 0".into(),
                ),
                (Some(f), Some((_, t))) => {
                    let num = u128::from(f.num) * u128::from(t.den);
                    let den = u128::from(f.den) * u128::from(t.num);
                    Value::Defined(num as f64 / den as f64)
                }
            };
            GroupScoringRate {
                group: name.to_string(),
                rows: h.rows(),
                above_median: above,
                scoring_rate: f.map_or_else(no_rows, |f| Value::Defined(f.to_f64())),
                impact_ratio,
            }
        })
        .collect();
    Ok(ScoringRates {
        note: LL144_NOTE,
        median,
        rows: total,
        highest_group: top.and_then(|(i, _)| groups.get(i)).map(|(g, _)| g.to_string()),
        groups: out,
    })
}
