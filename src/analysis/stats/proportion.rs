//! Single-proportion intervals and two-proportion comparisons.

use serde::Serialize;

use super::special::{binom_cdf_le, binom_sf_ge, dbinom, norm_isf, norm_sf, solve_unit_interval};
use super::{alpha_from_confidence, check_counts, check_effective, Estimate, StatsError};

/// A point estimate with a two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Interval {
    /// Point estimate (a proportion, or a difference of proportions).
    pub estimate: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

/// Wilson score interval for `x / n`, no continuity correction;
/// matches statsmodels `proportion_confint(x, n, alpha, method="wilson")`.
///
/// The bounds are clipped to [0, 1] as statsmodels does; for `x == 0` the lower
/// bound is exactly 0 and for `x == n` the upper bound is exactly 1.
pub fn wilson_interval(x: u64, n: u64, confidence: f64) -> Result<Interval, StatsError> {
    check_counts(x, n, "wilson_interval")?;
    let alpha = alpha_from_confidence(confidence)?;
    let (lower, upper) = wilson_bounds(x as f64, n as f64, alpha);
    Ok(Interval { estimate: x as f64 / n as f64, lower, upper })
}

/// [`wilson_interval`] for effective counts, which need not be whole: a
/// weighted rate `x / n` with Kish's effective size `n`. Equal to
/// `wilson_interval` on whole counts.
pub fn wilson_interval_effective(x: f64, n: f64, confidence: f64) -> Result<Interval, StatsError> {
    check_effective(x, n, "wilson_interval_effective")?;
    let alpha = alpha_from_confidence(confidence)?;
    let (lower, upper) = wilson_bounds(x, n, alpha);
    Ok(Interval { estimate: x / n, lower, upper })
}

/// Korn–Graubard interval: Clopper–Pearson's beta quantiles at effective
/// counts `x / n` (Korn & Graubard 1998), for a weighted rate.
pub fn korn_graubard_interval(x: f64, n: f64, confidence: f64) -> Result<Interval, StatsError> {
    use statrs::distribution::{Beta, ContinuousCDF};
    check_effective(x, n, "korn_graubard_interval")?;
    let alpha = alpha_from_confidence(confidence)?;
    let quantile = |a: f64, b: f64, p: f64| {
        Beta::new(a, b).map(|d| d.inverse_cdf(p)).map_err(|e| StatsError::InvalidInput(e.to_string()))
    };
    let lower = if x <= 0.0 { 0.0 } else { quantile(x, n - x + 1.0, alpha / 2.0)? };
    let upper = if x >= n { 1.0 } else { quantile(x + 1.0, n - x, 1.0 - alpha / 2.0)? };
    Ok(Interval { estimate: x / n, lower, upper })
}

fn wilson_bounds(x: f64, nf: f64, alpha: f64) -> (f64, f64) {
    let q = x / nf;
    let crit = norm_isf(alpha / 2.0);
    let crit2 = crit * crit;
    let denom = 1.0 + crit2 / nf;
    let center = (q + crit2 / (2.0 * nf)) / denom;
    let dist = crit * (q * (1.0 - q) / nf + crit2 / (4.0 * nf * nf)).sqrt() / denom;
    let mut lower = (center - dist).clamp(0.0, 1.0);
    let mut upper = (center + dist).clamp(0.0, 1.0);
    if x == 0.0 {
        lower = 0.0;
    }
    if x == nf {
        upper = 1.0;
    }
    (lower, upper)
}

/// Largest group size accepted by [`clopper_pearson_interval`].
pub const MAX_EXACT_N: u64 = 1 << 40;

/// Clopper–Pearson exact interval for `x / n`; matches statsmodels
/// `proportion_confint(x, n, alpha, method="beta")` (i.e. scipy `beta.ppf`/`beta.isf`).
///
/// The lower bound is exactly 0 when `x == 0` and the upper bound exactly 1 when `x == n`.
/// Computed by inverting binomial tails summed with Loader's pmf (work grows like
/// sqrt(n)); `n` above [`MAX_EXACT_N`] (2^40) is rejected as invalid input.
pub fn clopper_pearson_interval(x: u64, n: u64, confidence: f64) -> Result<Interval, StatsError> {
    check_counts(x, n, "clopper_pearson_interval")?;
    if n > MAX_EXACT_N {
        return Err(StatsError::InvalidInput(format!(
            "group size {n} exceeds the supported maximum of 2^40 for the exact interval"
        )));
    }
    let alpha = alpha_from_confidence(confidence)?;
    let t = alpha / 2.0;
    let nf = n as f64;
    let (wl, wu) = wilson_bounds(x as f64, nf, alpha);
    // Lower: P(X >= x; n, p) = t  (x >= 1).
    let lower = if x == 0 {
        0.0
    } else if x == n {
        (t.ln() / nf).exp()
    } else if x == 1 {
        -((-t).ln_1p() / nf).exp_m1()
    } else {
        let f = |p: f64| {
            let v = binom_sf_ge(x, n, p) - t;
            let d = nf * dbinom(x - 1, n - 1, p, 1.0 - p);
            (v, d)
        };
        solve_unit_interval(f, true, wl)
    };
    // Upper: P(X <= x; n, p) = t  (x <= n - 1).
    let upper = if x == n {
        1.0
    } else if x == 0 {
        -(t.ln() / nf).exp_m1()
    } else if x == n - 1 {
        ((-t).ln_1p() / nf).exp()
    } else {
        let f = |p: f64| {
            let v = binom_cdf_le(x, n, p) - t;
            let d = -nf * dbinom(x, n - 1, p, 1.0 - p);
            (v, d)
        };
        solve_unit_interval(f, false, wu)
    };
    Ok(Interval { estimate: x as f64 / nf, lower, upper })
}

