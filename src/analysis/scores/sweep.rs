//! Confusion counts at every threshold, from one pass over the sorted scores.

use super::{require_labels, ScoreHistogram, Undefined};
use serde::Serialize;

/// Confusion counts at one threshold (selected = predicted positive =
/// `score >= threshold`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct Confusion {
    /// Rows with a positive label scoring at or above the threshold.
    pub tp: u64,
    /// Rows with a negative label scoring at or above the threshold.
    pub fp: u64,
    /// Rows with a negative label scoring below the threshold.
    pub tn: u64,
    /// Rows with a positive label scoring below the threshold.
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// `tp + fp`.
    pub selected: u64,
}

impl Confusion {
    /// All rows: `tp + fp + tn + fn`.
    pub fn rows(&self) -> u64 {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// `selected / rows`; `None` without rows.
    pub fn selection_rate(&self) -> Option<f64> {
        ratio(self.selected, self.rows())
    }

    /// `tp / (tp + fn)`; `None` without positives.
    pub fn tpr(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// `fp / (fp + tn)`; `None` without negatives.
    pub fn fpr(&self) -> Option<f64> {
        ratio(self.fp, self.fp + self.tn)
    }

    /// `(tp + tn) / rows`; `None` without rows.
    pub fn accuracy(&self) -> Option<f64> {
        ratio(self.tp + self.tn, self.rows())
    }
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// For every distinct threshold of one group, the confusion counts.
///
/// The thresholds are the group's distinct scores (ascending), then one above
/// the largest score at which nobody is selected. [`at`](Self::at) answers for
/// any `f64` threshold by binary search, in O(log n).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ThresholdSweep {
    /// Distinct scores, ascending.
    scores: Vec<f64>,
    /// `selected[i]` = rows with score >= `scores[i]`; one extra entry (0) for
    /// the threshold above the largest score.
    selected: Vec<u64>,
    /// `true_positives[i]` = positive rows with score >= `scores[i]`; one extra 0.
    true_positives: Vec<u64>,
    rows: u64,
    positives: u64,
}

impl ThresholdSweep {
    /// One pass over the histogram's distinct scores, highest first. Needs every
    /// row to be labelled ([`super::UndefinedKind::MissingLabels`] otherwise). An
    /// empty histogram gives a sweep with a single all-zero threshold.
    pub fn build(h: &ScoreHistogram) -> Result<ThresholdSweep, Undefined> {
        require_labels(h, "a threshold sweep")?;
        let d = h.len();
        let mut scores = Vec::with_capacity(d);
        let mut selected = vec![0u64; d + 1];
        let mut true_positives = vec![0u64; d + 1];
        let (mut sel, mut tp) = (0u64, 0u64);
        // Fill from the top: position i (ascending) gets the running totals.
        for (i, (_, cell)) in h.iter().enumerate().rev() {
            sel += cell.n;
            tp += cell.positives;
            if let (Some(s), Some(t)) = (selected.get_mut(i), true_positives.get_mut(i)) {
                *s = sel;
                *t = tp;
            }
        }
        scores.extend(h.iter().map(|(s, _)| s));
        Ok(ThresholdSweep { scores, selected, true_positives, rows: h.rows(), positives: h.positives() })
    }

    /// A sweep of selections only, for rows without a label: every count of
    /// a label (`tp`, `fn`, positives) is 0, so only `selected` and the rows
    /// mean anything.
    pub fn selection_only(h: &ScoreHistogram) -> ThresholdSweep {
        let d = h.len();
        let mut selected = vec![0u64; d + 1];
        let mut sel = 0u64;
        for (i, (_, cell)) in h.iter().enumerate().rev() {
            sel += cell.n;
            if let Some(s) = selected.get_mut(i) {
                *s = sel;
            }
        }
        ThresholdSweep {
            scores: h.iter().map(|(s, _)| s).collect(),
            selected,
            true_positives: vec![0u64; d + 1],
            rows: h.rows(),
            positives: 0,
        }
    }

    /// Number of thresholds: distinct scores + 1.
    pub fn len(&self) -> usize {
        self.scores.len() + 1
    }

    /// Always false: there is at least the threshold above every score.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Rows in the group.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Rows with a positive label.
    pub fn positives(&self) -> u64 {
        self.positives
    }

    /// Rows with a negative label.
    pub fn negatives(&self) -> u64 {
        self.rows - self.positives
    }

    /// The distinct scores, ascending.
    pub fn scores(&self) -> &[f64] {
        &self.scores
    }

    /// Threshold number `i` (0-based, ascending): `Some(score)` for
    /// `i < scores().len()`, `None` for the threshold above every score (and
    /// for any larger `i`).
    pub fn threshold(&self, i: usize) -> Option<f64> {
        self.scores.get(i).copied()
    }

    /// Confusion counts at threshold number `i` (see [`threshold`](Self::threshold));
    /// an `i` past the end counts as the threshold above every score.
    pub fn confusion_at_index(&self, i: usize) -> Confusion {
        let sel = self.selected.get(i).copied().unwrap_or(0);
        let tp = self.true_positives.get(i).copied().unwrap_or(0);
        let fp = sel - tp;
        Confusion { tp, fp, tn: self.negatives() - fp, fn_: self.positives - tp, selected: sel }
    }

    /// The index of the first threshold that selects exactly the rows with
    /// `score >= t`: the number of distinct scores below `t`.
    pub fn index_of(&self, t: f64) -> usize {
        if t.is_nan() {
            // `score >= NaN` is false for every score.
            return self.scores.len();
        }
        self.scores.partition_point(|&s| s < t)
    }

    /// Confusion counts when rows with `score >= t` are selected, for any `t`
    /// (`-inf` selects everybody; `+inf` and NaN nobody, as `score >= t` is
    /// false for them). O(log n).
    pub fn at(&self, t: f64) -> Confusion {
        self.confusion_at_index(self.index_of(t))
    }

    /// Every threshold in ascending order with its counts; the last has
    /// threshold `None` (above every score, nobody selected).
    pub fn iter(&self) -> impl Iterator<Item = (Option<f64>, Confusion)> + '_ {
        (0..self.len()).map(|i| (self.threshold(i), self.confusion_at_index(i)))
    }
}
