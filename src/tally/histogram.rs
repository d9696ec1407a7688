//! The per-group score histogram: every other score figure is computed from it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The most rows one histogram may hold (2^53), so that every count, and every
/// sum of counts within a histogram, is exactly representable as an `f64`.
pub const MAX_ROWS: u64 = 1 << 53;

const SIGN: u64 = 1 << 63;

/// A finite score as an order-preserving key: the IEEE-754 bits mapped so that
/// unsigned integer order equals numeric order (negative numbers have all bits
/// flipped, non-negative numbers the sign bit set). `-0.0` is stored as `0.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrderedScore(u64);

impl OrderedScore {
    /// The key of a finite score; NaN and ±infinity are rejected.
    pub fn new(score: f64) -> Result<Self, HistogramError> {
        if score.is_nan() {
            return Err(HistogramError::NanScore);
        }
        if score.is_infinite() {
            return Err(HistogramError::InfiniteScore { positive: score > 0.0 });
        }
        // -0.0 == 0.0: one key for both.
        let score = if score == 0.0 { 0.0 } else { score };
        let bits = score.to_bits();
        Ok(OrderedScore(if bits & SIGN != 0 { !bits } else { bits | SIGN }))
    }

    /// The score this key stands for.
    pub fn get(self) -> f64 {
        let k = self.0;
        f64::from_bits(if k & SIGN != 0 { k & !SIGN } else { !k })
    }
}

/// The rows sharing one score: how many, and how many of them have a positive
/// true label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Cell {
    /// Rows with this score, labelled or not.
    pub n: u64,
    /// Of them, those with a positive true label.
    pub positives: u64,
}

/// Why a row or a histogram could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "error")]
pub enum HistogramError {
    /// The score is NaN.
    NanScore,
    /// The score is +infinity (`positive`) or -infinity.
    InfiniteScore {
        /// True for +infinity, false for -infinity.
        positive: bool,
    },
    /// The histogram would hold more than [`MAX_ROWS`] rows.
    TooManyRows,
}

impl fmt::Display for HistogramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistogramError::NanScore => f.write_str("the score is NaN (not a number)"),
            HistogramError::InfiniteScore { positive: true } => f.write_str("the score is +infinity"),
            HistogramError::InfiniteScore { positive: false } => f.write_str("the score is -infinity"),
            HistogramError::TooManyRows => write!(f, "a score histogram can hold at most {MAX_ROWS} rows"),
        }
    }
}

impl std::error::Error for HistogramError {}

/// Per-group counts of rows by distinct score, with the number of positive
/// true labels among them.
///
/// Rows added without a label count in `n` only and in
/// [`unlabelled_rows`](Self::unlabelled_rows); a histogram holding any such row
/// supports only score-only figures (mean score, LL144 scoring rate).
///
/// JSON form (compact, and checked on deserialisation):
/// `{"cells": [[score, n, positives], ...], "unlabelled": 0}` with cells in
/// ascending score order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "HistogramRepr", into = "HistogramRepr")]
pub struct ScoreHistogram {
    cells: BTreeMap<OrderedScore, Cell>,
    rows: u64,
    positives: u64,
    unlabelled: u64,
}

impl ScoreHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self::default()
    }

    /// Count one row. `label` is the true outcome (`Some(true)` = positive), or
    /// `None` for a score-only row. Fails without changing anything on a
    /// non-finite score or when the histogram is full.
    pub fn add(&mut self, score: f64, label: Option<bool>) -> Result<(), HistogramError> {
        let key = OrderedScore::new(score)?;
        if self.rows >= MAX_ROWS {
            return Err(HistogramError::TooManyRows);
        }
        let cell = self.cells.entry(key).or_default();
        cell.n += 1;
        self.rows += 1;
        match label {
            Some(true) => {
                cell.positives += 1;
                self.positives += 1;
            }
            Some(false) => {}
            None => self.unlabelled += 1,
        }
        Ok(())
    }

    /// Add every row of `other`. Exact, commutative and associative: merging
    /// parts in any order gives the histogram of all their rows. Fails without
    /// changing anything when the result would exceed [`MAX_ROWS`].
    pub fn merge(&mut self, other: &ScoreHistogram) -> Result<(), HistogramError> {
        match self.rows.checked_add(other.rows) {
            Some(total) if total <= MAX_ROWS => {}
            _ => return Err(HistogramError::TooManyRows),
        }
        for (k, c) in &other.cells {
            let cell = self.cells.entry(*k).or_default();
            cell.n += c.n;
            cell.positives += c.positives;
        }
        self.rows += other.rows;
        self.positives += other.positives;
        self.unlabelled += other.unlabelled;
        Ok(())
    }

    /// The number of distinct scores.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether it holds no rows.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// All rows, labelled or not.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Rows whose true label is positive.
    pub fn positives(&self) -> u64 {
        self.positives
    }

    /// Rows whose true label is negative.
    pub fn negatives(&self) -> u64 {
        self.rows - self.positives - self.unlabelled
    }

    /// Rows added without a label.
    pub fn unlabelled_rows(&self) -> u64 {
        self.unlabelled
    }

    /// The distinct scores in ascending order with their cells.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (f64, Cell)> + ExactSizeIterator + '_ {
        self.cells.iter().map(|(k, c)| (k.get(), *c))
    }

    /// The cells with score strictly greater than `score` (any `f64`; NaN gives none).
    pub(crate) fn iter_above(&self, score: f64) -> impl Iterator<Item = (f64, Cell)> + '_ {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let range = match OrderedScore::new(score) {
            Ok(k) => (Excluded(k), Unbounded),
            // +inf / NaN: nothing is above. -inf: everything.
            Err(HistogramError::InfiniteScore { positive: false }) => (Unbounded, Unbounded),
            Err(_) => (Included(OrderedScore(u64::MAX)), Included(OrderedScore(u64::MAX))),
        };
        self.cells.range(range).map(|(k, c)| (k.get(), *c)).filter(move |(s, _)| *s > score)
    }

    /// Smallest and largest score, if any.
    pub fn min_max(&self) -> Option<(f64, f64)> {
        let lo = self.cells.keys().next()?;
        let hi = self.cells.keys().next_back()?;
        Some((lo.get(), hi.get()))
    }
}