/// Ratio `p1 / p2` (group over reference) with a Katz log interval.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RatioInterval {
    /// The ratio `p1 / p2`: `Infinite` when only the reference has no
    /// selections, `Undefined` when neither group has any.
    pub ratio: Estimate,
    /// Lower confidence limit (always finite, >= 0).
    pub lower: f64,
    /// Upper confidence limit; `None` means unbounded.
    pub upper: Option<f64>,
    /// True when a bound comes from the 0.5-adjusted interval (zero counts).
    pub adjusted: bool,
    /// Explanation when a zero count changed how the interval was formed.
    pub note: Option<String>,
}

/// Katz log interval for the risk ratio `(x1/n1) / (x2/n2)`; matches statsmodels
/// `confint_proportions_2indep(x1, n1, x2, n2, compare="ratio", method="log", alpha)`.
///
/// Zero counts (where statsmodels "log" returns NaN/inf):
/// * `x1 == 0 < x2`: ratio 0, lower 0, upper from statsmodels `method="log-adjusted"`
///   (0.5 added to both counts and both sizes); `adjusted = true`.
/// * `x2 == 0 < x1`: ratio infinite, upper unbounded (`None`), lower from
///   `method="log-adjusted"`; `adjusted = true`.
/// * `x1 == x2 == 0`: ratio undefined, lower 0, upper unbounded.
pub fn katz_risk_ratio_interval(
    x1: u64,
    n1: u64,
    x2: u64,
    n2: u64,
    confidence: f64,
) -> Result<RatioInterval, StatsError> {
    check_counts(x1, n1, "katz_risk_ratio_interval (group)")?;
    check_counts(x2, n2, "katz_risk_ratio_interval (reference)")?;
    katz(x1 as f64, n1 as f64, x2 as f64, n2 as f64, confidence)
}

/// [`katz_risk_ratio_interval`] for effective counts (a ratio of weighted
/// rates, with Kish's effective sizes: a linearised variance).
pub fn katz_risk_ratio_interval_effective(
    x1: f64,
    n1: f64,
    x2: f64,
    n2: f64,
    confidence: f64,
) -> Result<RatioInterval, StatsError> {
    check_effective(x1, n1, "katz_risk_ratio_interval_effective (group)")?;
    check_effective(x2, n2, "katz_risk_ratio_interval_effective (reference)")?;
    katz(x1, n1, x2, n2, confidence)
}

