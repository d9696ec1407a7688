//! Calibration curve, Brier score and mean score.

use super::{require_labels, CalibrationBins, ScoreHistogram, Undefined, UndefinedKind, MAX_CALIBRATION_BINS};
use serde::Serialize;

/// One non-empty calibration bin.
///
/// A score `s` falls in the bin with edges `lower < s <= upper`, except that
/// the first bin also holds `s == lower` (scikit-learn's
/// `numpy.searchsorted(edges[1:-1], s)`, side "left": a score equal to an inner
/// edge belongs to the bin below it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CalibrationBin {
    /// The bin's lower edge: the bin holds scores above it (the first bin also
    /// holds a score equal to it).
    pub lower: f64,
    /// The bin's upper edge, which the bin includes.
    pub upper: f64,
    /// Rows in the bin (always >= 1: empty bins are dropped).
    pub n: u64,
    /// Rows in the bin with a positive true label.
    pub positives: u64,
    /// Mean score in the bin (scikit-learn's `prob_pred`).
    pub mean_score: f64,
    /// `positives / n` (scikit-learn's `prob_true`).
    pub observed_rate: f64,
    /// The observed rate's interval `[lower, upper]`, added by the report at
    /// its confidence and interval method: a bin of 2 or 3 rows says little.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_interval: Option<[f64; 2]>,
}

/// Neumaier-compensated sum, so sums over distinct scores stay accurate to a
/// few ulps whatever the order.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sum {
    s: f64,
    c: f64,
}

impl Sum {
    pub fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }

    pub fn value(self) -> f64 {
        self.s + self.c
    }
}

fn unit_interval(h: &ScoreHistogram, what: &str) -> Result<(), Undefined> {
    if let Some((lo, hi)) = h.min_max() {
        if lo < 0.0 || hi > 1.0 {
            return Err(Undefined::new(
                UndefinedKind::ScoresOutsideUnitInterval,
                format!(
                    "{what} needs scores that are probabilities in [0, 1], but the scores range from {lo} to {hi}; \
                     rescale them first"
                ),
            ));
        }
    }
    Ok(())
}

/// `numpy.linspace(0.0, 1.0, k + 1)`, bit for bit: `i * (1/k)`, last edge 1.
fn linspace01(k: usize) -> Vec<f64> {
    let step = 1.0 / k as f64;
    let mut v: Vec<f64> = (0..=k).map(|i| i as f64 * step).collect();
    if let Some(last) = v.last_mut() {
        *last = 1.0;
    }
    v
}

/// The calibration curve, matching
/// `sklearn.calibration.calibration_curve(y, s, n_bins=k, strategy=...)`:
/// scikit-learn returns `prob_true` (our `observed_rate`) and `prob_pred`
/// (`mean_score`) for the non-empty bins only, and so do we, in ascending
/// order, with the bin edges and counts added.
///
/// * Scores must lie in [0, 1]: otherwise the result is
///   [`UndefinedKind::ScoresOutsideUnitInterval`] (scikit-learn raises
///   "y_prob has values outside [0, 1]"), for both strategies.
/// * Quantile edges are `numpy.percentile(scores, linspace(0, 1, k + 1) * 100)`
///   with numpy's linear interpolation, read exactly from the histogram's
///   cumulative counts (order statistics), including numpy's
///   `b - (b - a)(1 - g)` form for `g >= 0.5`.
/// * Bins that receive no row are dropped (scikit-learn's `bin_total != 0`),
///   so fewer than `k` bins may come back.
/// * Undefined without rows, with unlabelled rows, or for `k = 0` or
///   `k > MAX_CALIBRATION_BINS`.
pub fn calibration(h: &ScoreHistogram, bins: CalibrationBins) -> Result<Vec<CalibrationBin>, Undefined> {
    let k = match bins {
        CalibrationBins::Uniform(k) | CalibrationBins::Quantile(k) => k,
    };
    if k == 0 || k > MAX_CALIBRATION_BINS {
        return Err(Undefined::invalid(format!(
            "the number of calibration bins must be between 1 and {MAX_CALIBRATION_BINS}, got {k}"
        )));
    }
    require_labels(h, "a calibration curve")?;
    if h.rows() == 0 {
        return Err(Undefined::no_rows("a calibration curve"));
    }
    unit_interval(h, "a calibration curve")?;
    let edges = match bins {
        CalibrationBins::Uniform(_) => linspace01(k),
        CalibrationBins::Quantile(_) => quantile_edges(h, k),
    };
    let inner = edges.get(1..k).unwrap_or(&[]);
    let mut acc: Vec<(u64, u64, Sum)> = vec![(0, 0, Sum::default()); k];
    for (s, c) in h.iter() {
        let b = inner.partition_point(|&e| e < s);
        if let Some(slot) = acc.get_mut(b) {
            slot.0 += c.n;
            slot.1 += c.positives;
            slot.2.add(c.n as f64 * s);
        }
    }
    let out = acc
        .iter()
        .enumerate()
        .filter(|(_, a)| a.0 > 0)
        .map(|(b, &(n, positives, sum))| CalibrationBin {
            lower: edges.get(b).copied().unwrap_or(0.0),
            upper: edges.get(b + 1).copied().unwrap_or(1.0),
            n,
            positives,
            mean_score: sum.value() / n as f64,
            observed_rate: positives as f64 / n as f64,
            observed_interval: None,
        })
        .collect();
    Ok(out)
}

