//! Score analysis: ROC/AUC, calibration, Brier score, threshold sweeps,
//! what-if threshold strategies and the NYC Local Law 144 scoring rate.
//!
//! # Design
//! Rows are counted once into a [`ScoreHistogram`] per group: for every distinct
//! score, the number of rows and the number of them whose true label is
//! positive. Histograms built separately (e.g. by parallel Web Workers over
//! parts of a file) combine exactly with [`ScoreHistogram::merge`]. Everything
//! else is a pure function of one or more histograms; nothing needs a second
//! pass over the rows.
//!
//! # Conventions
//! * **Scores** must be finite; NaN and ±infinity are rejected when a row is
//!   added ([`HistogramError`]). `-0.0` is stored as `0.0` (they are tied, as in
//!   numpy's comparisons).
//! * **Decision rule**: a row is *selected* (predicted positive) at threshold `t`
//!   when `score >= t`, as in scikit-learn's `roc_curve`.
//! * **Ties** are never broken by row order: all rows sharing a score cross a
//!   threshold together, so ROC points exist only at distinct scores and AUC
//!   gives half credit to tied positive/negative pairs (scikit-learn's result).
//! * **Undefined results** are never NaN or infinity: functions return
//!   `Err(`[`Undefined`]`)` (or an `Option` plus a reason string inside a larger
//!   result) saying why, e.g. "only negative labels are present".
//! * **Labels**: a histogram may hold unlabelled rows (score-only tools). Such a
//!   histogram still supports [`mean_score`] and [`scoring_rate`]; every
//!   label-based function returns [`UndefinedKind::MissingLabels`] for it.
//! * **Counts** are exact integers; a histogram holds at most [`MAX_ROWS`]
//!   (2^53) rows so every count converts to `f64` exactly.
//! * No panics on any input, no threads, no clocks: the module compiles for
//!   `wasm32-unknown-unknown` unchanged.

mod calibration;
mod distribution;
mod exact;
mod ll144;
mod odds;
mod roc;
mod strategies;
mod sweep;

pub use crate::config::{CalibrationBins, MAX_CALIBRATION_BINS};
// The histogram is what is counted, so it lives with the tallies.
pub use crate::tally::histogram::{Cell, HistogramError, OrderedScore, ScoreHistogram, MAX_ROWS};
pub use calibration::{brier_score, calibration, mean_score, CalibrationBin};
pub use distribution::{band_counts, score_bands, BandCount, ScoreBand, MAX_SCORE_BANDS};
pub use ll144::{scoring_rate, GroupScoringRate, ScoringRates};
pub use odds::MAX_EQUALIZED_ODDS_WORK;
pub use roc::{auc, auc_interval, roc_curve, AucInterval, RocPoint};
pub use strategies::{
    group_thresholds, group_thresholds_within, single_threshold_min_cost, FairnessCriterion, GroupOutcome,
    GroupThresholds, SingleThreshold, MAX_COST_RATIO, WHAT_IF_NOTE,
};
pub use sweep::{Confusion, ThresholdSweep};

use serde::Serialize;
use std::fmt;

/// What kind of reason makes a result undefined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UndefinedKind {
    /// There are no rows (in the histogram, or in a named group).
    NoRows,
    /// Some rows have no true label, so label-based figures cannot be computed.
    MissingLabels,
    /// Every labelled row is negative: rates over positives divide by zero.
    NoPositives,
    /// Every labelled row is positive: rates over negatives divide by zero.
    NoNegatives,
    /// Probability-based figures (calibration, Brier) need scores in [0, 1].
    ScoresOutsideUnitInterval,
    /// An argument is out of range (bin count, cost ratio, no groups, ...).
    InvalidArgument,
    /// The rows of all groups together exceed [`MAX_ROWS`].
    TooManyRows,
}

/// Why a figure has no value. Serialises as `{"kind": "...", "reason": "..."}`;
/// `reason` is a complete sentence fit for a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Undefined {
    /// What kind of reason it is.
    pub kind: UndefinedKind,
    /// Why there is no value, in plain English.
    pub reason: String,
}

impl Undefined {
    /// A reason of this kind.
    pub fn new(kind: UndefinedKind, reason: impl Into<String>) -> Self {
        Undefined { kind, reason: reason.into() }
    }

    pub(crate) fn no_rows(what: &str) -> Self {
        Undefined::new(UndefinedKind::NoRows, format!("there are no rows, so {what} is not defined"))
    }

    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        Undefined::new(UndefinedKind::InvalidArgument, reason)
    }

    /// Prefix the reason with a group name.
    pub(crate) fn in_group(mut self, group: &str) -> Self {
        self.reason = format!("group {group:?}: {}", self.reason);
        self
    }
}

impl fmt::Display for Undefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Undefined {}

/// Fail with [`UndefinedKind::MissingLabels`] unless every row has a label.
pub(crate) fn require_labels(h: &ScoreHistogram, what: &str) -> Result<(), Undefined> {
    match h.unlabelled_rows() {
        0 => Ok(()),
        k => Err(Undefined::new(
            UndefinedKind::MissingLabels,
            format!("{k} of {} rows have no true label, so {what} is not defined", h.rows()),
        )),
    }
}
