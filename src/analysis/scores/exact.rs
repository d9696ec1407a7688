//! Exact comparisons of count ratios and of costs `c·FP + FN`, so that threshold
//! choices never depend on floating-point rounding.

use std::cmp::Ordering;

/// A non-negative fraction `num / den` of counts, `den > 0`, both below 2^64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Frac {
    pub num: u64,
    pub den: u64,
}

impl Frac {
    pub fn new(num: u64, den: u64) -> Option<Frac> {
        (den > 0).then_some(Frac { num, den })
    }

    /// Nearest-ish `f64` (one rounding of each operand, one of the division).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    pub fn cmp(self, o: Frac) -> Ordering {
        (u128::from(self.num) * u128::from(o.den)).cmp(&(u128::from(o.num) * u128::from(self.den)))
    }
}

/// `a - b` as an `f64` (computed exactly, rounded once per operand of the final
/// division). `a >= b` is assumed; otherwise 0 is returned.
pub(crate) fn frac_diff_f64(a: Frac, b: Frac) -> f64 {
    let x = u128::from(a.num) * u128::from(b.den);
    let y = u128::from(b.num) * u128::from(a.den);
    let den = u128::from(a.den) * u128::from(b.den);
    if x <= y || den == 0 {
        0.0
    } else {
        (x - y) as f64 / den as f64
    }
}

/// Full 256-bit product of two u128, as (high, low).
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const M: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & M);
    let (b1, b0) = (b >> 64, b & M);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    // middle = p01 + p10 + (p00 >> 64), may carry into bit 128.
    let (mid, c1) = p01.overflowing_add(p10);
    let (mid, c2) = mid.overflowing_add(p00 >> 64);
    let carry = (u128::from(c1) + u128::from(c2)) << 64;
    let lo = (mid << 64) | (p00 & M);
    let hi = p11 + (mid >> 64) + carry;
    (hi, lo)
}

/// Compare `a1 + a2` with `b1 + b2` exactly (four fractions of counts).
pub(crate) fn cmp_sum(a1: Frac, a2: Frac, b1: Frac, b2: Frac) -> Ordering {
    // a1 + a2 = (a1.num·a2.den + a2.num·a1.den) / (a1.den·a2.den): numerator < 2^129
    // in general, but counts are at most 2^53 here, so it is < 2^107 and fits.
    let sum = |x: Frac, y: Frac| -> (u128, u128) {
        let n = u128::from(x.num) * u128::from(y.den) + u128::from(y.num) * u128::from(x.den);
        let d = u128::from(x.den) * u128::from(y.den);
        (n, d)
    };
    let (an, ad) = sum(a1, a2);
    let (bn, bd) = sum(b1, b2);
    mul_wide(an, bd).cmp(&mul_wide(bn, ad))
}

/// The cost ratio `c = cost(FP) / cost(FN)` as `m · 2^e` (exactly), so that
/// costs `c·FP + FN` compare exactly.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CostRatio {
    pub value: f64,
    m: u64,
    e: i32,
}

impl CostRatio {
    /// `None` unless `0 <= c <= MAX_COST_RATIO`.
    pub fn new(c: f64) -> Option<CostRatio> {
        if !(0.0..=super::strategies::MAX_COST_RATIO).contains(&c) {
            return None;
        }
        let bits = c.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        let (m, e) = if exp == 0 { (frac, -1074) } else { (frac | (1u64 << 52), exp - 1075) };
        Some(CostRatio { value: c, m, e })
    }

    /// The cost as an `f64` (rounded; use [`cmp`](Self::cmp) to compare).
    pub fn cost(self, fp: u64, fn_: u64) -> f64 {
        self.value * fp as f64 + fn_ as f64
    }

