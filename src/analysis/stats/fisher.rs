//! Fisher's exact test for a 2x2 table.

use serde::Serialize;

use super::special::Scaled;
use super::{Estimate, StatsError};

/// Result of a two-sided Fisher exact test.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FisherExact {
    /// Sample (unconditional) odds ratio `a*d / (b*c)`: `Infinite` when
    /// `b*c == 0` (and the table has no empty row or column), `Undefined`
    /// when a row or column total is zero.
    pub odds_ratio: Estimate,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Explanation for a degenerate table, if any.
    pub note: Option<String>,
}

/// Largest table total accepted (work grows like the square root of the total).
pub const MAX_EXACT_TOTAL: u64 = 1 << 40;

/// Relative tolerance for "as or less probable than the observed table" and
/// for "the observed table is the mode"; scipy 1.17 uses 1e-14 for both
/// (`gamma = 1 + 1e-14`; R's `fisher.test` uses 1e-7).
const REL_TOL: f64 = 1e-14;

/// Stop summing a decreasing run of terms once a term is below this fraction of the sum.
const SUM_EPS: f64 = 1e-17;

/// Fisher's exact test, two-sided, on `[[a, b], [c, d]]`; matches scipy
/// `fisher_exact(table)` (statistic = sample odds ratio, p = sum of the
/// probabilities of all tables with probability <= observed * (1 + 1e-14)).
///
/// A table with an empty row or column gives p = 1 and an undefined odds ratio
/// (scipy: NaN, 1.0). Works by walking hypergeometric term ratios outward from the
/// mode (no ln-gamma per term) and stops once terms underflow relative to the sum, or
/// once pmf(a)/pmf(mode) < 2^-1200 (then p = 0): O(standard deviation) steps, so
/// totals of 1e7 take milliseconds. Mirror-image terms of symmetric tables are
/// computed bit-identically, so exact ties are always included.
/// Totals above [`MAX_EXACT_TOTAL`] (2^40) are rejected as invalid input.
pub fn fisher_exact(table: [[u64; 2]; 2]) -> Result<FisherExact, StatsError> {
    let [[a, b], [c, d]] = table;
    let total = a
        .checked_add(b)
        .and_then(|s| s.checked_add(c))
        .and_then(|s| s.checked_add(d))
        .ok_or_else(|| StatsError::InvalidInput("table total overflows u64".to_string()))?;
    if total > MAX_EXACT_TOTAL {
        return Err(StatsError::InvalidInput(format!(
            "table total {total} exceeds the supported maximum of 2^40 for the exact test"
        )));
    }
    let row1 = a + b;
    let row2 = c + d;
    let col1 = a + c;
    let col2 = b + d;
    if row1 == 0 || row2 == 0 || col1 == 0 || col2 == 0 {
        return Ok(FisherExact {
            odds_ratio: Estimate::Undefined("a row or column total is zero, so the odds ratio is 0/0"),
            p_value: 1.0,
            note: Some(
                "a row or column total is zero: every table with these margins is the observed \
                 one, so p = 1 and the odds ratio is undefined"
                    .to_string(),
            ),
        });
    }
    let odds_ratio = if b > 0 && c > 0 {
        Estimate::Finite((a as f64 * d as f64) / (b as f64 * c as f64))
    } else {
        Estimate::Infinite
    };
    let note = if matches!(odds_ratio, Estimate::Infinite) {
        Some("odds ratio is infinite because b*c = 0".to_string())
    } else {
        None
    };
    let p_value = fisher_two_sided(a, row1, col1, total);
    Ok(FisherExact { odds_ratio, p_value, note })
}

/// `(a·b) / (c·d)` from exact products, each rounded once to `f64`. Products
/// that fit in 64 bits (every table up to about 4 billion) are converted by the
/// hardware; the result is the same bits as converting the 128-bit product,
/// which is done in software and took a third of the time of a test.
fn ratio(a: u64, b: impl Into<u128>, c: u64, d: impl Into<u128>) -> f64 {
    let (b, d) = (b.into(), d.into());
    let small = |x: u64, y: u128| u64::try_from(y).ok().and_then(|y| x.checked_mul(y));
    match (small(a, b), small(c, d)) {
        (Some(num), Some(den)) => num as f64 / den as f64,
        _ => (u128::from(a) * b) as f64 / (u128::from(c) * d) as f64,
    }
}

/// Hypergeometric walk for `x = a` with population `n_tot`, `k` "white" (row 1 total)
/// and `n` draws (column 1 total).
struct Hyper {
    k: u64,
    n: u64,
    /// `n_tot - k - n` as a signed offset (the `d - a` of the table); `m + x + 1 >= 1` on the support.
    m: i128,
    lo: u64,
    hi: u64,
}

impl Hyper {
    /// pmf(x+1)/pmf(x) for `lo <= x < hi`, as one correctly rounded division of exact integers
    /// (so mirror-image ratios of symmetric tables are bit-identical).
    fn up(&self, x: u64) -> f64 {
        ratio(self.k - x, self.n - x, x + 1, (self.m + i128::from(x) + 1).max(1) as u128)
    }