/// Order statistics of a histogram: the `r`-th smallest score (0-based).
pub(crate) struct Ranks {
    scores: Vec<f64>,
    /// `cum[i]` = rows with score <= `scores[i]`.
    cum: Vec<u64>,
}

impl Ranks {
    pub fn new(h: &ScoreHistogram) -> Ranks {
        let mut cum = Vec::with_capacity(h.len());
        let mut t = 0u64;
        let scores = h
            .iter()
            .map(|(s, c)| {
                t += c.n;
                cum.push(t);
                s
            })
            .collect();
        Ranks { scores, cum }
    }

    pub fn rows(&self) -> u64 {
        self.cum.last().copied().unwrap_or(0)
    }

    /// The `r`-th smallest score (clamped to the largest for `r >= rows`).
    pub fn get(&self, r: u64) -> f64 {
        let i = self.cum.partition_point(|&c| c <= r);
        self.scores.get(i).or(self.scores.last()).copied().unwrap_or(0.0)
    }
}

/// `numpy.percentile(x, q * 100)` at `q = linspace(0, 1, k + 1)`, method "linear".
fn quantile_edges(h: &ScoreHistogram, k: usize) -> Vec<f64> {
    let ranks = Ranks::new(h);
    let n = ranks.rows();
    linspace01(k)
        .into_iter()
        .map(|q| {
            // numpy: percentile divides q·100 by 100 again; keep the rounding.
            let q = (q * 100.0) / 100.0;
            let vi = (n.saturating_sub(1)) as f64 * q;
            if vi >= (n.saturating_sub(1)) as f64 {
                return ranks.get(n.saturating_sub(1));
            }
            let prev = vi.floor();
            let gamma = vi - prev;
            let i = prev as u64;
            let (a, b) = (ranks.get(i), ranks.get(i + 1));
            let diff = b - a;
            if gamma >= 0.5 {
                b - diff * (1.0 - gamma)
            } else {
                a + diff * gamma
            }
        })
        .collect()
}

/// Mean squared difference between score and label (1 positive, 0 negative),
/// matching `sklearn.metrics.brier_score_loss`. Scores must lie in [0, 1]
/// (scikit-learn raises otherwise); undefined without rows or with unlabelled
/// rows. One label class alone is fine.
pub fn brier_score(h: &ScoreHistogram) -> Result<f64, Undefined> {
    require_labels(h, "the Brier score")?;
    if h.rows() == 0 {
        return Err(Undefined::no_rows("the Brier score"));
    }
    unit_interval(h, "the Brier score")?;
    let mut sum = Sum::default();
    for (s, c) in h.iter() {
        let neg = c.n - c.positives;
        sum.add(c.positives as f64 * ((1.0 - s) * (1.0 - s)));
        sum.add(neg as f64 * (s * s));
    }
    Ok(sum.value() / h.rows() as f64)
}

/// The mean score over all rows (labelled or not), as `numpy.mean`. Undefined
/// without rows. Never overflows: very large scores are summed scaled by 2^-128.
pub fn mean_score(h: &ScoreHistogram) -> Result<f64, Undefined> {
    let Some((lo, hi)) = h.min_max() else {
        return Err(Undefined::no_rows("the mean score"));
    };
    let scale = if lo.abs().max(hi.abs()) > 2f64.powi(900) { 2f64.powi(-128) } else { 1.0 };
    let mut sum = Sum::default();
    for (s, c) in h.iter() {
        sum.add(c.n as f64 * (s * scale));
    }
    let mean = sum.value() / h.rows() as f64 / scale;
    // The mean lies within [lo, hi]; clamp away any last-ulp excursion.
    Ok(mean.clamp(lo, hi))
}
