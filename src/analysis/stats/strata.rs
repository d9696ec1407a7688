//! Stratified 2x2xK analysis: Cochran–Mantel–Haenszel test, Mantel–Haenszel
//! pooled odds ratio with the Robins–Breslow–Greenland interval, Breslow–Day test.
//!
//! Orientation (same as statsmodels `StratifiedTable(tables)` where each table is
//! `[[a, b], [c, d]]`): rows are (group, reference), columns are (selected, not
//! selected). The odds ratio is `a*d / (b*c)`: the odds of selection in the group
//! relative to the reference. All three procedures are invariant to transposing
//! every stratum.
//!
//! Strata with a zero row or column total (including empty strata and strata of
//! size 1) carry no information about association; statsmodels propagates NaN for
//! them. They are skipped here (`strata_skipped` says how many), which gives exactly
//! the statsmodels result on the remaining strata.

use serde::Serialize;

use super::special::{chi2_sf, norm_isf};
use super::{alpha_from_confidence, Estimate, StatsError};

/// One stratum `[[a, b], [c, d]]` (rows group/reference, columns selected/not selected).
pub type Stratum = [[u64; 2]; 2];

/// Per-stratum quantities (as f64), for informative strata only.
struct S {
    a: f64,
    apb: f64,
    apc: f64,
    bpd: f64,
    cpd: f64,
    ad: f64,
    bc: f64,
    apd: f64,
    dma: f64,
    n: f64,
}

fn informative(strata: &[Stratum]) -> (Vec<S>, usize) {
    let mut out = Vec::with_capacity(strata.len());
    for t in strata {
        let [[a, b], [c, d]] = *t;
        let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
        let (apb, apc, bpd, cpd) = (a + b, a + c, b + d, c + d);
        if apb == 0.0 || apc == 0.0 || bpd == 0.0 || cpd == 0.0 {
            continue;
        }
        out.push(S { a, apb, apc, bpd, cpd, ad: a * d, bc: b * c, apd: a + d, dma: d - a, n: a + b + c + d });
    }
    let skipped = strata.len() - out.len();
    (out, skipped)
}

fn skip_note(skipped: usize) -> Option<String> {
    if skipped > 0 {
        Some(format!(
            "{skipped} stratum/strata skipped because a row or column total is zero \
             (no information about association)"
        ))
    } else {
        None
    }
}

/// Result of the Cochran–Mantel–Haenszel test of a common odds ratio of 1.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CmhTest {
    /// Chi-squared statistic (1 degree of freedom).
    pub statistic: f64,
    /// Upper-tail p-value.
    pub p_value: f64,
    /// Whether the 0.5 continuity correction was applied.
    pub continuity_correction: bool,
    /// Number of strata used.
    pub strata_used: usize,
    /// Number of strata skipped (zero row or column total).
    pub strata_skipped: usize,
    /// Explanation of skipped strata or of the correction's clamping.
    pub note: Option<String>,
}

/// Cochran–Mantel–Haenszel test (1 dof); matches statsmodels
/// `StratifiedTable(tables).test_null_odds(correction)` on the informative strata.
///
/// With the correction, `(|sum(a - E[a])| - 0.5)^2` is used as statsmodels does,
/// except that the corrected deviation is floored at 0 when `|sum(a - E[a])| < 0.5`
/// (the same `min(0.5, |O - E|)` rule as scipy's Yates correction; statsmodels would
/// square a negative deviation and can *increase* the statistic there).
pub fn cochran_mantel_haenszel_test(strata: &[Stratum], continuity_correction: bool) -> Result<CmhTest, StatsError> {
    let (s, skipped) = informative(strata);
    if s.is_empty() {
        return Err(StatsError::Undefined("no stratum has both groups and both outcomes present".to_string()));
    }
    let dev: f64 = s.iter().map(|t| t.a - t.apb * t.apc / t.n).sum();
    let mut dev = dev.abs();
    let mut notes: Vec<String> = skip_note(skipped).into_iter().collect();
    if continuity_correction {
        if dev < 0.5 {
            notes.push(
                "continuity correction capped: |sum(a - E[a])| < 0.5, so the corrected \
                 deviation is 0"
                    .to_string(),
            );
        }
        dev = (dev - 0.5).max(0.0);
    }
    let note = if notes.is_empty() { None } else { Some(notes.join("; ")) };
    let var: f64 = s.iter().map(|t| t.apb * t.apc * t.bpd * t.cpd / (t.n * t.n * (t.n - 1.0))).sum();
    if var <= 0.0 {
        return Err(StatsError::Undefined("the null variance of sum(a) is zero".to_string()));
    }
    let statistic = dev * dev / var;
    let p_value = chi2_sf(statistic, 1)
        .ok_or_else(|| StatsError::Undefined("chi-squared tail probability could not be evaluated".to_string()))?;
    Ok(CmhTest { statistic, p_value, continuity_correction, strata_used: s.len(), strata_skipped: skipped, note })
}

