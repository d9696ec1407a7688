//! Exact comparisons of a ratio of rates with a line, for weighted sums:
//! `(x / n) / (cx / cn)` against a threshold such as 0.8, with the sums in
//! fixed point (integers) and the threshold read as the decimal it is
//! written as, so a ratio of exactly 0.8 is never "below 0.8".

use crate::config::Direction;
use crate::tally::Counts;
use num_bigint::BigUint;
use std::cmp::Ordering;

/// Whether the group's impact ratio against the comparison is below
/// `impact_line`, and (for a harmful decision) its harm ratio above
/// `harm_line`, exactly; `None` for a ratio that is undefined.
pub fn crossings(
    group: &Counts<u128>,
    comparison: &Counts<u128>,
    direction: Direction,
    impact_line: f64,
    harm_line: f64,
) -> (Option<bool>, Option<bool>) {
    let split = |c: &Counts<u128>| {
        let (selected, rest) = (c.selected, c.n.saturating_sub(c.selected));
        match direction {
            Direction::Beneficial => (selected, rest, c.n),
            Direction::Harmful => (rest, selected, c.n),
        }
    };
    let ((b, h, n), (cb, ch, cn)) = (split(group), split(comparison));
    let impact = compare_ratio(b, n, cb, cn, impact_line).map(|o| o == Ordering::Less);
    let harm = (direction == Direction::Harmful)
        .then(|| compare_ratio(h, n, ch, cn, harm_line).map(|o| o == Ordering::Greater))
        .flatten();
    (impact, harm)
}

/// The threshold as the decimal fraction its shortest form shows
/// (0.8 → 8/10, 1.25 → 125/100); `None` for a negative or non-finite one.
fn decimal(line: f64) -> Option<(BigUint, BigUint)> {
    if !line.is_finite() || line < 0.0 {
        return None;
    }
    // Rust's Display writes the shortest decimal that reads back as `line`, with no exponent.
    let text = format!("{line}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits: String = [whole, fraction].concat();
    let numerator = digits.parse::<BigUint>().ok()?;
    let denominator = BigUint::from(10u32).pow(u32::try_from(fraction.len()).ok()?);
    Some((numerator, denominator))
}

/// How `(x / n) / (cx / cn)` compares with `line`; `None` when the ratio is
/// undefined (`n` or `cx` is 0) or the line is not a finite non-negative number.
pub fn compare_ratio(x: u128, n: u128, cx: u128, cn: u128, line: f64) -> Option<Ordering> {
    if n == 0 || cx == 0 {
        return None;
    }
    let (p, q) = decimal(line)?;
    // x·cn / (n·cx) against p / q: x·cn·q against p·n·cx.
    let left = BigUint::from(x) * BigUint::from(cn) * q;
    let right = p * BigUint::from(n) * BigUint::from(cx);
    Some(left.cmp(&right))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_exactly_on_the_line_is_on_it() {
        // Weighted sums in units of 10⁻⁹: 0.4 / 1 against 0.5 / 1 is 0.8 exactly.
        let unit = 1_000_000_000u128;
        assert_eq!(compare_ratio(4 * unit / 10, unit, 5 * unit / 10, unit, 0.8), Some(Ordering::Equal));
        // Sums whose floating-point ratio is 0.7999999999999999 (tests/integration/weights_reference.rs).
        let float = (114_480f64 / 1e9 * (2_294f64 / 1e9)) / (172_050f64 / 1e9 * (1_908f64 / 1e9));
        assert!(float < 0.8, "{float}");
        assert_eq!(compare_ratio(114_480, 172_050, 1_908, 2_294, 0.8), Some(Ordering::Equal));
        // Just below and above, by one unit.
        assert_eq!(compare_ratio(399_999_999, unit, 500_000_000, unit, 0.8), Some(Ordering::Less));
        assert_eq!(compare_ratio(400_000_001, unit, 500_000_000, unit, 0.8), Some(Ordering::Greater));
        // Large sums do not overflow: 10³³ × 10³³.
        let big = 10u128.pow(33);
        assert_eq!(compare_ratio(big, big, big, big, 1.0), Some(Ordering::Equal));
        assert_eq!(compare_ratio(5 * unit, 4 * unit, unit, unit, 1.25), Some(Ordering::Equal));
        assert_eq!(compare_ratio(1, 0, 1, 1, 0.8), None);
        assert_eq!(compare_ratio(1, 1, 0, 1, 0.8), None);
        assert_eq!(decimal(0.8), Some((BigUint::from(8u32), BigUint::from(10u32))));
        assert_eq!(decimal(2.0), Some((BigUint::from(2u32), BigUint::from(1u32))));
    }
}