    /// Compare `c·fp_a + fn_a` with `c·fp_b + fn_b` exactly. Counts must be
    /// below 2^63.
    pub fn cmp(self, fp_a: u64, fn_a: u64, fp_b: u64, fn_b: u64) -> Ordering {
        let dfp = i128::from(fp_a) - i128::from(fp_b);
        let dfn = i128::from(fn_a) - i128::from(fn_b);
        // sign of m·dfp·2^e + dfn; |m·dfp| < 2^53·2^64.
        let a = i128::from(self.m) * dfp;
        sign_of_scaled_sum(a, self.e, dfn)
    }
}

/// The sign of `a·2^e + b` (as an Ordering against 0), exactly.
fn sign_of_scaled_sum(a: i128, e: i32, b: i128) -> Ordering {
    let sa = a.cmp(&0);
    let sb = b.cmp(&0);
    if sa == Ordering::Equal {
        return sb;
    }
    if sb == Ordering::Equal || sa == sb {
        return sa;
    }
    // Opposite signs: compare |a|·2^e with |b|.
    let (ua, ub) = (a.unsigned_abs(), b.unsigned_abs());
    let bits = |x: u128| 128 - x.leading_zeros() as i32;
    let mag = if e >= 0 {
        if bits(ua) - 1 + e >= 128 {
            Ordering::Greater
        } else {
            (ua << e).cmp(&ub)
        }
    } else {
        let s = -e;
        if bits(ub) - 1 + s >= 128 {
            Ordering::Less
        } else {
            ua.cmp(&(ub << s))
        }
    };
    match mag {
        Ordering::Greater => sa,
        Ordering::Less => sb,
        Ordering::Equal => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_product() {
        let (hi, lo) = mul_wide(u128::MAX, u128::MAX);
        assert_eq!(hi, u128::MAX - 1);
        assert_eq!(lo, 1);
        assert_eq!(mul_wide(1 << 100, 1 << 100), (1 << 72, 0));
        assert_eq!(mul_wide(12345, 678), (0, 12345 * 678));
    }

    #[test]
    fn cost_comparison_is_exact() {
        // 0.1 is slightly above 1/10, so 10 FP cost a little more than 1 FN,
        // although 0.1 * 10.0 rounds to exactly 1.0.
        let c = CostRatio::new(0.1).unwrap();
        assert_eq!(0.1f64 * 10.0, 1.0);
        assert_eq!(c.cmp(10, 0, 0, 1), Ordering::Greater);
        let half = CostRatio::new(0.5).unwrap();
        assert_eq!(half.cmp(2, 0, 0, 1), Ordering::Equal);
        assert_eq!(half.cmp(3, 0, 0, 1), Ordering::Greater);
        let zero = CostRatio::new(0.0).unwrap();
        assert_eq!(zero.cmp(100, 1, 0, 1), Ordering::Equal);
        let tiny = CostRatio::new(5e-324).unwrap();
        assert_eq!(tiny.cmp(1 << 52, 0, 0, 1), Ordering::Less);
        let huge = CostRatio::new(super::super::strategies::MAX_COST_RATIO).unwrap();
        assert_eq!(huge.cmp(1, 0, 0, 1 << 60), Ordering::Greater);
        assert!(CostRatio::new(f64::MAX).is_none());
        assert!(CostRatio::new(f64::NAN).is_none());
        assert!(CostRatio::new(-1.0).is_none());
        assert!(CostRatio::new(f64::INFINITY).is_none());
    }

    #[test]
    fn four_fraction_sums() {
        let f = |n, d| Frac { num: n, den: d };
        assert_eq!(cmp_sum(f(1, 3), f(1, 6), f(1, 2), f(0, 1)), Ordering::Equal);
        assert_eq!(cmp_sum(f(1, 3), f(1, 7), f(1, 2), f(0, 1)), Ordering::Less);
        let big = (1u64 << 53) - 1;
        assert_eq!(cmp_sum(f(big - 1, big), f(1, big), f(1, 1), f(0, big)), Ordering::Equal);
        assert_eq!(cmp_sum(f(big - 1, big), f(1, big - 1), f(1, 1), f(0, big)), Ordering::Greater);
    }
}