/// Mantel–Haenszel pooled odds ratio with its confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PooledOddsRatio {
    /// `sum(a d / n) / sum(b c / n)`: `Infinite` if the denominator is 0,
    /// `Undefined` if both sums are 0.
    pub odds_ratio: Estimate,
    /// Standard error of the log pooled odds ratio (Robins–Breslow–Greenland);
    /// `None` when the odds ratio is 0, infinite or undefined.
    pub log_se: Option<f64>,
    /// `(lower, upper)` confidence limits, `None` when `log_se` is `None`.
    pub ci: Option<(f64, f64)>,
    /// Number of strata used.
    pub strata_used: usize,
    /// Number of strata skipped (zero row or column total).
    pub strata_skipped: usize,
    /// Explanation of skipped strata or of a missing interval.
    pub note: Option<String>,
}

/// Mantel–Haenszel pooled odds ratio and its Wald interval on the log scale with the
/// Robins–Breslow–Greenland variance; matches statsmodels `StratifiedTable(tables)`
/// `.oddsratio_pooled`, `.logodds_pooled_se` and `.oddsratio_pooled_confint(alpha)`.
pub fn mantel_haenszel_odds_ratio(strata: &[Stratum], confidence: f64) -> Result<PooledOddsRatio, StatsError> {
    let alpha = alpha_from_confidence(confidence)?;
    let (s, skipped) = informative(strata);
    if s.is_empty() {
        return Err(StatsError::Undefined("no stratum has both groups and both outcomes present".to_string()));
    }
    let adns: f64 = s.iter().map(|t| t.ad / t.n).sum();
    let bcns: f64 = s.iter().map(|t| t.bc / t.n).sum();
    let base_note = skip_note(skipped);
    let with_note = |extra: &str| -> Option<String> {
        Some(match &base_note {
            Some(b) => format!("{b}; {extra}"),
            None => extra.to_string(),
        })
    };
    if adns == 0.0 || bcns == 0.0 {
        let (odds_ratio, why) = if adns == 0.0 && bcns == 0.0 {
            (
                Estimate::Undefined("every stratum has a·d = 0 and b·c = 0, so the pooled odds ratio is 0/0"),
                "pooled odds ratio undefined: every stratum has a*d = 0 and b*c = 0",
            )
        } else if bcns == 0.0 {
            (Estimate::Infinite, "pooled odds ratio infinite (every stratum has b*c = 0); no interval")
        } else {
            (Estimate::Finite(0.0), "pooled odds ratio is 0 (every stratum has a*d = 0); no interval on the log scale")
        };
        return Ok(PooledOddsRatio {
            odds_ratio,
            log_se: None,
            ci: None,
            strata_used: s.len(),
            strata_skipped: skipped,
            note: with_note(why),
        });
    }
    let or = adns / bcns;
    let mut lor_va: f64 = s.iter().map(|t| t.apd * t.ad / (t.n * t.n)).sum::<f64>() / (adns * adns);
    let mid: f64 =
        s.iter().map(|t| t.apd * t.bc / (t.n * t.n) + (1.0 - t.apd / t.n) * t.ad / t.n).sum::<f64>() / (adns * bcns);
    lor_va += mid;
    lor_va += s.iter().map(|t| (1.0 - t.apd / t.n) * t.bc / t.n).sum::<f64>() / (bcns * bcns);
    lor_va /= 2.0;
    let se = lor_va.max(0.0).sqrt();
    let f = norm_isf(alpha / 2.0);
    let lor = or.ln();
    Ok(PooledOddsRatio {
        odds_ratio: Estimate::Finite(or),
        log_se: Some(se),
        ci: Some(((lor - f * se).exp(), (lor + f * se).exp())),
        strata_used: s.len(),
        strata_skipped: skipped,
        note: base_note,
    })
}