fn katz(x1: f64, n1: f64, x2: f64, n2: f64, confidence: f64) -> Result<RatioInterval, StatsError> {
    let alpha = alpha_from_confidence(confidence)?;
    let z = norm_isf(alpha / 2.0);
    // `add` to the counts and `add_n` to the sizes.
    let katz_with = |add: f64, add_n: f64| -> (f64, f64, f64) {
        let c1 = x1 + add;
        let m1 = n1 + add_n;
        let c2 = x2 + add;
        let m2 = n2 + add_n;
        let ratio = (c1 / m1) / (c2 / m2);
        let var = 1.0 / c1 - 1.0 / m1 + 1.0 / c2 - 1.0 / m2;
        let d = z * var.max(0.0).sqrt();
        let lr = ratio.ln();
        (ratio, (lr - d).exp(), (lr + d).exp())
    };
    let katz = |add: f64| katz_with(add, add);
    match (x1 > 0.0, x2 > 0.0) {
        (false, false) => Ok(RatioInterval {
            ratio: Estimate::Undefined("neither group has the outcome, so the ratio is 0/0"),
            lower: 0.0,
            upper: None,
            adjusted: false,
            note: Some("ratio undefined: neither the group nor the reference group has selections".to_string()),
        }),
        (false, true) => {
            let (_, _, upper) = katz(0.5);
            Ok(RatioInterval {
                ratio: Estimate::Finite(0.0),
                lower: 0.0,
                upper: finite_or_none(upper),
                adjusted: true,
                note: Some(
                    "the group has no selections: ratio 0, lower limit 0, upper limit from the \
                     0.5-adjusted Katz interval"
                        .to_string(),
                ),
            })
        }
        (true, false) => {
            let (_, lower, _) = katz(0.5);
            Ok(RatioInterval {
                ratio: Estimate::Infinite,
                lower: if lower.is_finite() { lower } else { 0.0 },
                upper: None,
                adjusted: true,
                note: Some(
                    "upper limit unbounded because the reference group has no selections; \
                     lower limit from the 0.5-adjusted Katz interval"
                        .to_string(),
                ),
            })
        }
        // Everyone in a group has the outcome: its term of the log variance
        // (1/x − 1/n) is 0, so the range would be as narrow as if that group
        // were infinitely large: one person would look certain. The limits
        // come from the Haldane–Anscombe interval (0.5 added to each of the
        // four cells); the ratio stays the observed one.
        (true, true) if x1 >= n1 || x2 >= n2 => {
            let (_, lower, upper) = katz_with(0.5, 1.0);
            let ratio = (x1 / n1) / (x2 / n2);
            Ok(RatioInterval {
                ratio: Estimate::Finite(ratio),
                lower: lower.min(ratio),
                upper: finite_or_none(upper.max(ratio)),
                adjusted: true,
                note: Some(
                    "everyone in a group has the outcome, so the limits come from the Haldane–Anscombe \
                     interval (0.5 added to each cell): the plain Katz interval would be too narrow"
                        .to_string(),
                ),
            })
        }
        (true, true) => {
            let (ratio, lower, upper) = katz(0.0);
            Ok(RatioInterval {
                ratio: Estimate::Finite(ratio),
                lower,
                upper: finite_or_none(upper),
                adjusted: false,
                note: None,
            })
        }
    }
}

fn finite_or_none(v: f64) -> Option<f64> {
    if v.is_finite() {
        Some(v)
    } else {
        None
    }
}

/// Newcombe hybrid score interval (method 10) for `p1 - p2`; matches statsmodels
/// `confint_proportions_2indep(x1, n1, x2, n2, compare="diff", method="newcomb", alpha)`.
pub fn newcombe_difference_interval(
    x1: u64,
    n1: u64,
    x2: u64,
    n2: u64,
    confidence: f64,
) -> Result<Interval, StatsError> {
    check_counts(x1, n1, "newcombe_difference_interval (group)")?;
    check_counts(x2, n2, "newcombe_difference_interval (reference)")?;
    newcombe(x1 as f64, n1 as f64, x2 as f64, n2 as f64, confidence)
}

/// [`newcombe_difference_interval`] for effective counts (weighted rates).
pub fn newcombe_difference_interval_effective(
    x1: f64,
    n1: f64,
    x2: f64,
    n2: f64,
    confidence: f64,
) -> Result<Interval, StatsError> {
    check_effective(x1, n1, "newcombe_difference_interval_effective (group)")?;
    check_effective(x2, n2, "newcombe_difference_interval_effective (reference)")?;
    newcombe(x1, n1, x2, n2, confidence)
}

fn newcombe(x1: f64, n1: f64, x2: f64, n2: f64, confidence: f64) -> Result<Interval, StatsError> {
    let alpha = alpha_from_confidence(confidence)?;
    let p1 = x1 / n1;
    let p2 = x2 / n2;
    let (l1, u1) = wilson_bounds(x1, n1, alpha);
    let (l2, u2) = wilson_bounds(x2, n2, alpha);
    let diff = p1 - p2;
    let d_low = ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let d_upp = ((p2 - l2).powi(2) + (u1 - p1).powi(2)).sqrt();
    Ok(Interval { estimate: diff, lower: diff - d_low, upper: diff + d_upp })
}

/// Result of a two-sided two-proportion z-test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ZTest {
    /// z statistic `(p1 - p2) / se_pooled`.
    pub z: f64,
    /// Two-sided p-value `2 * P(Z > |z|)`.
    pub p_value: f64,
}

/// Pooled two-proportion z-test, two-sided; matches statsmodels
/// `proportions_ztest([x1, x2], [n1, n2])` (pooled variance `p(1-p)(1/n1 + 1/n2)`).
///
/// Undefined (with a reason) when the pooled proportion is 0 or 1.
pub fn two_proportion_z_test(x1: u64, n1: u64, x2: u64, n2: u64) -> Result<ZTest, StatsError> {
    check_counts(x1, n1, "two_proportion_z_test (group)")?;
    check_counts(x2, n2, "two_proportion_z_test (reference)")?;
    z_test(x1 as f64, n1 as f64, x2 as f64, n2 as f64)
}

