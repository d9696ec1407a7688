//! The per-group score histogram: every other score figure is computed from it.

use serde::{Deserialize, Serialize};
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
    /// The memory for this many distinct scores could not be had.
    OutOfMemory {
        /// The distinct scores it would have held.
        distinct: usize,
    },
}

impl fmt::Display for HistogramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistogramError::NanScore => f.write_str("the score is NaN (not a number)"),
            HistogramError::InfiniteScore { positive: true } => f.write_str("the score is +infinity"),
            HistogramError::InfiniteScore { positive: false } => f.write_str("the score is -infinity"),
            HistogramError::TooManyRows => write!(f, "a score histogram can hold at most {MAX_ROWS} rows"),
            HistogramError::OutOfMemory { distinct } => write!(
                f,
                "there is not enough memory to count {distinct} distinct scores (24 bytes each); \
                 round the scores (to 4 decimal places, say) or audit the file with the command-line tool"
            ),
        }
    }
}

impl std::error::Error for HistogramError {}

impl HistogramError {
    /// The report's error code: running out of memory is the engine's, anything else `otherwise`.
    pub fn code_or(self, otherwise: crate::error::ErrorCode) -> crate::error::ErrorCode {
        match self {
            HistogramError::OutOfMemory { .. } => crate::error::ErrorCode::EngineOutOfMemory,
            _ => otherwise,
        }
    }
}

/// Per-group counts of rows by distinct score, with the number of positive
/// true labels among them.
///
/// Rows added without a label count in `n` only and in
/// [`unlabelled_rows`](Self::unlabelled_rows); a histogram holding any such row
/// supports only score-only figures (mean score, LL144 scoring rate).
///
/// Held compactly, 24 bytes per distinct score: a sorted array of cells, and
/// the rows added since it was last brought up to date, folded in (sorted,
/// then merged in place) once they number an eighth of the cells. Readers
/// see the folded-in view whenever they ask.
///
/// JSON form (compact, and checked on deserialisation):
/// `{"cells": [[score, n, positives], ...], "unlabelled": 0}` with cells in
/// ascending score order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "HistogramRepr", into = "HistogramRepr")]
pub struct ScoreHistogram {
    /// Ascending, one per distinct score.
    cells: Vec<(OrderedScore, Cell)>,
    /// Rows not yet folded into `cells`, in the order added.
    pending: Vec<(OrderedScore, Cell)>,
    rows: u64,
    positives: u64,
    unlabelled: u64,
}

/// Rows held back before a fold, at least: below it folding costs more than it saves.
const PENDING_MIN: usize = 4096;

impl PartialEq for ScoreHistogram {
    fn eq(&self, other: &Self) -> bool {
        (self.rows, self.positives, self.unlabelled) == (other.rows, other.positives, other.unlabelled)
            && self.view() == other.view()
    }
}

impl Eq for ScoreHistogram {}

/// Adds `incoming` (ascending, one cell per score) into `cells` (the same), in
/// place: the new scores are counted, the array grown once, and both merged
/// from the back. Fails, changing nothing, when the memory cannot be had.
fn merge_sorted(
    cells: &mut Vec<(OrderedScore, Cell)>,
    incoming: &[(OrderedScore, Cell)],
) -> Result<(), HistogramError> {
    let (mut i, mut j, mut new) = (0, 0, 0);
    while j < incoming.len() {
        match cells.get(i).map(|c| c.0.cmp(&incoming[j].0)) {
            Some(std::cmp::Ordering::Less) => i += 1,
            Some(std::cmp::Ordering::Equal) => {
                i += 1;
                j += 1;
            }
            _ => {
                new += 1;
                j += 1;
            }
        }
    }
    let old = cells.len();
    cells.try_reserve_exact(new).map_err(|_| HistogramError::OutOfMemory { distinct: old + new })?;
    cells.resize(old + new, (OrderedScore(0), Cell::default()));
    let (mut i, mut j, mut write) = (old, incoming.len(), old + new);
    while j > 0 {
        write -= 1;
        let (key, add) = incoming[j - 1];
        if i > 0 && cells[i - 1].0 > key {
            cells[write] = cells[i - 1];
            i -= 1;
        } else if i > 0 && cells[i - 1].0 == key {
            let mut cell = cells[i - 1];
            cell.1.n += add.n;
            cell.1.positives += add.positives;
            cells[write] = cell;
            i -= 1;
            j -= 1;
        } else {
            cells[write] = (key, add);
            j -= 1;
        }
    }
    Ok(())
}

