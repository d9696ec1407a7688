//! Tallies → evidence: intervals, tests, multiple-comparison adjustment,
//! practical significance, power and verdicts.
//!
//! Everything here uses row counts (binomial methods need counts, not sums of
//! weights). Two families of tests are adjusted for multiple comparisons:
//! every group against the reference on each tested rate, and every group
//! against the most favoured group on the beneficial outcome (the tests
//! behind the verdicts).

use crate::config::{Adjustment, Direction, EvidenceOptions, IntervalMethod};
use crate::metrics::Rate;
use crate::stats::{self, StatsError};
use crate::tally::names::is_missing_group;
use crate::tally::{AttributeTally, Counts, GroupTally};
use serde::Serialize;
use std::collections::BTreeMap;

/// Rates tested against the reference. The complements (fnr, tnr, fdr, for)
/// would give the same p-values, so they are not tested twice.
pub const TESTED_RATES: [Rate; 5] = [Rate::SelectionRate, Rate::Tpr, Rate::Fpr, Rate::Ppv, Rate::Npv];

/// A result, or why there is none.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "{T}OrUndefined")]
pub enum Outcome<T> {
    Value(T),
    Undefined { undefined: String },
}

/// An error that carries a plain-English reason, for [`Outcome::from`].
pub trait Reason {
    fn reason(self) -> String;
}

impl Reason for StatsError {
    fn reason(self) -> String {
        match self {
            StatsError::Undefined(why) | StatsError::InvalidInput(why) => why,
        }
    }
}

impl Reason for crate::inequality::InequalityError {
    fn reason(self) -> String {
        match self {
            crate::inequality::InequalityError::Undefined(why)
            | crate::inequality::InequalityError::InvalidInput(why) => why,
        }
    }
}

impl Reason for crate::scores::Undefined {
    fn reason(self) -> String {
        self.reason
    }
}

impl<T> Outcome<T> {
    pub fn from<E: Reason>(r: Result<T, E>) -> Self {
        match r {
            Ok(v) => Outcome::Value(v),
            Err(e) => Outcome::Undefined { undefined: e.reason() },
        }
    }

    fn undefined(why: impl Into<String>) -> Self {
        Outcome::Undefined { undefined: why.into() }
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Outcome::Value(v) => Some(v),
            Outcome::Undefined { .. } => None,
        }
    }
}

/// A p-value with its adjusted counterpart.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PValue {
    pub raw: f64,
    /// After the family's adjustment (equal to `raw` when the adjustment is none).
    pub adjusted: f64,
    /// `adjusted < 1 − confidence`.
    pub significant: bool,
}

/// One group against the reference on one rate.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    /// Group rate ÷ reference rate, Katz log interval.
    pub ratio: Outcome<stats::RatioInterval>,
    /// Group rate − reference rate, Newcombe hybrid score interval.
    pub difference: Outcome<stats::Interval>,
    /// Pooled two-proportion z-test.
    pub z_test: Outcome<stats::ZTest>,
    /// Fisher's exact test (two-sided) with the sample odds ratio.
    pub fisher: Outcome<stats::FisherExact>,
    /// Fisher's p-value, raw and adjusted within the reference family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<PValue>,
    /// The smallest gap from the reference rate this data could detect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detectable: Option<Outcome<stats::DetectableDifference>>,
}

/// What the verdict rests on: the group against the most favoured group.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AdverseImpact {
    pub verdict: Verdict,
    /// One plain-English sentence.
    pub reason: String,
    /// The most favoured group the group is compared with.
    pub compared_with: String,
    /// Beneficial-outcome rate ratio with its Katz interval.
    pub impact_ratio: Outcome<stats::RatioInterval>,
    /// Fisher's exact test on the beneficial outcome.
    pub fisher: Outcome<stats::FisherExact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<PValue>,
    /// More people in the group who would need the beneficial outcome to
    /// match the reference group's rate (for a harmful decision: fewer flagged).
    pub shortfall_to_reference: Option<u64>,
    /// … to reach the four-fifths line against the most favoured group.
    pub shortfall_to_threshold: Option<u64>,
    /// The smallest number of people (1 or 2) whose outcome, if switched,
    /// would change the four-fifths finding; null if neither would.
    pub four_fifths_changes_with: Option<u8>,
    /// Likewise for the significance finding.
    pub significance_changes_with: Option<u8>,
    /// The smallest gap from the most favoured group's rate this data could detect.
    pub detectable: Outcome<stats::DetectableDifference>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    AdverseImpactIndicated,
    PossibleAdverseImpact,
    NoAdverseImpactIndicated,
    InsufficientData,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RateInterval {
    pub lower: f64,
    pub upper: f64,
}