/// [`two_proportion_z_test`] for effective counts: with Kish's effective
/// sizes this is the two-group test with a first-order design-effect
/// correction (Rao–Scott).
pub fn two_proportion_z_test_effective(x1: f64, n1: f64, x2: f64, n2: f64) -> Result<ZTest, StatsError> {
    check_effective(x1, n1, "two_proportion_z_test_effective (group)")?;
    check_effective(x2, n2, "two_proportion_z_test_effective (reference)")?;
    z_test(x1, n1, x2, n2)
}

fn z_test(x1f: f64, n1f: f64, x2f: f64, n2f: f64) -> Result<ZTest, StatsError> {
    let pooled = (x1f + x2f) / (n1f + n2f);
    if x1f == 0.0 && x2f == 0.0 {
        return Err(StatsError::Undefined(
            "pooled proportion is 0 (no selections in either group), so the z statistic is 0/0".to_string(),
        ));
    }
    if x1f == n1f && x2f == n2f {
        return Err(StatsError::Undefined(
            "pooled proportion is 1 (everyone selected in both groups), so the z statistic is 0/0".to_string(),
        ));
    }
    let se = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    let z = (x1f / n1f - x2f / n2f) / se;
    if !z.is_finite() {
        return Err(StatsError::Undefined("standard error underflowed to 0".to_string()));
    }
    Ok(ZTest { z, p_value: (2.0 * norm_sf(z.abs())).min(1.0) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_where_everyone_has_the_outcome_gets_a_range_not_certainty() {
        // 1 of 1 against 1 of 2: the plain Katz variance would be 1/1 − 1/1 + 1/1 − 1/2,
        // as if the group of one were of any size. Haldane–Anscombe: (1.5/2) / (1.5/3) = 1.5,
        // variance 1/1.5 − 1/2 + 1/1.5 − 1/3 = 0.5 (scipy norm.isf(0.025) for z).
        let r = katz_risk_ratio_interval(1, 1, 1, 2, 0.95).unwrap();
        assert_eq!(r.ratio, Estimate::Finite(2.0));
        assert!((r.lower - 0.375_146_479_889_859_5).abs() < 1e-13, "{r:?}");
        assert!((r.upper.unwrap() - 5.997_657_236_876_073).abs() < 1e-12, "{r:?}");
        assert!(r.adjusted && r.note.is_some());
        // Where no group is all of one outcome the interval is statsmodels' "log" one, unadjusted.
        assert!(!katz_risk_ratio_interval(1, 2, 1, 2, 0.95).unwrap().adjusted);
    }

    #[test]
    fn wilson_hand_value() {
        // x=5, n=10, z=1.959963984540054: center 0.5, half-width
        // z*sqrt(0.025 + z^2/400)/(1+z^2/10)
        let z: f64 = 1.959_963_984_540_054;
        let hw = z * (0.025 + z * z / 400.0).sqrt() / (1.0 + z * z / 10.0);
        let w = wilson_interval(5, 10, 0.95).unwrap();
        assert!((w.lower - (0.5 - hw)).abs() < 1e-14);
        assert!((w.upper - (0.5 + hw)).abs() < 1e-14);
    }

    #[test]
    fn clopper_pearson_closed_forms() {
        // x = 0: upper = 1 - (alpha/2)^(1/n); x = n: lower = (alpha/2)^(1/n)
        let ci = clopper_pearson_interval(0, 20, 0.95).unwrap();
        assert_eq!(ci.lower, 0.0);
        assert!((ci.upper - (1.0 - 0.025f64.powf(1.0 / 20.0))).abs() < 1e-15);
        let ci = clopper_pearson_interval(20, 20, 0.95).unwrap();
        assert_eq!(ci.upper, 1.0);
        assert!((ci.lower - 0.025f64.powf(1.0 / 20.0)).abs() < 1e-15);
        // n = 2, x = 1: lower solves 1-(1-p)^2 = 0.025, upper symmetric.
        let ci = clopper_pearson_interval(1, 2, 0.95).unwrap();
        let l = 1.0 - 0.975f64.sqrt();
        assert!((ci.lower - l).abs() < 1e-15);
        assert!((ci.upper - (1.0 - l)).abs() < 1e-15);
    }

    #[test]
    fn z_test_hand_value() {
        // 30/100 vs 50/100: pooled 0.4, se = sqrt(0.24*0.02)
        let t = two_proportion_z_test(30, 100, 50, 100).unwrap();
        let z = -0.2 / (0.24f64 * 0.02).sqrt();
        assert!((t.z - z).abs() < 1e-14);
        assert!(matches!(two_proportion_z_test(0, 5, 0, 7), Err(StatsError::Undefined(_))));
    }
}