/// Sorts rows by score and sums each score's into one cell, in place.
fn sort_and_sum(rows: &mut Vec<(OrderedScore, Cell)>) {
    rows.sort_unstable_by_key(|r| r.0);
    rows.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1.n += later.1.n;
            kept.1.positives += later.1.positives;
        }
        same
    });
}

impl ScoreHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self::default()
    }

    /// Count one row. `label` is the true outcome (`Some(true)` = positive), or
    /// `None` for a score-only row. Fails without changing anything on a
    /// non-finite score or when the histogram is full; fails with
    /// [`HistogramError::OutOfMemory`] when its cells cannot grow (the row is then
    /// counted, but the histogram should not be used further).
    pub fn add(&mut self, score: f64, label: Option<bool>) -> Result<(), HistogramError> {
        self.add_cases(score, label, 1)
    }

    /// Adds `cases` rows with this score and label (a row of a counts table).
    pub fn add_cases(&mut self, score: f64, label: Option<bool>, cases: u64) -> Result<(), HistogramError> {
        let key = OrderedScore::new(score)?;
        if self.rows.saturating_add(cases) > MAX_ROWS {
            return Err(HistogramError::TooManyRows);
        }
        self.pending.try_reserve(1).map_err(|_| HistogramError::OutOfMemory { distinct: self.cells.len() })?;
        self.pending.push((key, Cell { n: cases, positives: if label == Some(true) { cases } else { 0 } }));
        self.rows += cases;
        match label {
            Some(true) => self.positives += cases,
            Some(false) => {}
            None => self.unlabelled += cases,
        }
        if self.pending.len() >= PENDING_MIN.max(self.cells.len() / 8) {
            self.fold()?;
        }
        Ok(())
    }

    /// Folds the rows added since the last fold into the sorted cells.
    fn fold(&mut self) -> Result<(), HistogramError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        sort_and_sum(&mut self.pending);
        if self.cells.is_empty() {
            // Nothing to merge with (the first fold, or cells read back): no copy.
            std::mem::swap(&mut self.cells, &mut self.pending);
            return Ok(());
        }
        merge_sorted(&mut self.cells, &self.pending)?;
        self.pending.clear();
        Ok(())
    }

    /// Brings the cells up to date and gives back spare memory: for a
    /// histogram that is finished, before it is kept or copied.
    pub fn compact(&mut self) -> Result<(), HistogramError> {
        self.fold()?;
        self.pending = Vec::new();
        self.cells.shrink_to_fit();
        Ok(())
    }

    /// The cells with every row folded in: borrowed when up to date.
    fn view(&self) -> std::borrow::Cow<'_, [(OrderedScore, Cell)]> {
        if self.pending.is_empty() {
            return std::borrow::Cow::Borrowed(&self.cells);
        }
        let mut pending = self.pending.clone();
        sort_and_sum(&mut pending);
        let mut cells = Vec::with_capacity(self.cells.len() + pending.len());
        cells.extend_from_slice(&self.cells);
        // The room is reserved above, so the merge cannot fail.
        merge_sorted(&mut cells, &pending).expect("room reserved");
        std::borrow::Cow::Owned(cells)
    }

    /// Add every row of `other`. Exact, commutative and associative: merging
    /// parts in any order gives the histogram of all their rows. Fails without
    /// changing anything when the result would exceed [`MAX_ROWS`].
    pub fn merge(&mut self, other: &ScoreHistogram) -> Result<(), HistogramError> {
        match self.rows.checked_add(other.rows) {
            Some(total) if total <= MAX_ROWS => {}
            _ => return Err(HistogramError::TooManyRows),
        }
        self.fold()?;
        merge_sorted(&mut self.cells, &other.view())?;
        self.rows += other.rows;
        self.positives += other.positives;
        self.unlabelled += other.unlabelled;
        Ok(())
    }

    /// The number of distinct scores.
    pub fn len(&self) -> usize {
        self.view().len()
    }

    /// Whether it holds no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
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
        let cells = self.view();
        (0..cells.len()).map(move |i| (cells[i].0.get(), cells[i].1))
    }

    /// The cells with score strictly greater than `score` (any `f64`; NaN gives none).
    pub(crate) fn iter_above(&self, score: f64) -> impl Iterator<Item = (f64, Cell)> + '_ {
        let cells = self.view();
        let start = match OrderedScore::new(score) {
            Ok(k) => cells.partition_point(|c| c.0 <= k),
            // +inf / NaN: nothing is above. -inf: everything.
            Err(HistogramError::InfiniteScore { positive: false }) => 0,
            Err(_) => cells.len(),
        };
        (start..cells.len()).map(move |i| (cells[i].0.get(), cells[i].1)).filter(move |(s, _)| *s > score)
    }

    /// Smallest and largest score, if any.
    pub fn min_max(&self) -> Option<(f64, f64)> {
        let cells = self.view();
        Some((cells.first()?.0.get(), cells.last()?.0.get()))
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
            cells: h.view().iter().map(|(k, c)| (k.get(), c.n, c.positives)).collect(),
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
            h.pending.push((key, Cell { n, positives }));
        }
        h.compact().map_err(|e| e.to_string())?;
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

    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// The plain map the compact form must equal.
    fn by_map(rows: &[(f64, Option<bool>)]) -> BTreeMap<OrderedScore, Cell> {
        let mut map = BTreeMap::<OrderedScore, Cell>::new();
        for &(score, label) in rows {
            let cell = map.entry(OrderedScore::new(score).unwrap()).or_default();
            cell.n += 1;
            cell.positives += u64::from(label == Some(true));
        }
        map
    }

    fn cells_of(h: &ScoreHistogram) -> Vec<(OrderedScore, Cell)> {
        h.iter().map(|(s, c)| (OrderedScore::new(s).unwrap(), c)).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Enough rows for many folds (a fold every 4,096 rows at least), few
        /// or many distinct scores, read before and after folding, split and merged.
        #[test]
        fn the_compact_histogram_counts_as_a_map_would(
            rows in prop::collection::vec(
                (prop_oneof![(0u32..40).prop_map(f64::from), (0u32..1_000_000).prop_map(|k| f64::from(k) / 7.0)],
                 prop::option::of(any::<bool>())),
                0..20_000,
            ),
            split in 0usize..20_000,
            threshold in -1.0f64..150_000.0,
        ) {
            let want: Vec<(OrderedScore, Cell)> = by_map(&rows).into_iter().collect();
            let mut whole = ScoreHistogram::new();
            for &(score, label) in &rows {
                whole.add(score, label).unwrap();
            }
            // Read while rows are still pending, then compacted.
            prop_assert_eq!(cells_of(&whole), want.clone());
            prop_assert_eq!(whole.len(), want.len());
            let above: u64 = want.iter().filter(|(k, _)| k.get() > threshold).map(|(_, c)| c.n).sum();
            prop_assert_eq!(whole.iter_above(threshold).map(|(_, c)| c.n).sum::<u64>(), above);
            let pending_view = whole.clone();
            whole.compact().unwrap();
            prop_assert_eq!(&whole, &pending_view);
            prop_assert!(whole.pending.is_empty());
            prop_assert_eq!(whole.min_max(), want.first().zip(want.last()).map(|(a, b)| (a.0.get(), b.0.get())));
            // Two parts merged, in either order, equal the whole.
            let cut = split.min(rows.len());
            let (mut first, mut second) = (ScoreHistogram::new(), ScoreHistogram::new());
            for &(score, label) in &rows[..cut] {
                first.add(score, label).unwrap();
            }
            for &(score, label) in &rows[cut..] {
                second.add(score, label).unwrap();
            }
            let mut forward = first.clone();
            forward.merge(&second).unwrap();
            second.merge(&first).unwrap();
            prop_assert_eq!(&forward, &whole);
            prop_assert_eq!(&second, &whole);
            prop_assert_eq!(cells_of(&forward), want);
            // And through JSON.
            let back: ScoreHistogram = serde_json::from_str(&serde_json::to_string(&forward).unwrap()).unwrap();
            prop_assert_eq!(back, whole);
        }
    }
}