/// Evidence for one group.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupEvidence {
    /// Interval for each defined rate, by the chosen method.
    pub intervals: BTreeMap<&'static str, RateInterval>,
    /// Against the reference, per tested rate (absent for the reference).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub vs_reference: BTreeMap<&'static str, Comparison>,
    /// Absent for the "(missing)" group, which is not judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adverse_impact: Option<AdverseImpact>,
}

/// Evidence for one attribute.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AttributeEvidence {
    /// Chi-squared test of independence across the attribute's groups, per rate.
    pub chi_squared: BTreeMap<&'static str, Outcome<stats::ChiSquaredTest>>,
    /// Per group, in the order of the attribute's groups.
    pub groups: Vec<GroupEvidence>,
    /// With a strata column: each group against the reference, stratified.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub stratified: BTreeMap<String, Stratified>,
}

/// Cochran–Mantel–Haenszel analysis of the selection rate across strata.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Stratified {
    pub cmh: Outcome<stats::CmhTest>,
    pub common_odds_ratio: Outcome<stats::PooledOddsRatio>,
    pub breslow_day: Outcome<stats::BreslowDayTest>,
}

/// Which p-values were adjusted together.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Family {
    pub name: &'static str,
    pub description: &'static str,
    pub method: Adjustment,
    pub tests: usize,
}

/// All evidence in a report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Evidence {
    pub options: EvidenceOptions,
    pub families: Vec<Family>,
    pub attributes: Vec<AttributeEvidence>,
}

/// Inputs per attribute: the tallies, the resolved reference group (None =
/// overall population) and the four-fifths threshold.
pub struct AttributeInput<'a> {
    pub tally: &'a AttributeTally,
    pub reference: Option<&'a str>,
    /// The four-fifths check's most favoured group, so that the verdicts
    /// compare with the same group the report shows (with weights, the
    /// weighted rates choose it).
    pub most_favoured: Option<&'a str>,
}

fn comparable(name: &str) -> bool {
    !is_missing_group(name)
}

/// Beneficial-outcome count (and n) for a group.
fn beneficial(c: &Counts<u64>, direction: Direction) -> (u64, u64) {
    match direction {
        Direction::Beneficial => (c.selected, c.n),
        Direction::Harmful => (c.n - c.selected, c.n),
    }
}

/// The most favoured group: highest beneficial rate among comparable groups
/// with at least `min_group` rows (a group too small to judge cannot set the
/// bar), falling back to all comparable groups. Ties: larger group, then name.
pub fn most_favoured<'a>(
    groups: impl Iterator<Item = (&'a String, &'a Counts<u64>)> + Clone,
    direction: Direction,
    min_group: u64,
) -> Option<&'a String> {
    let pick = |min: u64| {
        groups
            .clone()
            .filter(|(name, c)| comparable(name) && c.n > 0 && c.n >= min)
            .max_by(|(na, a), (nb, b)| {
                let (ba, bb) = (beneficial(a, direction), beneficial(b, direction));
                // ba.0/ba.1 vs bb.0/bb.1, exactly.
                (u128::from(ba.0) * u128::from(bb.1))
                    .cmp(&(u128::from(bb.0) * u128::from(ba.1)))
                    .then(a.n.cmp(&b.n))
                    .then_with(|| nb.cmp(na))
            })
            .map(|(name, _)| name)
    };
    pick(min_group).or_else(|| pick(0))
}

fn interval(method: IntervalMethod, x: u64, n: u64, confidence: f64) -> Option<RateInterval> {
    let r = match method {
        IntervalMethod::Wilson => stats::wilson_interval(x, n, confidence),
        IntervalMethod::ClopperPearson => stats::clopper_pearson_interval(x, n, confidence),
    };
    r.ok().map(|i| RateInterval { lower: i.lower, upper: i.upper })
}

