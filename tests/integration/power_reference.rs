//! Exact Fisher power and detectable gaps against the brute-force sums of
//! `tests/fixtures/power/make_power_fixtures.py` (scipy's fisher_exact over
//! every pair of outcomes).

use biasaudit::stats::{detectable_gap, min_achievable_p, two_proportion_power, PowerMethod};
use serde_json::Value;

fn fixture() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/power/fisher_power.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

fn u(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn exact_power_matches_the_full_sum() {
    let cases = fixture()["power"].as_array().expect("cases").clone();
    assert_eq!(cases.len(), 5);
    for c in &cases {
        let (power, method) =
            two_proportion_power(u(c, "n1"), f(c, "p1"), u(c, "n2"), f(c, "p2"), f(c, "alpha")).expect("power");
        assert_eq!(method, PowerMethod::FisherExact);
        assert!((power - f(c, "power")).abs() < 1e-9, "{c}: got {power}");
    }
}

#[test]
fn exact_detectable_gap_matches_the_full_sum() {
    for c in fixture()["detectable_decrease"].as_array().expect("cases") {
        let d = detectable_gap(u(c, "n1"), u(c, "n2"), f(c, "p2"), f(c, "alpha"), f(c, "power")).expect("gap");
        assert_eq!(d.method, PowerMethod::FisherExact);
        let got = d.decrease.expect("decrease");
        // 22 halvings of the search interval: within 1e-6.
        assert!((got - f(c, "decrease")).abs() < 1e-6, "{c}: got {got}");
    }
}

#[test]
fn the_exact_gap_is_wider_than_the_normal_one_at_a_stricter_level() {
    // The case: at the level actually applied, the gap that can be
    // detected is wider than the unadjusted normal approximation says.
    let normal = biasaudit::stats::minimum_detectable_difference(40, 40, 0.5, 0.05, 0.8).expect("normal");
    let exact = detectable_gap(40, 40, 0.5, 0.05, 0.8).expect("exact");
    assert!(exact.decrease > normal.decrease, "{exact:?} vs {normal:?}");
    // A small group against a huge comparison stays exact (runs over the
    // group's 301 outcomes); two large groups fall back to the normal
    // approximation, saying so, and it is then very close.
    let small_against_huge = detectable_gap(300, 100_000_000, 0.3, 0.01, 0.8).expect("exact");
    assert_eq!(small_against_huge.method, PowerMethod::FisherExact);
    let normal = biasaudit::stats::minimum_detectable_difference(300, 100_000_000, 0.3, 0.01, 0.8).expect("normal");
    let (exact_down, normal_down) = (small_against_huge.decrease.expect("exact"), normal.decrease.expect("normal"));
    assert!((exact_down - normal_down).abs() < 0.01, "{exact_down} vs {normal_down}");
    // COMPAS's largest comparison (3,696 against 2,454) is exact.
    assert_eq!(detectable_gap(3696, 2454, 0.35, 0.01, 0.8).expect("COMPAS").method, PowerMethod::FisherExact);
    // Groups of 166,000 each (a 1,000,000-row file of 6 groups) are judged
    // by the normal approximation: exactly, each would take seconds.
    for large in
        [detectable_gap(166_000, 166_000, 0.3, 0.01, 0.8), detectable_gap(1_000_000, 100_000_000, 0.3, 0.01, 0.8)]
    {
        assert_eq!(large.expect("large").method, PowerMethod::NormalApproximation);
    }
    let (_, method) = two_proportion_power(166_000, 0.31, 166_000, 0.3, 0.01).expect("power");
    assert_eq!(method, PowerMethod::NormalApproximation);
}

#[test]
fn min_achievable_p_is_the_best_outcome_either_way() {
    // 0 of 30 against 30 of 300 gives p = 0.0916 (scipy): the best the
    // adverse side can do; all 30 selected is far more extreme.
    let p = min_achievable_p(30, 30, 300).expect("p");
    assert!(p < 1e-10, "{p}");
    let adverse = biasaudit::stats::fisher_exact([[0, 30], [30, 270]]).expect("fisher").p_value;
    assert!((adverse - 0.0915768900596637).abs() < 1e-12, "{adverse}");
}
