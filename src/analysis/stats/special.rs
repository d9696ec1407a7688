//! Internal numerical building blocks: normal and chi-squared tails, an
//! accurate binomial pmf (Loader's saddle-point form) and binomial tails, a
//! safeguarded monotone root finder, and a scaled float for very small values.

use statrs::function::erf::{erfc, erfc_inv};
use statrs::function::gamma::checked_gamma_ur;

/// ln(sqrt(2*pi)).
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
/// ln(2*pi).
const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// Upper standard normal quantile: `z` with `P(Z > z) = q` (scipy `norm.isf(q)`), for `q` in (0, 1).
pub(crate) fn norm_isf(q: f64) -> f64 {
    std::f64::consts::SQRT_2 * erfc_inv(2.0 * q)
}

/// Standard normal survival function `P(Z > x)` (scipy `norm.sf`).
///
/// statrs' `erfc` has relative errors near 1e-10 for arguments >= 0.5, so the tail is
/// taken from the regularized upper incomplete gamma function, `erfc(t) = Q(1/2, t^2)`,
/// which statrs evaluates to ~1e-15.
pub(crate) fn norm_sf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let t = x / std::f64::consts::SQRT_2;
    if t.abs() < 0.5 {
        return 0.5 * erfc(t);
    }
    let upper = match checked_gamma_ur(0.5, 0.5 * x * x) {
        Ok(q) if q.is_finite() => 0.5 * q,
        _ => 0.0,
    };
    if x > 0.0 {
        upper
    } else {
        1.0 - upper
    }
}

/// Standard normal cdf `P(Z <= x)` (scipy `norm.cdf`).
pub(crate) fn norm_cdf(x: f64) -> f64 {
    norm_sf(-x)
}

/// Standard normal density.
pub(crate) fn norm_pdf(x: f64) -> f64 {
    (-0.5 * x * x - LN_SQRT_2PI).exp()
}

/// Chi-squared survival function `P(X > x)` with `dof` degrees of freedom
/// (scipy `chi2.sf`). Returns `None` only for `dof == 0` or a non-finite `x`.
pub(crate) fn chi2_sf(x: f64, dof: u64) -> Option<f64> {
    if dof == 0 || !x.is_finite() {
        return None;
    }
    if x <= 0.0 {
        return Some(1.0);
    }
    if dof == 2 {
        return Some((-0.5 * x).exp());
    }
    let p = checked_gamma_ur(dof as f64 / 2.0, x / 2.0).ok()?;
    if p.is_finite() {
        Some(p.clamp(0.0, 1.0))
    } else {
        None
    }
}

/// `stirlerr(n) = ln(n!) - ln(sqrt(2 pi n) (n/e)^n)` for integer `n >= 0`
/// (as in Loader 2000 / R's `stirlerr`).
fn stirlerr(n: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    // Values for n = 0..=15 (n = 0 is a placeholder never used), from 50-digit arithmetic.
    #[allow(clippy::excessive_precision)]
    const TABLE: [f64; 16] = [
        0.0,
        0.081_061_466_795_327_258_219_670_263_594_382_360_14,
        0.041_340_695_955_409_294_093_822_081_407_117_508_03,
        0.027_677_925_684_998_339_148_789_292_746_244_666_60,
        0.020_790_672_103_765_093_111_522_771_767_848_656_33,
        0.016_644_691_189_821_192_163_194_865_373_593_391_15,
        0.013_876_128_823_070_747_998_745_727_023_762_908_56,
        0.011_896_709_945_891_770_095_055_724_117_659_438_62,
        0.010_411_265_261_972_096_497_478_567_132_534_629_20,
        0.009_255_462_182_712_732_917_728_636_633_100_136_117,
        0.008_330_563_433_362_871_256_469_318_659_628_552_209,
        0.007_573_675_487_951_840_794_972_024_211_595_083_893,
        0.006_942_840_107_209_529_865_664_152_663_475_362_660,
        0.006_408_994_188_004_207_068_439_631_082_978_312_575,
        0.005_951_370_112_758_847_735_624_416_046_469_458_326,
        0.005_554_733_551_962_801_371_038_689_959_792_284_649,
    ];
    if n <= 15.0 {
        let i = n as usize;
        return TABLE.get(i).copied().unwrap_or(0.0);
    }
    let nn = n * n;
    if n > 500.0 {
        return (S0 - S1 / nn) / n;
    }
    if n > 80.0 {
        return (S0 - (S1 - S2 / nn) / nn) / n;
    }
    if n > 35.0 {
        return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
    }
    (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
}

/// Deviance term `bd0(x, m) = x ln(x/m) + m - x`, computed stably (Loader 2000).
fn bd0(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        let mut v = (x - m) / (x + m);
        let mut s = (x - m) * v;
        if s.abs() < f64::MIN_POSITIVE {
            return s;
        }
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                return s1;
            }
            s = s1;
        }
        return s;
    }
    x * (x / m).ln() + m - x
}