fn compare(x1: u64, n1: u64, x2: u64, n2: u64, options: &EvidenceOptions) -> Comparison {
    let c = options.confidence;
    let fisher = if n1 == 0 || n2 == 0 {
        Outcome::undefined("a group has no rows to compare")
    } else {
        Outcome::from(stats::fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]))
    };
    Comparison {
        ratio: Outcome::from(stats::katz_risk_ratio_interval(x1, n1, x2, n2, c)),
        difference: Outcome::from(stats::newcombe_difference_interval(x1, n1, x2, n2, c)),
        z_test: Outcome::from(stats::two_proportion_z_test(x1, n1, x2, n2)),
        fisher,
        p_value: None,
        detectable: None,
    }
}

fn fisher_p(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    stats::fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).ok().map(|f| f.p_value)
}

fn adjust(method: Adjustment, raw: &[f64]) -> Vec<f64> {
    let adjusted = match method {
        Adjustment::Holm => stats::holm_adjust(raw),
        Adjustment::Bh => stats::benjamini_hochberg_adjust(raw),
        Adjustment::None => Ok(raw.to_vec()),
    };
    adjusted.unwrap_or_else(|_| raw.to_vec())
}

/// Smallest k ≥ 0 with (x + k) / n ≥ target_x / target_n, exactly.
fn shortfall_to_rate(x: u64, n: u64, target_x: u64, target_n: u64) -> Option<u64> {
    if n == 0 || target_n == 0 {
        return None;
    }
    let need = u128::from(target_x) * u128::from(n);
    let have = u128::from(x) * u128::from(target_n);
    if have >= need {
        return Some(0);
    }
    let k = (need - have).div_ceil(u128::from(target_n));
    u64::try_from(k).ok()
}

/// The impact ratio test exactly as the four-fifths check computes it.
fn below_threshold(b: u64, n: u64, top_b: u64, top_n: u64, threshold: f64) -> Option<bool> {
    let ratio = (b as f64 * top_n as f64) / (n as f64 * top_b as f64);
    (n > 0 && top_b > 0 && ratio.is_finite()).then_some(ratio < threshold)
}

/// Smallest k with the group no longer below the threshold.
fn shortfall_to_threshold(b: u64, n: u64, top_b: u64, top_n: u64, threshold: f64) -> Option<u64> {
    let below = |k: u64| below_threshold(b + k, n, top_b, top_n, threshold);
    below(0)?;
    let guess = (threshold * top_b as f64 * n as f64 / top_n as f64 - b as f64).ceil().max(0.0);
    let mut k = (guess as u64).min(n - b);
    while k > 0 && below(k - 1) == Some(false) {
        k -= 1;
    }
    while k < n - b && below(k) == Some(true) {
        k += 1;
    }
    (below(k) == Some(false)).then_some(k)
}

struct PendingVerdict {
    attribute: usize,
    group: usize,
    b: u64,
    n: u64,
    top_b: u64,
    top_n: u64,
    below: Option<bool>,
    is_top: bool,
}

