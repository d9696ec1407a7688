//! ROC curve and AUC, as scikit-learn computes them.

use super::{require_labels, ScoreHistogram, Undefined, UndefinedKind};
use serde::Serialize;

/// One point of the ROC curve: selecting rows with `score >= threshold` gives
/// false-positive rate `fpr` and true-positive rate `tpr` (`fp`/`tp` rows).
/// `threshold` is `None` for the first point (nobody selected), where
/// scikit-learn puts `inf`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RocPoint {
    /// Rows with `score ≥ threshold` are selected; `null` for the first point,
    /// where nobody is (scikit-learn: `inf`).
    pub threshold: Option<f64>,
    /// False positive rate at this threshold: `fp` over the rows with a
    /// negative label.
    pub fpr: f64,
    /// True positive rate at this threshold: `tp` over the rows with a positive
    /// label.
    pub tpr: f64,
    /// Selected rows with a negative label.
    pub fp: u64,
    /// Selected rows with a positive label.
    pub tp: u64,
}

/// Both label classes must be present (and every row labelled).
fn check_classes(h: &ScoreHistogram, what: &str) -> Result<(), Undefined> {
    require_labels(h, what)?;
    if h.rows() == 0 {
        return Err(Undefined::no_rows(what));
    }
    if h.positives() == 0 {
        return Err(Undefined::new(
            UndefinedKind::NoPositives,
            format!("only negative labels are present ({} rows, no positives), so {what} is not defined", h.rows()),
        ));
    }
    if h.negatives() == 0 {
        return Err(Undefined::new(
            UndefinedKind::NoNegatives,
            format!("only positive labels are present ({} rows, no negatives), so {what} is not defined", h.rows()),
        ));
    }
    Ok(())
}

/// The ROC curve with one point per distinct score, as
/// `sklearn.metrics.roc_curve(y, s, drop_intermediate=False)`: first
/// `(None, 0, 0)`, then for each distinct score `t` from highest to lowest the
/// rates of `score >= t`; the last point is `(min score, 1, 1)`.
///
/// Undefined without rows, with unlabelled rows, or when only one label class
/// is present (scikit-learn returns NaN rates with a warning there).
pub fn roc_curve(h: &ScoreHistogram) -> Result<Vec<RocPoint>, Undefined> {
    check_classes(h, "the ROC curve")?;
    let (p, n) = (h.positives() as f64, h.negatives() as f64);
    let mut out = Vec::with_capacity(h.len() + 1);
    out.push(RocPoint { threshold: None, fpr: 0.0, tpr: 0.0, fp: 0, tp: 0 });
    let (mut tp, mut fp) = (0u64, 0u64);
    for (s, c) in h.iter().rev() {
        tp += c.positives;
        fp += c.n - c.positives;
        out.push(RocPoint { threshold: Some(s), fpr: fp as f64 / n, tpr: tp as f64 / p, fp, tp });
    }
    Ok(out)
}

/// Area under the ROC curve, equal to `sklearn.metrics.roc_auc_score`: the
/// trapezoid rule over the distinct thresholds, i.e. the Mann–Whitney
/// probability that a random positive scores above a random negative, with
/// half credit for ties. Computed exactly in integers, then divided once.
///
/// Undefined in the same cases as [`roc_curve`] (scikit-learn raises "Only one
/// class present in y_true").
pub fn auc(h: &ScoreHistogram) -> Result<f64, Undefined> {
    check_classes(h, "ROC AUC")?;
    // Σ pos(s) · (2·neg_below(s) + neg(s)) / (2·P·N); all terms < 2^108.
    let mut num: u128 = 0;
    let mut neg_below: u128 = 0;
    for (_, c) in h.iter() {
        let neg = u128::from(c.n - c.positives);
        num += u128::from(c.positives) * (2 * neg_below + neg);
        neg_below += neg;
    }
    let den = 2 * u128::from(h.positives()) * u128::from(h.negatives());
    Ok(num as f64 / den as f64)
}