    /// pmf(x-1)/pmf(x) for `lo < x <= hi`.
    fn down(&self, x: u64) -> f64 {
        ratio(x, (self.m + i128::from(x)).max(1) as u128, self.k - x + 1, self.n - x + 1)
    }

    /// Walk from `from` towards `to` (same side of the mode, away from it), returning
    /// pmf(to)/pmf(from) in scaled form, or `None` once it falls below 2^-1200
    /// (which bounds the walk to ~41 standard deviations).
    fn rel_walk(&self, from: u64, to: u64) -> Option<Scaled> {
        let mut v = Scaled::one();
        if to >= from {
            for x in from..to {
                v = v.mul(self.up(x));
                if v.is_negligible() {
                    return None;
                }
            }
        } else {
            let mut x = from;
            while x > to {
                v = v.mul(self.down(x));
                if v.is_negligible() {
                    return None;
                }
                x -= 1;
            }
        }
        Some(v)
    }

    /// Sum of pmf(x)/pmf(start) over `start` and everything beyond it, away from the mode.
    fn tail_sum(&self, start: u64, upward: bool) -> f64 {
        let mut term = 1.0;
        let mut sum = 1.0;
        let mut x = start;
        if upward {
            while x < self.hi {
                term *= self.up(x);
                x += 1;
                sum += term;
                if term < sum * SUM_EPS {
                    break;
                }
            }
        } else {
            while x > self.lo {
                term *= self.down(x);
                x -= 1;
                sum += term;
                if term < sum * SUM_EPS {
                    break;
                }
            }
        }
        sum
    }
}

fn fisher_two_sided(a: u64, k: u64, n: u64, n_tot: u64) -> f64 {
    // d - a = n_tot - k - n may be negative.
    let m = i128::from(n_tot) - i128::from(k) - i128::from(n);
    let lo = if m < 0 { (-m) as u64 } else { 0 };
    let hi = k.min(n);
    let h = Hyper { k, n, m, lo, hi };
    // Mode as scipy computes it: floor((n + 1)(k + 1) / (n_tot + 2)).
    let mode_wide = (u128::from(n) + 1) * (u128::from(k) + 1) / (u128::from(n_tot) + 2);
    let mode = (mode_wide.min(u128::from(hi)) as u64).max(lo);

    // Total probability mass relative to the mode.
    let total = h.tail_sum(mode, true) + h.tail_sum(mode, false) - 1.0;

    let rel_a = match h.rel_walk(mode, a) {
        Some(v) => v,
        // pmf(a)/pmf(mode) < 2^-1200: every contribution is below the smallest subnormal.
        None => return 0.0,
    };
    // scipy: |p_exact - p_mode| / max(p_exact, p_mode) <= 1e-14  =>  p = 1.
    let near_mode = Scaled::one().mul(1.0 - REL_TOL);
    if near_mode.le(rel_a) {
        return 1.0;
    }
    let threshold = rel_a.mul(1.0 + REL_TOL);
    let a_below_mode = a < mode;
    // Tail on a's own side: a and everything beyond it.
    let own = rel_a.to_f64_times(h.tail_sum(a, !a_below_mode) / total);
    // Other side: walk from the mode until the first term <= threshold.
    let mut other = 0.0;
    let mut v = Scaled::one();
    if a_below_mode {
        let mut x = mode;
        while x < h.hi {
            v = v.mul(h.up(x));
            x += 1;
            if v.le(threshold) {
                other = v.to_f64_times(h.tail_sum(x, true) / total);
                break;
            }
        }
    } else {
        let mut x = mode;
        while x > h.lo {
            v = v.mul(h.down(x));
            x -= 1;
            if v.le(threshold) {
                other = v.to_f64_times(h.tail_sum(x, false) / total);
                break;
            }
        }
    }
    (own + other).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scipy_doc_example() {
        // scipy docs: fisher_exact([[8, 2], [1, 5]]) -> (20.0, 0.034965034965034975)
        let r = fisher_exact([[8, 2], [1, 5]]).unwrap();
        assert_eq!(r.odds_ratio, Estimate::Finite(20.0));
        assert!((r.p_value - 0.034_965_034_965_034_975).abs() < 1e-15);
    }

    #[test]
    fn hand_computed_small_table() {
        // [[1, 0], [0, 1]]: margins 1,1 / 1,1; two tables each prob 1/2 -> p = 1.
        let r = fisher_exact([[1, 0], [0, 1]]).unwrap();
        assert_eq!(r.odds_ratio, Estimate::Infinite);
        assert!((r.p_value - 1.0).abs() < 1e-15);
        // [[3, 0], [0, 3]]: hypergeometric N=6, K=3, n=3: P(3) = 1/20, P(0) = 1/20 -> p = 0.1
        let r = fisher_exact([[3, 0], [0, 3]]).unwrap();
        assert!((r.p_value - 0.1).abs() < 1e-15);
        let r = fisher_exact([[0, 4], [0, 2]]).unwrap();
        assert!(matches!(r.odds_ratio, Estimate::Undefined(_)));
        assert_eq!(r.p_value, 1.0);
    }
}