/// Binomial probability mass `P(X = x)` for `X ~ Bin(n, p)`, `q = 1 - p`,
/// via Loader's saddle-point expansion (accurate to a few ulps in relative terms).
pub(crate) fn dbinom(x: u64, n: u64, p: f64, q: f64) -> f64 {
    if x > n {
        return 0.0;
    }
    if p <= 0.0 {
        return if x == 0 { 1.0 } else { 0.0 };
    }
    if q <= 0.0 {
        return if x == n { 1.0 } else { 0.0 };
    }
    let nf = n as f64;
    if x == 0 {
        if n == 0 {
            return 1.0;
        }
        let lc = if p < 0.1 { -bd0(nf, nf * q) - nf * p } else { nf * q.ln() };
        return lc.exp();
    }
    if x == n {
        let lc = if q < 0.1 { -bd0(nf, nf * p) - nf * q } else { nf * p.ln() };
        return lc.exp();
    }
    let xf = x as f64;
    let yf = (n - x) as f64;
    let lc = stirlerr(nf) - stirlerr(xf) - stirlerr(yf) - bd0(xf, nf * p) - bd0(yf, nf * q);
    let lf = LN_2PI + xf.ln() + (-xf / nf).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// Relative cut-off for summing a monotonically decreasing run of pmf terms.
const SUM_EPS: f64 = 1e-17;

/// `P(X >= k)` for `X ~ Bin(n, p)`.
pub(crate) fn binom_sf_ge(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let q = 1.0 - p;
    let mean = n as f64 * p;
    if k as f64 > mean {
        upper_tail_from(k, n, p, q)
    } else {
        (1.0 - lower_tail_from(k - 1, n, p, q)).clamp(0.0, 1.0)
    }
}

/// `P(X <= x)` for `X ~ Bin(n, p)`.
pub(crate) fn binom_cdf_le(x: u64, n: u64, p: f64) -> f64 {
    if x >= n {
        return 1.0;
    }
    if p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return 0.0;
    }
    let q = 1.0 - p;
    let mean = n as f64 * p;
    if (x as f64) < mean {
        lower_tail_from(x, n, p, q)
    } else {
        (1.0 - upper_tail_from(x + 1, n, p, q)).clamp(0.0, 1.0)
    }
}

/// `sum_{j >= k} P(X = j)`, summing upward from `k` (meant for `k` at or above the mean).
fn upper_tail_from(k: u64, n: u64, p: f64, q: f64) -> f64 {
    let start = dbinom(k, n, p, q);
    if start == 0.0 {
        return 0.0;
    }
    let odds = p / q;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut j = k;
    while j < n {
        term *= (n - j) as f64 / (j + 1) as f64 * odds;
        sum += term;
        j += 1;
        if term < sum * SUM_EPS {
            break;
        }
    }
    (start * sum).min(1.0)
}

/// `sum_{j <= x} P(X = j)`, summing downward from `x` (meant for `x` at or below the mean).
fn lower_tail_from(x: u64, n: u64, p: f64, q: f64) -> f64 {
    let start = dbinom(x, n, p, q);
    if start == 0.0 {
        return 0.0;
    }
    let inv_odds = q / p;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut j = x;
    while j > 0 {
        term *= j as f64 / (n - j + 1) as f64 * inv_odds;
        sum += term;
        j -= 1;
        if term < sum * SUM_EPS {
            break;
        }
    }
    (start * sum).min(1.0)
}

/// Solve `f(t) = 0` on the open interval (0, 1) for a function that is
/// monotone (increasing if `increasing`), using Newton steps safeguarded by
/// bisection. `f` returns `(value, derivative)`. Starts from `guess`.
pub(crate) fn solve_unit_interval<F>(f: F, increasing: bool, guess: f64) -> f64
where
    F: Fn(f64) -> (f64, f64),
{
    let mut lo = 0.0_f64;
    let mut hi = 1.0_f64;
    let mut t = if guess > 0.0 && guess < 1.0 { guess } else { 0.5 };
    for _ in 0..400 {
        let (v, d) = f(t);
        if v == 0.0 {
            return t;
        }
        // Tighten the bracket: the root is where the sign changes.
        let root_above = (v < 0.0) == increasing;
        if root_above {
            lo = t;
        } else {
            hi = t;
        }
        let newton = if d != 0.0 && d.is_finite() && v.is_finite() { t - v / d } else { f64::NAN };
        let next = if newton > lo && newton < hi {
            newton
        } else if lo > 0.0 && hi / lo > 4.0 {
            (lo * hi).sqrt()
        } else if lo == 0.0 {
            hi * 0.0625
        } else {
            0.5 * (lo + hi)
        };
        let tol = 2.0 * f64::EPSILON * next.abs().max(f64::MIN_POSITIVE);
        if (next - t).abs() <= tol || hi - lo <= tol {
            return next;
        }
        t = next;
    }
    t
}