/// Serialised form of [`ScoreHistogram`].
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct HistogramRepr {
    cells: Vec<(f64, u64, u64)>,
    #[serde(default)]
    unlabelled: u64,
}

impl From<ScoreHistogram> for HistogramRepr {
    fn from(h: ScoreHistogram) -> Self {
        HistogramRepr {
            cells: h.cells.iter().map(|(k, c)| (k.get(), c.n, c.positives)).collect(),
            unlabelled: h.unlabelled,
        }
    }
}

impl TryFrom<HistogramRepr> for ScoreHistogram {
    type Error = String;

    /// Checks what [`ScoreHistogram::add`] guarantees: finite scores, cells with
    /// `n >= 1` and `positives <= n`, at most [`MAX_ROWS`] rows, and no more
    /// positives than labelled rows. Repeated scores are summed.
    fn try_from(r: HistogramRepr) -> Result<Self, String> {
        let mut h = ScoreHistogram::new();
        for (i, &(score, n, positives)) in r.cells.iter().enumerate() {
            let key = OrderedScore::new(score).map_err(|e| format!("cell {i}: {e}"))?;
            if n == 0 {
                return Err(format!("cell {i}: a cell must count at least one row"));
            }
            if positives > n {
                return Err(format!("cell {i}: {positives} positives out of {n} rows"));
            }
            let rows = h.rows.checked_add(n).filter(|&t| t <= MAX_ROWS);
            let Some(rows) = rows else {
                return Err(format!("more than {MAX_ROWS} rows"));
            };
            h.rows = rows;
            h.positives += positives;
            let cell = h.cells.entry(key).or_default();
            cell.n += n;
            cell.positives += positives;
        }
        if r.unlabelled > h.rows - h.positives {
            return Err(format!(
                "{} unlabelled rows, but only {} rows are not labelled positive",
                r.unlabelled,
                h.rows - h.positives
            ));
        }
        h.unlabelled = r.unlabelled;
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_matches_numeric_order() {
        let xs = [-1e308, -2.5, -1.0, -5e-324, 0.0, 5e-324, 1e-300, 0.5, 1.0, 3.0, f64::MAX];
        for w in xs.windows(2) {
            assert!(OrderedScore::new(w[0]).unwrap() < OrderedScore::new(w[1]).unwrap(), "{w:?}");
        }
        for x in xs {
            assert_eq!(OrderedScore::new(x).unwrap().get().to_bits(), x.to_bits());
        }
        assert_eq!(OrderedScore::new(-0.0).unwrap(), OrderedScore::new(0.0).unwrap());
        assert_eq!(OrderedScore::new(-0.0).unwrap().get().to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn rejects_non_finite() {
        let mut h = ScoreHistogram::new();
        assert_eq!(h.add(f64::NAN, Some(true)), Err(HistogramError::NanScore));
        assert_eq!(h.add(f64::INFINITY, None), Err(HistogramError::InfiniteScore { positive: true }));
        assert_eq!(h.add(f64::NEG_INFINITY, None), Err(HistogramError::InfiniteScore { positive: false }));
        assert_eq!(h.rows(), 0);
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let mut h = ScoreHistogram::new();
        h.add(0.25, Some(true)).unwrap();
        h.add(0.25, Some(false)).unwrap();
        h.add(-3.0, None).unwrap();
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, r#"{"cells":[[-3.0,1,0],[0.25,2,1]],"unlabelled":1}"#);
        let back: ScoreHistogram = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
        for bad in [
            r#"{"cells":[[0.5,1,2]]}"#,
            r#"{"cells":[[0.5,0,0]]}"#,
            r#"{"cells":[[0.5,1,1]],"unlabelled":1}"#,
            r#"{"cells":[[0.5,9007199254740992,0],[0.6,1,0]]}"#,
            r#"{"cells":[[0.5,1,0]],"extra":1}"#,
        ] {
            assert!(serde_json::from_str::<ScoreHistogram>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn iter_above_is_strict() {
        let mut h = ScoreHistogram::new();
        for s in [1.0, 2.0, 2.0, 3.0] {
            h.add(s, None).unwrap();
        }
        let above = |t: f64| h.iter_above(t).map(|(_, c)| c.n).sum::<u64>();
        assert_eq!(above(2.0), 1);
        assert_eq!(above(1.5), 3);
        assert_eq!(above(f64::NEG_INFINITY), 4);
        assert_eq!(above(f64::INFINITY), 0);
        assert_eq!(above(f64::NAN), 0);
        assert_eq!(above(3.0), 0);
    }
}
