//! The Cochran–Armitage test for a linear trend in proportions across
//! ordered groups (here: periods).

use serde::Serialize;

use super::special::norm_sf;
use super::StatsError;

/// Result of a two-sided Cochran–Armitage trend test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TrendTest {
    /// `Z = T / √Var(T)`, positive when the proportion rises with the score.
    pub z: f64,
    /// Two-sided p-value `2 · P(Z > |z|)`.
    pub p_value: f64,
    /// The least-squares slope of the proportion on the score, weighted by
    /// the counts: the change per step (per period) that the test measures.
    pub slope: f64,
}

/// Cochran–Armitage test on `(x_i, n_i)` at scores `t_i`, counts whole or
/// effective: `T = Σ t_i (x_i − n_i p̄)`, `Var(T) = p̄(1 − p̄)(Σ n_i t_i² −
/// (Σ n_i t_i)² / N)`. Its square equals R's `prop.trend.test` statistic,
/// and `N / (N − 1)` times the linear-by-linear statistic of statsmodels'
/// `Table(shift_zeros=False).test_ordinal_association` (which uses the
/// permutation variance).
/// Entries with `n_i = 0` are ignored.
pub fn cochran_armitage(points: &[(f64, f64, f64)]) -> Result<TrendTest, StatsError> {
    let mut used = 0usize;
    let (mut n, mut x, mut nt, mut ntt, mut xt) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(xi, ni, ti) in points {
        if !(xi.is_finite() && ni.is_finite() && ti.is_finite() && xi >= 0.0 && xi <= ni * (1.0 + 1e-12)) {
            return Err(StatsError::InvalidInput(format!("trend test: {xi} of {ni} at score {ti} is not a count")));
        }
        if ni <= 0.0 {
            continue;
        }
        used += 1;
        n += ni;
        x += xi;
        nt += ni * ti;
        ntt += ni * ti * ti;
        xt += xi * ti;
    }
    if used < 2 {
        return Err(StatsError::Undefined("fewer than two periods have anyone in them".into()));
    }
    let p = x / n;
    if p <= 0.0 || p >= 1.0 {
        let none = if p <= 0.0 { "no one was" } else { "everyone was" };
        return Err(StatsError::Undefined(format!(
            "{none} given the decision in any period, so there is no trend to test"
        )));
    }
    let spread = ntt - nt * nt / n;
    if spread <= 0.0 {
        return Err(StatsError::Undefined("every period has the same score".into()));
    }
    let t = xt - p * nt;
    let z = t / (p * (1.0 - p) * spread).sqrt();
    if !z.is_finite() {
        return Err(StatsError::Undefined("the test statistic overflowed".into()));
    }
    Ok(TrendTest { z, p_value: (2.0 * norm_sf(z.abs())).min(1.0), slope: t / spread })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// By hand: p̄ = 1/3, T = 20 − 90/3 = −10, Σnt² − (Σnt)²/N = 150 − 90 = 60,
    /// Var = (2/9)·60, so Z² = 100 / (40/3) = 7.5.
    #[test]
    fn a_falling_rate() {
        let r = cochran_armitage(&[(15.0, 30.0, 0.0), (10.0, 30.0, 1.0), (5.0, 30.0, 2.0)]).expect("defined");
        assert!((r.z * r.z - 7.5).abs() < 1e-12, "{}", r.z);
        assert!(r.z < 0.0);
        // Rates 0.5, 0.333, 0.167: a fall of 1/6 a period.
        assert!((r.slope + 1.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn undefined_cases() {
        assert!(cochran_armitage(&[(1.0, 3.0, 0.0)]).is_err());
        assert!(cochran_armitage(&[(0.0, 3.0, 0.0), (0.0, 4.0, 1.0)]).is_err());
        assert!(cochran_armitage(&[(1.0, 3.0, 0.0), (2.0, 4.0, 0.0)]).is_err());
        assert!(cochran_armitage(&[(4.0, 3.0, 0.0), (2.0, 4.0, 1.0)]).is_err());
        // Empty periods are skipped.
        assert!(cochran_armitage(&[(1.0, 3.0, 0.0), (0.0, 0.0, 1.0), (2.0, 4.0, 2.0)]).is_ok());
    }
}