pub fn build(
    inputs: &[AttributeInput<'_>],
    direction: Direction,
    threshold: f64,
    options: &EvidenceOptions,
) -> Evidence {
    let alpha = 1.0 - options.confidence;
    let mut attributes = Vec::new();
    // (attribute, group, rate key, raw p) for the reference family.
    let mut reference_family: Vec<(usize, usize, &'static str, f64)> = Vec::new();
    let mut verdict_family: Vec<(PendingVerdict, Option<f64>)> = Vec::new();

    for (ai, input) in inputs.iter().enumerate() {
        let tally = input.tally;
        let total = tally.total().counts;
        let reference: Option<&GroupTally> = input.reference.and_then(|r| tally.groups.get(r));
        let reference_counts = reference.map_or(total, |r| r.counts);
        let top_name = match input.most_favoured.and_then(|name| tally.groups.get_key_value(name)) {
            Some((name, _)) => Some(name),
            None => most_favoured(tally.groups.iter().map(|(k, v)| (k, &v.counts)), direction, options.min_group),
        };
        let top = top_name.and_then(|t| tally.groups.get(t)).map(|t| t.counts);

        let mut groups = Vec::new();
        for (gi, (name, t)) in tally.groups.iter().enumerate() {
            let c = &t.counts;
            let intervals = Rate::ALL
                .iter()
                .filter_map(|&rate| {
                    let (x, n, _) = rate.fraction(c, &total);
                    let labelled_ok = !rate.needs_label() || c.tp + c.fp + c.tn + c.fn_ > 0;
                    labelled_ok
                        .then(|| interval(options.interval, x, n, options.confidence))
                        .flatten()
                        .map(|i| (rate.key(), i))
                })
                .collect();
            let is_reference = input.reference == Some(name.as_str());
            let mut vs_reference = BTreeMap::new();
            // "(missing)" is shown, not compared: testing it would also change
            // the other groups' adjusted p-values.
            if !is_reference && comparable(name) {
                for rate in TESTED_RATES {
                    let labelled = c.tp + c.fp + c.tn + c.fn_ > 0 || reference_counts.tp + reference_counts.fn_ > 0;
                    if rate.needs_label() && !labelled {
                        continue;
                    }
                    let (x1, n1, _) = rate.fraction(c, &total);
                    let (x2, n2, _) = rate.fraction(&reference_counts, &total);
                    let mut comparison = compare(x1, n1, x2, n2, options);
                    if let Some(f) = comparison.fisher.value() {
                        reference_family.push((ai, gi, rate.key(), f.p_value));
                    }
                    if rate == Rate::SelectionRate && n2 > 0 {
                        comparison.detectable = Some(Outcome::from(stats::minimum_detectable_difference(
                            n1,
                            n2,
                            x2 as f64 / n2 as f64,
                            alpha,
                            options.power,
                        )));
                    }
                    vs_reference.insert(rate.key(), comparison);
                }
            }
            let adverse_impact = match (comparable(name), top_name, top) {
                (true, Some(top_name), Some(top)) => {
                    let (b, n) = beneficial(c, direction);
                    let (top_b, top_n) = beneficial(&top, direction);
                    let (ref_b, ref_n) = beneficial(&reference_counts, direction);
                    let below = below_threshold(b, n, top_b, top_n, threshold);
                    let raw = if name == top_name { None } else { fisher_p(b, n, top_b, top_n) };
                    verdict_family.push((
                        PendingVerdict {
                            attribute: ai,
                            group: gi,
                            b,
                            n,
                            top_b,
                            top_n,
                            below,
                            is_top: name == top_name,
                        },
                        raw,
                    ));
                    Some(AdverseImpact {
                        verdict: Verdict::InsufficientData,
                        reason: String::new(),
                        compared_with: top_name.clone(),
                        impact_ratio: Outcome::from(stats::katz_risk_ratio_interval(
                            b,
                            n,
                            top_b,
                            top_n,
                            options.confidence,
                        )),
                        fisher: if n > 0 && top_n > 0 {
                            Outcome::from(stats::fisher_exact([[b, n - b], [top_b, top_n - top_b]]))
                        } else {
                            Outcome::undefined("a group has no rows to compare")
                        },
                        p_value: None,
                        shortfall_to_reference: shortfall_to_rate(b, n, ref_b, ref_n),
                        shortfall_to_threshold: shortfall_to_threshold(b, n, top_b, top_n, threshold),
                        four_fifths_changes_with: None,
                        significance_changes_with: None,
                        detectable: if top_n > 0 {
                            Outcome::from(stats::minimum_detectable_difference(
                                n,
                                top_n,
                                top_b as f64 / top_n as f64,
                                alpha,
                                options.power,
                            ))
                        } else {
                            Outcome::undefined("the most favoured group has no rows")
                        },
                    })
                }
                _ => None,
            };
            groups.push(GroupEvidence { intervals, vs_reference, adverse_impact });
        }

        let comparable_rows: Vec<&Counts<u64>> =
            tally.groups.iter().filter(|(name, _)| comparable(name)).map(|(_, t)| &t.counts).collect();
        let mut chi_squared = BTreeMap::new();
        let labelled = total.tp + total.fp + total.tn + total.fn_ > 0;
        for rate in [Rate::SelectionRate, Rate::Tpr, Rate::Fpr] {
            if rate.needs_label() && !labelled {
                continue;
            }
            let table: Vec<[u64; 2]> = comparable_rows
                .iter()
                .map(|c| {
                    let (x, n, _) = rate.fraction(*c, &total);
                    [x, n - x]
                })
                .collect();
            chi_squared.insert(rate.key(), Outcome::from(stats::chi_squared_independence(&table, options.yates)));
        }

        let mut stratified = BTreeMap::new();
        if !tally.strata.is_empty() {
            if let Some(reference_name) = input.reference {
                for name in tally.groups.keys().filter(|n| comparable(n) && n.as_str() != reference_name) {
                    let tables: Vec<stats::Stratum> = tally
                        .strata
                        .values()
                        .map(|groups| {
                            let g = groups.get(name).map(|t| t.counts).unwrap_or_default();
                            let r = groups.get(reference_name).map(|t| t.counts).unwrap_or_default();
                            [[g.selected, g.n - g.selected], [r.selected, r.n - r.selected]]
                        })
                        .collect();
                    stratified.insert(
                        name.clone(),
                        Stratified {
                            cmh: Outcome::from(stats::cochran_mantel_haenszel_test(&tables, false)),
                            common_odds_ratio: Outcome::from(stats::mantel_haenszel_odds_ratio(
                                &tables,
                                options.confidence,
                            )),
                            breslow_day: Outcome::from(stats::breslow_day_test(&tables, false)),
                        },
                    );
                }
            }
        }
        attributes.push(AttributeEvidence { chi_squared, groups, stratified });
    }

    // Reference family.
    let raw: Vec<f64> = reference_family.iter().map(|f| f.3).collect();
    let adjusted = adjust(options.adjust, &raw);
    for ((ai, gi, key, p), adj) in reference_family.iter().zip(&adjusted) {
        if let Some(c) = attributes[*ai].groups[*gi].vs_reference.get_mut(key) {
            c.p_value = Some(PValue { raw: *p, adjusted: *adj, significant: *adj < alpha });
        }
    }

    // Verdict family.
    let raw: Vec<f64> = verdict_family.iter().filter_map(|(_, p)| *p).collect();
    let adjusted = adjust(options.adjust, &raw);
    let mut next = 0;
    for (pending, p) in &verdict_family {
        let p_value = p.map(|p| {
            let adj = adjusted.get(next).copied().unwrap_or(p);
            next += 1;
            PValue { raw: p, adjusted: adj, significant: adj < alpha }
        });
        let family_index = p_value.as_ref().map(|_| next - 1);
        let significance_changes_with = p_value
            .as_ref()
            .and_then(|pv| significance_flip(pending, pv.significant, family_index, &raw, options, alpha));
        let four_fifths_changes_with = pending.below.and_then(|below| {
            (1..=2u8).find(|&k| {
                let k = u64::from(k);
                let moved =
                    if below { (pending.b + k <= pending.n).then(|| pending.b + k) } else { pending.b.checked_sub(k) };
                moved.and_then(|b| below_threshold(b, pending.n, pending.top_b, pending.top_n, threshold))
                    == Some(!below)
            })
        });
        let Some(ai) = attributes[pending.attribute].groups[pending.group].adverse_impact.as_mut() else {
            continue;
        };
        ai.p_value = p_value;
        ai.significance_changes_with = significance_changes_with;
        ai.four_fifths_changes_with = four_fifths_changes_with;
        let (verdict, reason) = verdict(pending, ai, threshold, options, direction);
        ai.verdict = verdict;
        ai.reason = reason;
    }

    let families = vec![
        Family {
            name: "reference_comparisons",
            description: "Fisher's exact test of every group against the reference group, on each tested rate, across all attributes",
            method: options.adjust,
            tests: reference_family.len(),
        },
        Family {
            name: "adverse_impact",
            description: "Fisher's exact test of every group against its attribute's most favoured group, on the beneficial outcome, across all attributes",
            method: options.adjust,
            tests: raw.len(),
        },
    ];
    Evidence { options: options.clone(), families, attributes }
}

/// Smallest k in {1, 2} such that switching k people's outcome (towards the
/// most favoured group's rate when significant, away from it otherwise)
/// changes whether the adjusted p-value is significant.
fn significance_flip(
    pending: &PendingVerdict,
    significant: bool,
    index: Option<usize>,
    family: &[f64],
    options: &EvidenceOptions,
    alpha: f64,
) -> Option<u8> {
    let index = index?;
    let rate_below =
        u128::from(pending.b) * u128::from(pending.top_n) < u128::from(pending.top_b) * u128::from(pending.n);
    (1..=2u8).find(|&k| {
        let k = u64::from(k);
        // Towards the top group's rate closes the gap; away widens it.
        let up = rate_below == significant;
        let b = if up { pending.b.checked_add(k).filter(|&b| b <= pending.n) } else { pending.b.checked_sub(k) };
        let Some(p) = b.and_then(|b| fisher_p(b, pending.n, pending.top_b, pending.top_n)) else {
            return false;
        };
        let mut changed = family.to_vec();
        changed[index] = p;
        let adjusted = adjust(options.adjust, &changed);
        (adjusted[index] < alpha) != significant
    })
}

fn percent(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

fn verdict(
    pending: &PendingVerdict,
    ai: &AdverseImpact,
    threshold: f64,
    options: &EvidenceOptions,
    direction: Direction,
) -> (Verdict, String) {
    let outcome = match direction {
        Direction::Beneficial => "the positive decision",
        Direction::Harmful => "the beneficial outcome (not being selected)",
    };
    if pending.n < options.min_group {
        return (
            Verdict::InsufficientData,
            format!(
                "Only {} {} in this group; at least {} are needed before the data can support a finding.",
                pending.n,
                if pending.n == 1 { "person is" } else { "people are" },
                options.min_group
            ),
        );
    }
    let Some(below) = pending.below else {
        return (Verdict::InsufficientData, format!("The impact ratio is undefined: no group received {outcome}."));
    };
    if pending.is_top {
        return (
            Verdict::NoAdverseImpactIndicated,
            "This is the most favoured group, against which the others are compared.".into(),
        );
    }
    let ratio = (pending.b as f64 * pending.top_n as f64) / (pending.n as f64 * pending.top_b as f64);
    let significant = ai.p_value.as_ref().is_some_and(|p| p.significant);
    let detectable =
        ai.detectable.value().and_then(|d| d.decrease).map(|d| {
            format!(" This data could not reliably detect a gap smaller than {} percentage points.", percent(d))
        });
    if !below {
        let extra = if significant {
            " The gap is statistically significant but smaller than the four-fifths threshold.".to_string()
        } else {
            detectable.unwrap_or_default()
        };
        return (
            Verdict::NoAdverseImpactIndicated,
            format!("The impact ratio {ratio:.3} is at or above {threshold}.{extra}"),
        );
    }
    if !significant {
        return (
            Verdict::PossibleAdverseImpact,
            format!(
                "The impact ratio {ratio:.3} is below {threshold}, but the difference is not statistically significant after adjustment.{}",
                detectable.unwrap_or_default()
            ),
        );
    }
    if let Some(k) = ai.significance_changes_with.filter(|&k| k == 1) {
        return (
            Verdict::PossibleAdverseImpact,
            format!("The impact ratio {ratio:.3} is below {threshold} and significant, but the significance disappears if {k} person's outcome were different."),
        );
    }
    if let Some(k) = ai.four_fifths_changes_with.filter(|&k| k == 1) {
        return (
            Verdict::PossibleAdverseImpact,
            format!("The impact ratio {ratio:.3} is below {threshold} and significant, but it would reach {threshold} if {k} more person received {outcome}."),
        );
    }
    (
        Verdict::AdverseImpactIndicated,
        format!(
            "The impact ratio {ratio:.3} is below {threshold} and the difference is statistically significant after adjustment, and stays so if one person's outcome were different."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortfalls_are_exact() {
        // Group 10/40 (25%), reference 30/60 (50%): 10 more reach 20/40.
        assert_eq!(shortfall_to_rate(10, 40, 30, 60), Some(10));
        assert_eq!(shortfall_to_rate(20, 40, 30, 60), Some(0));
        // 1/3 → 2/3 needs exactly 1.
        assert_eq!(shortfall_to_rate(1, 3, 2, 3), Some(1));
        // Four-fifths of 50% is 40%: 10/40 needs 6 more (16/40 = 40%).
        assert_eq!(shortfall_to_threshold(10, 40, 30, 60, 0.8), Some(6));
        assert_eq!(shortfall_to_threshold(16, 40, 30, 60, 0.8), Some(0));
        assert_eq!(below_threshold(16, 40, 30, 60, 0.8), Some(false));
        assert_eq!(below_threshold(15, 40, 30, 60, 0.8), Some(true));
    }

    #[test]
    fn most_favoured_skips_groups_too_small_to_judge() {
        let c = |n: u64, selected: u64| Counts { n, selected, ..Default::default() };
        let groups = [("A".to_string(), c(100, 50)), ("B".to_string(), c(5, 5)), ("C".to_string(), c(200, 40))];
        let iter = groups.iter().map(|(k, v)| (k, v));
        assert_eq!(most_favoured(iter.clone(), Direction::Beneficial, 30).map(String::as_str), Some("A"));
        assert_eq!(most_favoured(iter.clone(), Direction::Beneficial, 0).map(String::as_str), Some("B"));
        assert_eq!(most_favoured(iter, Direction::Harmful, 30).map(String::as_str), Some("C"));
    }
}
