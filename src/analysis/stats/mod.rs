//! Pure statistics layer for fairness audits.
//!
//! Every function here is checked against scipy / statsmodels reference values
//! (see `tests/integration/stats_reference.rs` and `tests/fixtures/stats/`). No function
//! panics, and no output is NaN or infinite: where a quantity is undefined or
//! unbounded the result says so explicitly ([`Estimate`], `Option` bounds,
//! [`StatsError::Undefined`] with a reason).
//!
//! Conventions: counts are `u64`; a "group" is `x` selected out of `n`;
//! `confidence` is the two-sided coverage, e.g. `0.95` (so `alpha = 1 - confidence`).
//! 2x2 tables are `[[a, b], [c, d]]` with rows (group, reference) and
//! columns (selected, not selected), i.e. `[[x1, n1 - x1], [x2, n2 - x2]]`.

use serde::Serialize;
use std::fmt;

mod contingency;
mod fisher;
mod multitest;
mod power;
mod proportion;
mod special;
mod strata;
mod trend;

pub use contingency::{chi_squared_independence, ChiSquaredTest};
pub use fisher::{fisher_exact, FisherExact, MAX_EXACT_TOTAL};
pub use multitest::{benjamini_hochberg_adjust, holm_adjust};
pub use power::{
    detectable_gap, min_achievable_p, minimum_detectable_difference, two_proportion_power, DetectableDifference,
    PowerMethod, MAX_EXACT_POWER_WORK,
};
pub use proportion::{
    clopper_pearson_interval, katz_risk_ratio_interval, katz_risk_ratio_interval_effective, korn_graubard_interval,
    newcombe_difference_interval, newcombe_difference_interval_effective, two_proportion_z_test,
    two_proportion_z_test_effective, wilson_interval, wilson_interval_effective, Interval, RatioInterval, ZTest,
    MAX_EXACT_N,
};
pub(crate) use special::norm_isf;
pub use strata::{
    breslow_day_test, cochran_mantel_haenszel_test, mantel_haenszel_odds_ratio, BreslowDayTest, CmhTest,
    PooledOddsRatio, Stratum,
};
pub use trend::{cochran_armitage, TrendTest};

/// Why a statistic could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum StatsError {
    /// The inputs are malformed (e.g. successes greater than trials, a
    /// confidence level outside (0, 1), a p-value outside [0, 1]).
    InvalidInput(String),
    /// The inputs are valid but the quantity is not defined for them; the
    /// string says why (e.g. "pooled proportion is 0").
    Undefined(String),
}

impl fmt::Display for StatsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatsError::InvalidInput(s) => write!(f, "invalid input: {s}"),
            StatsError::Undefined(s) => write!(f, "undefined: {s}"),
        }
    }
}

impl std::error::Error for StatsError {}

/// A point estimate that may be infinite or undefined (instead of `inf`/`NaN`).
/// In JSON: a number, the string `"infinite"`, or `{"undefined": reason}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Estimate {
    /// A finite value.
    Finite(f64),
    /// Positive infinity (e.g. a ratio with a zero denominator and a positive numerator).
    Infinite,
    /// Not defined (e.g. 0/0), with the reason.
    Undefined(&'static str),
}

impl Serialize for Estimate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Estimate::Finite(v) => s.serialize_f64(*v),
            Estimate::Infinite => s.serialize_str("infinite"),
            Estimate::Undefined(why) => crate::analysis::undefined::serialize_reason(why, s),
        }
    }
}

impl schemars::JsonSchema for Estimate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Estimate".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let undefined = crate::analysis::undefined::schema(generator);
        schemars::json_schema!({
            "description": "A finite number, the string \"infinite\", or why it is not defined.",
            "anyOf": [{ "type": "number" }, { "const": "infinite" }, undefined]
        })
    }
}

impl Estimate {
    /// The finite value, if any.
    pub fn finite(self) -> Option<f64> {
        match self {
            Estimate::Finite(v) => Some(v),
            _ => None,
        }
    }
}

/// Validate a confidence level and return `alpha = 1 - confidence`.
fn alpha_from_confidence(confidence: f64) -> Result<f64, StatsError> {
    if confidence.is_finite() && confidence > 0.0 && confidence < 1.0 {
        Ok(1.0 - confidence)
    } else {
        Err(StatsError::InvalidInput(format!("confidence must be strictly between 0 and 1, got {confidence}")))
    }
}

/// Validate one group's effective counts (finite, `0 <= x <= n`, `n > 0`).
fn check_effective(x: f64, n: f64, what: &str) -> Result<(), StatsError> {
    if !(x.is_finite() && n.is_finite() && x >= 0.0 && x <= n * (1.0 + 1e-12)) {
        return Err(StatsError::InvalidInput(format!("{what}: effective count {x} is not between 0 and {n}")));
    }
    if n <= 0.0 {
        return Err(StatsError::Undefined(format!("{what}: the group has no observations")));
    }
    Ok(())
}

/// Validate one group's counts.
fn check_counts(x: u64, n: u64, what: &str) -> Result<(), StatsError> {
    if x > n {
        return Err(StatsError::InvalidInput(format!("{what}: selected count {x} exceeds group size {n}")));
    }
    if n == 0 {
        return Err(StatsError::Undefined(format!("{what}: the group has no observations")));
    }
    Ok(())
}