/// Result of the Breslow–Day test of homogeneity of odds ratios.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BreslowDayTest {
    /// Chi-squared statistic (Tarone-adjusted if requested).
    pub statistic: f64,
    /// Degrees of freedom: strata used minus 1.
    pub dof: u64,
    /// Upper-tail p-value.
    pub p_value: f64,
    /// Whether Tarone's adjustment was applied.
    pub tarone: bool,
    /// Number of strata used.
    pub strata_used: usize,
    /// Number of strata skipped (zero row or column total).
    pub strata_skipped: usize,
    /// Explanation of skipped strata.
    pub note: Option<String>,
}

/// Breslow–Day test that all strata share one odds ratio; matches statsmodels
/// `StratifiedTable(tables).test_equal_odds(adjust=tarone)` on the informative strata.
///
/// The expected `a` under the pooled MH odds ratio is the root of the quadratic that
/// statsmodels uses, evaluated in a cancellation-free form (statsmodels' form divides
/// by `1 - OR` and fails when the pooled OR is exactly 1; this one does not).
/// Undefined when fewer than two strata are informative or the pooled odds ratio is
/// 0, infinite or undefined.
pub fn breslow_day_test(strata: &[Stratum], tarone: bool) -> Result<BreslowDayTest, StatsError> {
    let (s, skipped) = informative(strata);
    if s.len() < 2 {
        return Err(StatsError::Undefined(format!(
            "need at least two strata with both groups and both outcomes present, found {}",
            s.len()
        )));
    }
    let adns: f64 = s.iter().map(|t| t.ad / t.n).sum();
    let bcns: f64 = s.iter().map(|t| t.bc / t.n).sum();
    if adns == 0.0 || bcns == 0.0 {
        return Err(StatsError::Undefined(
            "pooled odds ratio is 0, infinite or undefined, so expected counts are degenerate".to_string(),
        ));
    }
    let r = adns / bcns;
    let mut statistic = 0.0;
    let mut sum_a = 0.0;
    let mut sum_e = 0.0;
    let mut sum_v = 0.0;
    for t in &s {
        let qa = 1.0 - r;
        let qb = r * (t.apb + t.apc) + t.dma;
        let qc = -r * t.apb * t.apc;
        let dr = (qb * qb - 4.0 * qa * qc).max(0.0).sqrt();
        // statsmodels' root (-qb + dr) / (2 qa), in a stable form.
        let e11 = if qb >= 0.0 { 2.0 * qc / (-qb - dr) } else { (-qb + dr) / (2.0 * qa) };
        let v11 = 1.0 / (1.0 / e11 + 1.0 / (t.apc - e11) + 1.0 / (t.apb - e11) + 1.0 / (t.dma + e11));
        if !(e11.is_finite() && v11.is_finite() && v11 > 0.0) {
            return Err(StatsError::Undefined(
                "expected cell count under the pooled odds ratio is degenerate".to_string(),
            ));
        }
        statistic += (t.a - e11) * (t.a - e11) / v11;
        sum_a += t.a;
        sum_e += e11;
        sum_v += v11;
    }
    if tarone {
        statistic -= (sum_a - sum_e) * (sum_a - sum_e) / sum_v;
    }
    let dof = (s.len() - 1) as u64;
    let p_value = chi2_sf(statistic, dof)
        .ok_or_else(|| StatsError::Undefined("chi-squared tail probability could not be evaluated".to_string()))?;
    Ok(BreslowDayTest {
        statistic,
        dof,
        p_value,
        tarone,
        strata_used: s.len(),
        strata_skipped: skipped,
        note: skip_note(skipped),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_stratum_cmh_hand_value() {
        // One stratum [[10, 10], [20, 0]]: E[a] = 20*30/40 = 15,
        // var = 20*30*10*20 / (40^2 * 39) -> statistic = 25 / var
        let t = cochran_mantel_haenszel_test(&[[[10, 10], [20, 0]]], false).unwrap();
        let var = 20.0 * 30.0 * 10.0 * 20.0 / (1600.0 * 39.0);
        assert!((t.statistic - 25.0 / var).abs() < 1e-12);
        let t = cochran_mantel_haenszel_test(&[[[10, 10], [20, 0]]], true).unwrap();
        assert!((t.statistic - 20.25 / var).abs() < 1e-12);
    }

    #[test]
    fn identical_strata_are_homogeneous() {
        let st = [[[5, 10], [10, 5]], [[5, 10], [10, 5]]];
        let bd = breslow_day_test(&st, false).unwrap();
        assert!(bd.statistic.abs() < 1e-12);
        let or = mantel_haenszel_odds_ratio(&st, 0.95).unwrap();
        assert_eq!(or.odds_ratio, Estimate::Finite(0.25));
    }
}
