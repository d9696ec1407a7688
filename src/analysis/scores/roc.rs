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

/// The AUC with DeLong's standard error and a normal-approximation interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AucInterval {
    /// DeLong, DeLong & Clarke-Pearson (1988): `sqrt(S10/m + S01/n)` from the
    /// placement values of the m positives and n negatives.
    pub standard_error: f64,
    /// `max(0, AUC − z·SE)`, z the normal quantile at the confidence.
    pub lower: f64,
    /// `min(1, AUC + z·SE)`.
    pub upper: f64,
    /// The two-sided confidence of the range, e.g. 0.95.
    pub confidence: f64,
}

/// DeLong's interval for the AUC (pROC's `ci.auc(method = "delong")`): each
/// positive's placement is the share of negatives it outscores (ties half),
/// each negative's the share of positives that outscore it; the AUC's
/// variance is `var(positive placements)/m + var(negative placements)/n`
/// (sample variances). Rows sharing a score share a placement, so this is one
/// pass over the distinct scores.
///
/// Undefined where [`auc`] is, with fewer than 2 positives or 2 negatives (no
/// variance), and when the standard error is 0 (every positive above every
/// negative, or the reverse), where the method gives no range at all.
pub fn auc_interval(h: &ScoreHistogram, confidence: f64) -> Result<AucInterval, Undefined> {
    let area = auc(h)?;
    if confidence.is_nan() || confidence <= 0.0 || confidence >= 1.0 {
        return Err(Undefined::invalid(format!("the confidence must lie between 0 and 1, got {confidence}")));
    }
    let (m, n) = (h.positives(), h.negatives());
    if m < 2 || n < 2 {
        return Err(Undefined::new(
            if m < 2 { UndefinedKind::NoPositives } else { UndefinedKind::NoNegatives },
            format!("DeLong's range needs at least 2 positive and 2 negative labels ({m} and {n} here)"),
        ));
    }
    let (mf, nf) = (m as f64, n as f64);
    // Placements: a positive at s outscores the negatives below s and half those at s;
    // a negative at s is outscored by the positives above s and half those at s.
    let mut negatives_below = 0u64;
    let mut positives_above = m;
    let (mut sum10, mut sq10, mut sum01, mut sq01) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (_, c) in h.iter() {
        let neg = c.n - c.positives;
        positives_above -= c.positives;
        let v10 = (negatives_below as f64 + 0.5 * neg as f64) / nf;
        let v01 = (positives_above as f64 + 0.5 * c.positives as f64) / mf;
        sum10 += c.positives as f64 * v10;
        sq10 += c.positives as f64 * v10 * v10;
        sum01 += neg as f64 * v01;
        sq01 += neg as f64 * v01 * v01;
        negatives_below += neg;
    }
    let s10 = ((sq10 - sum10 * sum10 / mf) / (mf - 1.0)).max(0.0);
    let s01 = ((sq01 - sum01 * sum01 / nf) / (nf - 1.0)).max(0.0);
    let se = (s10 / mf + s01 / nf).sqrt();
    if se.is_nan() || se <= 1e-12 {
        return Err(Undefined::new(
            UndefinedKind::InvalidArgument,
            format!(
                "the AUC is {area}: the scores separate the labels completely, and DeLong's method gives no range for that"
            ),
        ));
    }
    let z = crate::stats::norm_isf((1.0 - confidence) / 2.0);
    Ok(AucInterval { standard_error: se, lower: (area - z * se).max(0.0), upper: (area + z * se).min(1.0), confidence })
}