/// A positive number stored as `mant * 2^(-CHUNK * k)`, so that long products of
/// probability ratios can be followed far below the f64 underflow threshold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scaled {
    mant: f64,
    k: i32,
}

const CHUNK: i32 = 600;

impl Scaled {
    pub(crate) fn one() -> Self {
        Scaled { mant: 1.0, k: 0 }
    }

    fn normalize(mut self) -> Self {
        let low = 2f64.powi(-CHUNK);
        let up = 2f64.powi(CHUNK);
        while self.mant > 0.0 && self.mant < low {
            self.mant *= up;
            self.k += 1;
        }
        self
    }

    pub(crate) fn mul(self, r: f64) -> Self {
        Scaled { mant: self.mant * r, k: self.k }.normalize()
    }

    /// True once the value is below 2^-1200, far under the smallest subnormal f64.
    pub(crate) fn is_negligible(self) -> bool {
        self.mant == 0.0 || self.k >= 2
    }

    /// `self <= other`.
    pub(crate) fn le(self, other: Scaled) -> bool {
        if self.mant == 0.0 {
            return true;
        }
        if other.mant == 0.0 {
            return false;
        }
        let up = 2f64.powi(CHUNK);
        match self.k - other.k {
            0 => self.mant <= other.mant,
            1 => self.mant <= other.mant * up,
            -1 => self.mant * up <= other.mant,
            d => d > 1,
        }
    }

    /// The value multiplied by an ordinary factor, as an f64 (may underflow to 0).
    pub(crate) fn to_f64_times(self, factor: f64) -> f64 {
        let mut v = self.mant * factor;
        let down = 2f64.powi(-CHUNK);
        let mut k = self.k;
        while k > 0 && v != 0.0 {
            v *= down;
            k -= 1;
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_and_chi2_tails_match_scipy() {
        // scipy 1.17: norm.sf and chi2.sf
        let cases = [
            (norm_sf(0.3), 0.382_088_577_811_047_4),
            (norm_sf(1.0), 0.158_655_253_931_457_07),
            (norm_sf(3.0), 0.001_349_898_031_630_093_3),
            (norm_sf(-2.0), 0.977_249_868_051_820_8),
            (norm_sf(8.0), 6.220_960_574_271_74e-16),
            (chi2_sf(3.84, 1).unwrap_or(f64::NAN), 0.050_043_521_248_705_19),
            (chi2_sf(10.0, 3).unwrap_or(f64::NAN), 0.018_566_135_463_043_25),
            (chi2_sf(50.0, 7).unwrap_or(f64::NAN), 1.444_485_277_921_539_7e-8),
        ];
        for (got, want) in cases {
            assert!(((got - want) / want).abs() < 1e-13, "{got} vs {want}");
        }
        assert!((norm_isf(0.025) - 1.959_963_984_540_054).abs() < 1e-15);
    }

    #[test]
    fn dbinom_small_exact() {
        // Bin(5, 0.3): P(X = 2) = 10 * 0.09 * 0.343
        let v = dbinom(2, 5, 0.3, 0.7);
        assert!((v - 10.0 * 0.09 * 0.343).abs() < 1e-15);
        let total: f64 = (0..=5).map(|x| dbinom(x, 5, 0.3, 0.7)).sum();
        assert!((total - 1.0).abs() < 1e-14);
    }

    #[test]
    fn binom_tails_complement() {
        for &(n, p) in &[(10u64, 0.3), (1000, 0.01), (57, 0.9)] {
            for k in 0..=n {
                let s = binom_sf_ge(k, n, p) + binom_cdf_le(k.saturating_sub(1), n, p);
                let expect = if k == 0 { 1.0 + binom_cdf_le(0, n, p) } else { 1.0 };
                assert!((s - expect).abs() < 1e-13, "n={n} p={p} k={k} s={s}");
            }
        }
    }

    #[test]
    fn scaled_ordering() {
        let a = Scaled::one().mul(1e-200).mul(1e-200);
        let b = Scaled::one().mul(1e-250).mul(1e-200);
        assert!(b.le(a));
        assert!(!a.le(b));
        assert_eq!(a.to_f64_times(1.0), 0.0);
        // Values straddling a chunk boundary compare by value, not by chunk index.
        let just_below = Scaled::one().mul(2f64.powi(-600) * 0.999_999);
        let just_above = Scaled::one().mul(2f64.powi(-600) * 1.000_001);
        assert!(just_below.le(just_above) && !just_above.le(just_below));
        assert!(just_below.le(just_below.mul(1.0 + 1e-14)));
        let c = Scaled::one().mul(1e-200);
        assert!((c.to_f64_times(1.0) - 1e-200).abs() < 1e-214);
    }
}
