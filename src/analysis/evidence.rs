//! Tallies → evidence: intervals, tests, multiple-comparison adjustment,
//! practical significance, power and verdicts.
//!
//! Everything here uses row counts (binomial methods need counts, not sums of
//! weights). Every group is compared with one comparison group fixed before
//! the outcomes are looked at (a named group, the largest, or everyone
//! else); with the "most favoured" comparison every pair of groups is
//! tested, which allows for having picked the best. Each attribute has its
//! own families of tests (intersections are exploratory), so adding an
//! attribute never changes another's verdicts. The rules are in
//! docs/metrics.md, "Verdicts".

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

pub use crate::analysis::undefined::Outcome;

/// An error that carries a plain-English reason, for [`Outcome::from`].
pub trait Reason {
    /// The reason, in plain English.
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
    /// The value, or the error's reason as `{"undefined": reason}`.
    pub fn from<E: Reason>(r: Result<T, E>) -> Self {
        match r {
            Ok(v) => Outcome::Value(v),
            Err(e) => Outcome::Undefined { undefined: e.reason() },
        }
    }

    pub(crate) fn undefined(why: impl Into<String>) -> Self {
        Outcome::Undefined { undefined: why.into() }
    }
}

/// A p-value with its adjusted counterpart.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PValue {
    /// Fisher's two-sided p-value, before adjustment.
    pub raw: f64,
    /// After the family's adjustment (equal to `raw` when the adjustment is none).
    pub adjusted: f64,
    /// `adjusted < 1 − confidence`.
    pub significant: bool,
}

/// One group against the comparison group on one rate.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    /// Group rate ÷ comparison rate, Katz log interval at the family's level.
    pub ratio: Outcome<stats::RatioInterval>,
    /// Group rate − comparison rate, Newcombe hybrid score interval at the family's level.
    pub difference: Outcome<stats::Interval>,
    /// Pooled two-proportion z-test.
    pub z_test: Outcome<stats::ZTest>,
    /// Fisher's exact test (two-sided) with the sample odds ratio.
    pub fisher: Outcome<stats::FisherExact>,
    /// Fisher's p-value, raw and adjusted within the attribute's rate family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<PValue>,
}

/// A count out of a total, with the rate's interval.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Proportion {
    /// Rows given the positive decision (for a harmful decision: flagged).
    pub count: u64,
    /// Rows in the group.
    pub of: u64,
    /// `count / of`, or with weights the weighted rate; undefined when there
    /// is no one (or no weight) in the group.
    pub rate: crate::metrics::Value,
    /// The rate's interval at the report's confidence (by the chosen method;
    /// with weights, at Kish's effective size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<RateInterval>,
    /// With weights: Kish's effective size `(Σw)² / Σw²` of the group, the
    /// number of unweighted people that would give the same precision.
    /// *Absent* without weights.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_size: Option<f64>,
}

/// The verdict for one group and what it rests on: the group against the
/// attribute's comparison group on the decision.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AdverseImpact {
    /// The verdict: the first rule that applies (docs/metrics.md, "Verdicts").
    pub verdict: Verdict,
    /// Plain-English sentences giving the figures and the rule applied.
    pub reason: String,
    /// The comparison group, or "everyone else".
    pub compared_with: String,
    /// The family the verdict's test was adjusted in (see `evidence.families`).
    pub family: String,
    /// Which line was crossed: `impact_ratio`, `harm_ratio`, both, or neither.
    pub crossed: Vec<&'static str>,
    /// The group's positive decisions (for a harmful decision: flagged).
    pub group_decisions: Proportion,
    /// The comparison group's positive decisions.
    pub comparison_decisions: Proportion,
    /// Beneficial-outcome rate ratio with its Katz interval at the family's level.
    pub impact_ratio: Outcome<stats::RatioInterval>,
    /// For a harmful decision: how many times as often the group is given it,
    /// with its Katz interval at the family's level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub harm_ratio: Option<Outcome<stats::RatioInterval>>,
    /// Fisher's exact test on the decision.
    pub fisher: Outcome<stats::FisherExact>,
    /// Fisher's p, raw and adjusted in the family; absent when the test was
    /// left out of the family (too small, or no outcome could be significant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_value: Option<PValue>,
    /// The smallest p-value any outcome of a group this size could give.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_achievable_p: Option<f64>,
    /// The chance this test would find a gap exactly at the line (a ratio of
    /// the threshold), at the family's level; given when the line is crossed
    /// but the gap is not significant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power_at_threshold: Option<f64>,
    /// More people in the group who would need the beneficial outcome to
    /// match the comparison group's rate.
    pub shortfall_to_reference: Option<u64>,
    /// … for the group to cross no line.
    pub shortfall_to_threshold: Option<u64>,
    /// The smallest number of people (1 or 2) whose outcome, if switched,
    /// would change whether a line is crossed; null if neither would.
    pub threshold_changes_with: Option<u8>,
    /// Likewise for the significance finding.
    pub significance_changes_with: Option<u8>,
    /// The smallest gap from the comparison rate that the test applied, at
    /// the family's level, could detect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detectable: Option<Outcome<stats::DetectableDifference>>,
}

/// What the evidence says about one group against the comparison group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A line is crossed, clearly (the interval lies beyond it), the gap is
    /// significant after adjustment, and one person would not change that.
    AdverseImpactIndicated,
    /// A line is crossed, with some evidence but not enough for "indicated".
    PossibleAdverseImpact,
    /// Within the lines, but a significant gap larger than the practical floor.
    GapWithinThreshold,
    /// A line is crossed, but the test had too little power to tell this from chance.
    InsufficientEvidence,
    /// No line is crossed, and no significant gap against the group goes beyond
    /// the practical floor.
    NoAdverseImpactIndicated,
    /// Too few people, or no outcome in a group this size could be significant.
    InsufficientData,
    /// The group the others are compared with.
    ComparisonGroup,
}

impl Verdict {
    /// Verdicts a reader must look at (shown amber or red).
    pub fn is_finding(self) -> bool {
        matches!(self, Verdict::AdverseImpactIndicated | Verdict::PossibleAdverseImpact | Verdict::GapWithinThreshold)
    }
}

/// A single rate's confidence interval, at the report's confidence and by its
/// interval method.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RateInterval {
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

/// A group's rate as rows and its interval: the page and the exports show
/// "4 of 9; 14% to 79%" from these, so they need no formulas of their own.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RateEstimate {
    /// Rows in the rate's numerator (for TPR: true positives).
    pub count: u64,
    /// Rows in its denominator (for TPR: true positives and false negatives).
    pub of: u64,
    /// Lower confidence limit (with weights, of the weighted rate).
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

/// Evidence for one group.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupEvidence {
    /// Each defined rate's rows and interval, by the chosen method.
    pub intervals: BTreeMap<&'static str, RateEstimate>,
    /// Rates whose denominator (in rows) is below `min_group`, with that
    /// denominator: too few to judge, and left out of the between-group summaries.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub too_few: BTreeMap<&'static str, u64>,
    /// Against the comparison group, per tested rate (absent for the comparison group).
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
    /// Cochran–Mantel–Haenszel test that the common odds ratio is 1 (no
    /// continuity correction).
    pub cmh: Outcome<stats::CmhTest>,
    /// Mantel–Haenszel pooled odds ratio, with its interval at the report's
    /// confidence.
    pub common_odds_ratio: Outcome<stats::PooledOddsRatio>,
    /// Breslow–Day test that every stratum has the same odds ratio (without
    /// Tarone's adjustment).
    pub breslow_day: Outcome<stats::BreslowDayTest>,
    /// When Breslow–Day finds the odds ratio differs between strata: the
    /// pooled figure summarises unlike strata, so read them one by one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
    /// The group's odds ratio against the comparison group in each stratum
    /// that has both groups in it (the others have none).
    pub by_stratum: Vec<StratumOddsRatio>,
}

/// The group's odds of the positive decision against the comparison group's,
/// within one stratum.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StratumOddsRatio {
    /// The stratum's value.
    pub stratum: String,
    /// `ad / bc`: infinite when `bc = 0`, undefined when a row or column is empty.
    pub odds_ratio: stats::Estimate,
}

/// Which p-values were adjusted together.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Family {
    /// `verdicts: COLUMN` or `rates: COLUMN`.
    pub name: String,
    /// The attribute's column (an intersection's joined with `|`).
    pub attribute: String,
    /// True for intersections: exploratory, not a protected characteristic's family.
    pub exploratory: bool,
    /// What the family's tests compare, in plain English.
    pub description: String,
    /// The adjustment applied to the family's p-values.
    pub method: Adjustment,
    /// Tests in the family.
    pub tests: usize,
    /// Tests of at least `min_group` people left out because no outcome could
    /// be significant (tests of fewer people are left out too, uncounted).
    pub left_out: usize,
    /// The level of the family's intervals: 1 − α/m for Holm (Bonferroni,
    /// simultaneous), 1 − Rα/m for Benjamini–Hochberg (Benjamini–Yekutieli
    /// false-coverage intervals, R findings), 1 − α without adjustment.
    pub interval_confidence: f64,
    /// The level at which power and detectable gaps are computed: α/m with
    /// an adjustment (the first step of Holm and BH), α without.
    pub test_level: f64,
}

/// All evidence in a report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Evidence {
    /// The evidence settings used.
    pub options: EvidenceOptions,
    /// For each attribute in turn, its `rates` family then its `verdicts`
    /// family.
    pub families: Vec<Family>,
    /// Per attribute, in the order of the inputs.
    pub attributes: Vec<AttributeEvidence>,
}

/// The lines a verdict is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Lines {
    /// Whether the positive decision helps or harms, which decides the
    /// beneficial outcome.
    pub direction: Direction,
    /// The four-fifths line on the beneficial-outcome ratio (0.8).
    pub impact_ratio: f64,
    /// For a harmful decision, the line on the harm ratio (1.25).
    pub harm_ratio: f64,
    /// The practical floor on the impact ratio (0.9); its inverse on the harm ratio.
    pub practical_ratio: f64,
}

/// Inputs per attribute.
pub struct AttributeInput<'a> {
    /// The attribute's tallies, after binning.
    pub tally: &'a AttributeTally,
    /// The comparison group; `None` compares each group with everyone else.
    pub comparator: Option<&'a str>,
    /// True when the comparator was picked as the most favoured group:
    /// then every pair of groups is tested, which allows for the pick.
    pub all_pairs: bool,
    /// A weight column is used: inference then runs on Kish's effective
    /// counts (when every group has Σw²; otherwise on rows).
    pub weighted: bool,
    /// Compute each group's detectable gap (the costliest figure). Only
    /// simulations, which judge thousands of files, leave it out; it does
    /// not change a verdict, only the sentence that gives it.
    pub detectable_gaps: bool,
}

/// What a group's inference is counted from: its rows and, with weights,
/// the sums of its weights and of their squares. Adds and subtracts, so
/// "everyone else" is the comparable total less the group.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    rows: Counts<u64>,
    weights: Option<(Counts<f64>, f64)>,
    /// The weighted sums in fixed point, for exact comparisons with the lines.
    fixed: Option<Counts<u128>>,
}

impl Sums {
    /// The group's sums; weights only when `weighted` (every group has them).
    fn of(t: &GroupTally, weighted: bool) -> Sums {
        let weights = match (weighted, t.weighted, t.weight_squares) {
            // Σw² is in units of 10⁻¹⁸, the square of Σw's 10⁻⁹.
            (true, Some(w), Some(w2)) => {
                Some((w.to_f64(), w2 as f64 / (crate::tally::WEIGHT_SCALE * crate::tally::WEIGHT_SCALE)))
            }
            _ => None,
        };
        Sums { rows: t.counts, weights, fixed: t.weighted.filter(|_| weighted) }
    }

    fn add(self, o: Sums) -> Sums {
        Sums {
            rows: self.rows + o.rows,
            weights: match (self.weights, o.weights) {
                (Some((a, a2)), Some((b, b2))) => Some((a + b, a2 + b2)),
                (a, b) => a.or(b),
            },
            fixed: match (self.fixed, o.fixed) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            },
        }
    }

    fn without(self, o: &Sums) -> Sums {
        Sums {
            rows: self.rows.without(&o.rows),
            weights: match (self.weights, o.weights) {
                (Some((a, a2)), Some((b, b2))) => Some((a.without(&b), (a2 - b2).max(0.0))),
                (a, _) => a,
            },
            fixed: match (self.fixed, o.fixed) {
                (Some(a), Some(b)) => Some(a.without(&b)),
                (a, _) => a,
            },
        }
    }

    /// The counts inference runs on.
    fn basis(self) -> Basis {
        let Some((w, w2)) = self.weights else {
            let real = rows_f64(&self.rows);
            return Basis { whole: self.rows, real, sums: real, fixed: None };
        };
        // Kish: the weighted counts scaled to the effective size (Σw)²/Σw²,
        // so that every rate is the weighted rate.
        let scale = if w.n > 0.0 && w2 > 0.0 { w.n / w2 } else { 0.0 };
        let real = Counts {
            n: w.n * scale,
            selected: w.selected * scale,
            tp: w.tp * scale,
            fp: w.fp * scale,
            tn: w.tn * scale,
            fn_: w.fn_ * scale,
        };
        let round = |x: f64| x.round() as u64;
        let labelled = real.tp + real.fp + real.tn + real.fn_ > 0.0;
        let whole = if labelled {
            let (tp, fp, tn, fn_) = (round(real.tp), round(real.fp), round(real.tn), round(real.fn_));
            Counts { n: tp + fp + tn + fn_, selected: tp + fp, tp, fp, tn, fn_ }
        } else {
            let selected = round(real.selected);
            Counts { n: selected + round(real.n - real.selected), selected, ..Default::default() }
        };
        Basis { whole, real, sums: w, fixed: self.fixed }
    }
}

fn rows_f64(c: &Counts<u64>) -> Counts<f64> {
    Counts {
        n: c.n as f64,
        selected: c.selected as f64,
        tp: c.tp as f64,
        fp: c.fp as f64,
        tn: c.tn as f64,
        fn_: c.fn_ as f64,
    }
}

/// A group's counts for inference. Without weights all three are its rows.
/// With weights (Kish's effective size, a first-order design-effect
/// correction): `real` holds the effective counts, whose rates are the
/// weighted rates, for estimates and intervals; `whole` rounds them to
/// whole people for the exact tests and power; `sums` are the weighted
/// sums, from which the lines are judged exactly as in the four-fifths block.
#[derive(Debug, Clone, Copy)]
struct Basis {
    whole: Counts<u64>,
    real: Counts<f64>,
    sums: Counts<f64>,
    /// With weights: the sums in fixed point.
    fixed: Option<Counts<u128>>,
}

/// Whether every group has the sums of its weights and of their squares.
pub(crate) fn weights_known<'a>(mut groups: impl Iterator<Item = &'a GroupTally>) -> bool {
    groups.all(|t| t.weighted.is_some() && t.weight_squares.is_some_and(|s| s != u128::MAX))
}

/// With weights, what `judge` reports beside the effective counts: the
/// group's and the comparison group's rows, weighted sums and effective counts.
struct Weighted {
    rows: (Counts<u64>, Counts<u64>),
    sums: (Counts<f64>, Counts<f64>),
    /// The same sums in fixed point, when known, for exact comparisons.
    fixed: Option<(Counts<u128>, Counts<u128>)>,
    effective: (Counts<f64>, Counts<f64>),
}

fn comparable(name: &str) -> bool {
    !is_missing_group(name)
}

/// Beneficial-outcome sum (and n) of weighted or effective counts.
fn beneficial_f64(c: &Counts<f64>, direction: Direction) -> (f64, f64) {
    match direction {
        Direction::Beneficial => (c.selected, c.n),
        Direction::Harmful => ((c.n - c.selected).max(0.0), c.n),
    }
}

/// The lines crossed by weighted sums, judged as the four-fifths block
/// judges them (so the two always agree): exactly from the fixed-point sums
/// where a ratio is defined; `None` when no ratio is defined.
fn crossed_weighted(w: &Weighted, lines: &Lines) -> Option<Vec<&'static str>> {
    let float = crossed_float(&w.sums.0, &w.sums.1, lines)?;
    let Some((group, comparison)) = w.fixed else { return Some(float) };
    let crossings = crate::exact::crossings(&group, &comparison, lines.direction, lines.impact_ratio, lines.harm_ratio);
    let impact = crossings.0.unwrap_or(float.contains(&"impact_ratio"));
    let harm = crossings.1.unwrap_or(float.contains(&"harm_ratio"));
    Some([("impact_ratio", impact), ("harm_ratio", harm)].into_iter().filter(|(_, c)| *c).map(|(l, _)| l).collect())
}

/// [`crossed_weighted`] in floating point.
fn crossed_float(group: &Counts<f64>, comparison: &Counts<f64>, lines: &Lines) -> Option<Vec<&'static str>> {
    let (b, n) = beneficial_f64(group, lines.direction);
    let (cb, cn) = beneficial_f64(comparison, lines.direction);
    let ratio = |x: f64, cx: f64| {
        (n > 0.0 && cn > 0.0).then(|| crate::metrics::Value::ratio(x * cn, n * cx, String::new).get()).flatten()
    };
    let harm = (lines.direction == Direction::Harmful).then(|| ratio(n - b, cn - cb)).flatten();
    lines_crossed(ratio(b, cb), harm, lines)
}

/// Which lines an impact ratio and a harm ratio cross; `None` when neither is defined.
fn lines_crossed(impact: Option<f64>, harm: Option<f64>, lines: &Lines) -> Option<Vec<&'static str>> {
    if impact.is_none() && harm.is_none() {
        return None;
    }
    let mut crossed = Vec::new();
    if impact.is_some_and(|r| r < lines.impact_ratio) {
        crossed.push("impact_ratio");
    }
    if harm.is_some_and(|r| r > lines.harm_ratio) {
        crossed.push("harm_ratio");
    }
    Some(crossed)
}

/// The group's decisions: rows, and with weights (its rows, weighted sums and
/// effective counts) the weighted rate with its interval at the effective size.
fn decisions(
    selected: u64,
    n: u64,
    weighted: Option<(&Counts<u64>, &Counts<f64>, &Counts<f64>)>,
    options: &EvidenceOptions,
) -> Proportion {
    match weighted {
        None => Proportion {
            count: selected,
            of: n,
            rate: crate::metrics::Value::ratio(selected as f64, n as f64, || "no one is in the group".into()),
            interval: interval(options.interval, selected, n, options.confidence),
            effective_size: None,
        },
        Some((rows, sums, effective)) => Proportion {
            count: rows.selected,
            of: rows.n,
            rate: crate::metrics::Value::ratio(sums.selected, sums.n, || "the group has no weight".into()),
            interval: effective_interval(options.interval, effective.selected, effective.n, options.confidence),
            effective_size: Some(effective.n),
        },
    }
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
/// bar). Ties: larger group, then name. Each group comes with its rows and,
/// with weights, its weighted counts, whose rate then decides.
pub fn most_favoured<'a>(
    groups: impl Iterator<Item = (&'a String, &'a Counts<u64>, Option<&'a Counts<f64>>)>,
    direction: Direction,
    min_group: u64,
) -> Option<&'a String> {
    groups
        .filter(|(name, c, w)| comparable(name) && c.n > 0 && c.n >= min_group && w.is_none_or(|w| w.n > 0.0))
        .max_by(|(na, a, wa), (nb, b, wb)| {
            let by_rate = match (wa, wb) {
                (Some(wa), Some(wb)) => {
                    let (ba, bb) = (beneficial_f64(wa, direction), beneficial_f64(wb, direction));
                    (ba.0 / ba.1).total_cmp(&(bb.0 / bb.1)).then(wa.n.total_cmp(&wb.n))
                }
                _ => {
                    let (ba, bb) = (beneficial(a, direction), beneficial(b, direction));
                    // ba.0/ba.1 vs bb.0/bb.1, exactly.
                    (u128::from(ba.0) * u128::from(bb.1)).cmp(&(u128::from(bb.0) * u128::from(ba.1)))
                }
            };
            by_rate.then(a.n.cmp(&b.n)).then_with(|| nb.cmp(na))
        })
        .map(|(name, _, _)| name)
}

fn interval(method: IntervalMethod, x: u64, n: u64, confidence: f64) -> Option<RateInterval> {
    let r = match method {
        IntervalMethod::Wilson => stats::wilson_interval(x, n, confidence),
        IntervalMethod::ClopperPearson => stats::clopper_pearson_interval(x, n, confidence),
    };
    r.ok().map(|i| RateInterval { lower: i.lower, upper: i.upper })
}

/// [`interval`] for a weighted rate at effective counts: Wilson, or
/// Korn–Graubard in place of Clopper–Pearson.
fn effective_interval(method: IntervalMethod, x: f64, n: f64, confidence: f64) -> Option<RateInterval> {
    let r = match method {
        IntervalMethod::Wilson => stats::wilson_interval_effective(x, n, confidence),
        IntervalMethod::ClopperPearson => stats::korn_graubard_interval(x, n, confidence),
    };
    r.ok().map(|i| RateInterval { lower: i.lower, upper: i.upper })
}

/// The interval of the rate `x / n` of a basis: on rows (`whole`), or at
/// effective counts (`real`).
pub(crate) fn basis_interval(
    options: &EvidenceOptions,
    weighted: bool,
    whole: (u64, u64),
    real: (f64, f64),
) -> Option<RateInterval> {
    if weighted {
        effective_interval(options.interval, real.0, real.1, options.confidence)
    } else {
        interval(options.interval, whole.0, whole.1, options.confidence)
    }
}

/// A rate's interval `[lower, upper]` at the report's confidence, by its method.
pub fn rate_interval(options: &EvidenceOptions, x: u64, n: u64) -> Option<[f64; 2]> {
    interval(options.interval, x, n, options.confidence).map(|i| [i.lower, i.upper])
}

fn fisher_p(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    stats::fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).ok().map(|f| f.p_value)
}

/// The smallest p-value an adverse outcome could give: no one in the group
/// with the beneficial outcome. Above the level, no finding is possible.
fn adverse_min_p(pair: Pair) -> Option<f64> {
    fisher_p(0, pair.n, pair.cb, pair.cn)
}

fn fisher(x1: u64, n1: u64, x2: u64, n2: u64) -> Outcome<stats::FisherExact> {
    if n1 == 0 || n2 == 0 {
        Outcome::undefined("a group has no rows to compare")
    } else {
        Outcome::from(stats::fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]))
    }
}

fn adjust(method: Adjustment, raw: &[f64]) -> Vec<f64> {
    let adjusted = match method {
        Adjustment::Holm => stats::holm_adjust(raw),
        Adjustment::Bh => stats::benjamini_hochberg_adjust(raw),
        Adjustment::None => Ok(raw.to_vec()),
    };
    adjusted.unwrap_or_else(|_| raw.to_vec())
}

/// A family's raw and adjusted p-values and its interval and power levels.
struct Adjusted {
    raw: Vec<f64>,
    adjusted: Vec<f64>,
    alpha: f64,
    interval_confidence: f64,
    test_level: f64,
    method: Adjustment,
    /// Tests counted in the family but not computed (see [`MAX_PAIRS_TESTED`]).
    untested: usize,
}

impl Adjusted {
    /// The `i`-th test's p-value.
    fn p_value(&self, i: usize) -> PValue {
        PValue { raw: self.raw[i], adjusted: self.adjusted[i], significant: self.adjusted[i] < self.alpha }
    }

    /// The family's adjustment applied to other raw p-values of the same tests.
    fn readjust(&self, raw: &[f64]) -> Vec<f64> {
        if self.untested == 0 {
            adjust(self.method, raw)
        } else {
            bonferroni(raw, raw.len() + self.untested)
        }
    }

    /// Tests in the family, counting those not computed.
    fn tests(&self) -> usize {
        self.raw.len() + self.untested
    }
}

/// More pairs than this in an all-pairs family are counted, not tested: the
/// family is then adjusted by Bonferroni over every pair, which holds whatever
/// the untested p-values are (Holm and BH would need them all), so the work
/// stays linear in the groups.
pub const MAX_PAIRS_TESTED: usize = 20_000;

fn bonferroni(raw: &[f64], m: usize) -> Vec<f64> {
    raw.iter().map(|p| (p * m as f64).min(1.0)).collect()
}

/// A family of which only `raw` is computed and `untested` more tests are
/// counted: Bonferroni over all of them (or no adjustment, if none is asked).
fn adjust_family_partly(method: Adjustment, raw: Vec<f64>, untested: usize, alpha: f64) -> Adjusted {
    if untested == 0 || method == Adjustment::None {
        return adjust_family(method, raw, alpha);
    }
    let m = raw.len() + untested;
    let adjusted = bonferroni(&raw, m);
    let level = alpha / m as f64;
    Adjusted { raw, adjusted, alpha, interval_confidence: 1.0 - level, test_level: level, method, untested }
}

fn adjust_family(method: Adjustment, raw: Vec<f64>, alpha: f64) -> Adjusted {
    let adjusted = adjust(method, &raw);
    let m = raw.len().max(1) as f64;
    let findings = adjusted.iter().filter(|&&p| p < alpha).count().max(1) as f64;
    let (interval_alpha, test_level) = match method {
        Adjustment::None => (alpha, alpha),
        Adjustment::Holm => (alpha / m, alpha / m),
        Adjustment::Bh => (findings * alpha / m, alpha / m),
    };
    Adjusted { raw, adjusted, alpha, interval_confidence: 1.0 - interval_alpha, test_level, method, untested: 0 }
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

/// One group's decision counts against the comparison group's, with the lines.
#[derive(Debug, Clone, Copy)]
struct Pair {
    /// Beneficial outcomes and size of the group …
    b: u64,
    n: u64,
    /// … and of the comparison group.
    cb: u64,
    cn: u64,
}

impl Pair {
    /// Beneficial-outcome rate ratio b/n ÷ cb/cn, from the counts.
    fn impact_ratio(self, b: u64) -> Option<f64> {
        let r = (b as f64 * self.cn as f64) / (self.n as f64 * self.cb as f64);
        (self.n > 0 && self.cb > 0 && r.is_finite()).then_some(r)
    }

    /// Harmful-outcome rate ratio (n−b)/n ÷ (cn−cb)/cn.
    fn harm_ratio(self, b: u64) -> Option<f64> {
        let (h, ch) = (self.n - b, self.cn - self.cb);
        let r = (h as f64 * self.cn as f64) / (self.n as f64 * ch as f64);
        (self.n > 0 && ch > 0 && r.is_finite()).then_some(r)
    }

    /// The lines crossed with `b` beneficial outcomes in the group; `None`
    /// when no ratio is defined.
    fn crossed(self, b: u64, lines: &Lines) -> Option<Vec<&'static str>> {
        let harm = (lines.direction == Direction::Harmful).then(|| self.harm_ratio(b)).flatten();
        lines_crossed(self.impact_ratio(b), harm, lines)
    }

    /// Smallest k with the group crossing no line after k more beneficial outcomes.
    fn shortfall_to_lines(self, lines: &Lines) -> Option<u64> {
        let clear = |k: u64| self.crossed(self.b + k, lines).map(|c| c.is_empty());
        if clear(0)? {
            return Some(0);
        }
        // Crossing is monotone in b: search for the first k that clears.
        let (mut lo, mut hi) = (0u64, self.n - self.b);
        if clear(hi) != Some(true) {
            return None;
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if clear(mid) == Some(true) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi)
    }

    /// 1 or 2: how few people switched would change whether a line is crossed.
    fn threshold_flip(self, lines: &Lines) -> Option<u8> {
        let now = !self.crossed(self.b, lines)?.is_empty();
        (1..=2u8).find(|&k| {
            let k = u64::from(k);
            let moved = if now { (self.b + k <= self.n).then(|| self.b + k) } else { self.b.checked_sub(k) };
            moved.and_then(|b| self.crossed(b, lines)).is_some_and(|c| c.is_empty() == now)
        })
    }
}

/// What `verdict` needs to know about one group.
#[derive(Debug, Clone)]
pub struct Facts {
    /// Rows in the group (with weights, its effective size, rounded).
    pub n: u64,
    /// Whether the group is the comparison group itself.
    pub is_comparator: bool,
    /// Lines crossed; `None` when no ratio is defined.
    pub crossed: Option<Vec<&'static str>>,
    /// The group's rate of the decision; `None` without rows.
    pub group_rate: Option<f64>,
    /// The comparison group's rate of the decision; `None` without rows.
    pub comparison_rate: Option<f64>,
    /// The impact ratio; `None` when it is undefined or infinite.
    pub impact_ratio: Option<f64>,
    /// Its interval's lower limit, at the family's level.
    pub impact_lower: Option<f64>,
    /// Its interval's upper limit; `None` when unbounded.
    pub impact_upper: Option<f64>,
    /// For a harmful decision, the harm ratio; `None` otherwise, or when it is
    /// undefined or infinite.
    pub harm_ratio: Option<f64>,
    /// Its interval's lower limit, at the family's level.
    pub harm_lower: Option<f64>,
    /// Its interval's upper limit; `None` when unbounded.
    pub harm_upper: Option<f64>,
    /// Fisher's p for the most adverse outcome a group of this size could have.
    pub min_achievable_p: Option<f64>,
    /// None when the test is not in the family.
    pub p_value: Option<PValue>,
    /// 1 or 2: how few switched outcomes would flip significance within the
    /// family; `None` if neither would, or the test is not in the family.
    pub significance_changes_with: Option<u8>,
    /// 1 or 2: how few switched outcomes would change whether a line is
    /// crossed; `None` if neither would.
    pub threshold_changes_with: Option<u8>,
    /// The test's power for a group exactly on the line; only when a line is
    /// crossed and the gap is not significant.
    pub power_at_threshold: Option<f64>,
    /// How far the group's beneficial rate is below the comparison group's, as
    /// a fraction (0.1 is 10 percentage points; negative: above); 0 when
    /// either group has no rows.
    pub gap: f64,
    /// How many more people in the group would need the beneficial outcome to
    /// match the comparison group's rate.
    pub shortfall_to_reference: Option<u64>,
    /// The detectable gap below the comparison rate (`Some(None)`: none is
    /// detectable); `None` when it was not computed.
    pub detectable_decrease: Option<Option<f64>>,
    /// The comparison group's name, or "everyone else".
    pub compared_with: String,
    /// With weights: `n` is the rounded effective size, and one-person
    /// changes are not checked (a weighted case is not one person).
    pub weighted: bool,
    /// The name of the family the verdict's test was adjusted in.
    pub family: String,
    /// The level of the family's intervals, as the reason quotes it.
    pub interval_confidence: f64,
}

fn percent(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

fn people(k: u64) -> String {
    if k == 1 {
        "1 person".into()
    } else {
        format!("{k} people")
    }
}

/// The verdict and its reason, from the facts (docs/metrics.md, "Verdicts").
pub fn verdict(f: &Facts, lines: &Lines, options: &EvidenceOptions) -> (Verdict, String) {
    let who = &f.compared_with;
    if f.is_comparator {
        return (Verdict::ComparisonGroup, "This is the group the others are compared with.".into());
    }
    if f.n < options.min_group {
        return (
            Verdict::InsufficientData,
            format!(
                "Too few to judge: only {} in this group; at least {} are needed before the data can support a finding.",
                if f.weighted { format!("an effective size of {}", f.n) } else { people(f.n) },
                options.min_group
            ),
        );
    }
    let Some(crossed) = &f.crossed else {
        return (
            Verdict::InsufficientData,
            format!("No ratio can be formed: {who} had no one with the outcome compared."),
        );
    };
    let Some(p) = &f.p_value else {
        let best =
            f.min_achievable_p.map(|p| format!(" (the smallest possible p is {})", p_text(p))).unwrap_or_default();
        return (
            Verdict::InsufficientData,
            format!("Too few to judge: no outcome in a group of this size could be statistically significant against {who}{best}."),
        );
    };
    let ci = percent(f.interval_confidence).trim_end_matches(".0").to_string();
    let r2 = |r: Option<f64>| r.map_or("undefined".to_string(), |r| format!("{r:.2}"));
    let range = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{ci}% range {lo:.2} to {hi:.2}"),
        (Some(lo), None) => format!("{ci}% range from {lo:.2}, no upper limit"),
        _ => format!("{ci}% range undefined"),
    };
    let rates = match (f.group_rate, f.comparison_rate) {
        (Some(g), Some(c)) => format!("{}% given the decision against {}% for {who}", percent(g), percent(c)),
        _ => String::new(),
    };
    let impact = format!(
        "impact ratio {} ({}; four-fifths line {})",
        r2(f.impact_ratio),
        range(f.impact_lower, f.impact_upper),
        lines.impact_ratio
    );
    let figures = match f.harm_ratio {
        Some(h) => format!(
            "{rates}: {} times as often (harm ratio; {}; line {}). Not being given it: {impact}. ",
            r2(Some(h)),
            range(f.harm_lower, f.harm_upper),
            lines.harm_ratio
        ),
        None => format!("{rates}: {impact}. "),
    };
    let family = &f.family;
    let significance = format!("p = {} after adjustment within {family}", p_text(p.adjusted));
    if !crossed.is_empty() {
        let which = crossed
            .iter()
            .map(|c| if *c == "harm_ratio" { "the harm-ratio line" } else { "the four-fifths line" })
            .collect::<Vec<_>>()
            .join(" and ");
        if p.significant {
            let clearly = (crossed.contains(&"impact_ratio") && f.impact_upper.is_some_and(|u| u < lines.impact_ratio))
                || (crossed.contains(&"harm_ratio") && f.harm_lower.is_some_and(|l| l > lines.harm_ratio));
            if !clearly {
                return (
                    Verdict::PossibleAdverseImpact,
                    format!("{figures}Crosses {which} and the gap is significant ({significance}), but the {ci}% range reaches back over the line."),
                );
            }
            if f.significance_changes_with == Some(1) {
                return (
                    Verdict::PossibleAdverseImpact,
                    format!("{figures}Crosses {which} ({significance}), but the significance disappears if 1 person's outcome were different."),
                );
            }
            if f.threshold_changes_with == Some(1) {
                return (
                    Verdict::PossibleAdverseImpact,
                    format!("{figures}Crosses {which} ({significance}), but would not if 1 person's outcome were different."),
                );
            }
            let robust = if f.weighted {
                "; with weights, a change in one person's outcome is not checked"
            } else {
                ", and stays so if one person's outcome were different"
            };
            return (
                Verdict::AdverseImpactIndicated,
                format!("{figures}Crosses {which}: the {ci}% range lies beyond the line and the gap is statistically significant ({significance}){robust}."),
            );
        }
        let power = f.power_at_threshold.unwrap_or(0.0);
        if power < options.power {
            return (
                Verdict::InsufficientEvidence,
                format!(
                    "{figures}Crosses {which}, but the gap is not statistically significant ({significance}) and this test had only a {}% chance of finding a gap at the line: the data cannot tell this from chance.",
                    percent(power).trim_end_matches(".0")
                ),
            );
        }
        return (
            Verdict::PossibleAdverseImpact,
            format!("{figures}Crosses {which}, but the gap is not statistically significant ({significance})."),
        );
    }
    let practical = f.impact_ratio.is_some_and(|r| r < lines.practical_ratio)
        || f.harm_ratio.is_some_and(|h| h > 1.0 / lines.practical_ratio);
    let worse = f.gap > 0.0;
    if p.significant && worse && practical {
        let shortfall = f
            .shortfall_to_reference
            .map(|k| format!(", or {} who would need the beneficial outcome to match {who}", people(k)))
            .unwrap_or_default();
        return (
            Verdict::GapWithinThreshold,
            format!(
                "{figures}Within the lines, but a gap to examine: {} percentage points{shortfall}, statistically significant ({significance}) and beyond the practical floor (impact ratio below {}).",
                percent(f.gap),
                lines.practical_ratio
            ),
        );
    }
    if p.significant && worse {
        return (
            Verdict::NoAdverseImpactIndicated,
            format!("{figures}Within the lines. The gap of {} percentage points is statistically significant ({significance}) but below the practical floor (impact ratio {} or above).", percent(f.gap), lines.practical_ratio),
        );
    }
    if p.significant {
        return (
            Verdict::NoAdverseImpactIndicated,
            format!("{figures}This group fares better than {who} ({significance})."),
        );
    }
    let detect = match f.detectable_decrease {
        Some(Some(d)) => format!(
            " At the level applied, this data could reliably detect only a gap of {} percentage points or more.",
            percent(d)
        ),
        Some(None) => " At the level applied, this data could not reliably detect any gap below that rate.".into(),
        None => String::new(),
    };
    (
        Verdict::NoAdverseImpactIndicated,
        format!("{figures}Within the lines, and the gap is not statistically significant ({significance}).{detect}"),
    )
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        format!("{p:.1e}")
    } else {
        format!("{p:.3}")
    }
}

/// The statistical evidence for every attribute (from rows, or with weights
/// from effective counts): the families of tests, and each group's
/// intervals, comparisons and verdict.
pub fn build(inputs: &[AttributeInput<'_>], lines: &Lines, options: &EvidenceOptions) -> Evidence {
    let mut families = Vec::new();
    let mut attributes = Vec::new();
    for input in inputs {
        let (found, its_families) = build_attribute(input, lines, options);
        attributes.push(found);
        families.extend(its_families);
    }
    Evidence { options: options.clone(), families, attributes }
}

/// One attribute's evidence, and its families of tests (which never span attributes).
pub fn build_attribute(
    input: &AttributeInput<'_>,
    lines: &Lines,
    options: &EvidenceOptions,
) -> (AttributeEvidence, Vec<Family>) {
    let alpha = 1.0 - options.confidence;
    let direction = lines.direction;
    let mut families = Vec::new();
    let tally = input.tally;
    let exploratory = tally.columns.len() > 1;
    let label = if exploratory { " (exploratory)" } else { "" };
    // With weights, inference uses effective counts when every group has Σw².
    let weighted = input.weighted && weights_known(tally.groups.values());
    let sums: Vec<Sums> = tally.groups.values().map(|t| Sums::of(t, weighted)).collect();
    let bases: Vec<Basis> = sums.iter().map(|s| s.basis()).collect();
    let total = sums.iter().fold(Sums::default(), |a, &b| a.add(b)).basis();
    let rows_total = sums.iter().fold(Counts::<u64>::default(), |a, s| a + s.rows);
    // Everyone else: the other groups that share a characteristic ("(missing)" rows do not).
    let comparable_total = tally
        .groups
        .keys()
        .zip(&sums)
        .filter(|(name, _)| comparable(name))
        .fold(Sums::default(), |a, (_, &b)| a.add(b));
    let comparator_index = input.comparator.and_then(|r| tally.groups.keys().position(|k| k == r));
    let comparator_basis = |gi: usize| match comparator_index {
        Some(ri) => bases[ri],
        None => comparable_total.without(&sums[gi]).basis(),
    };
    // Against everyone else, two groups are one comparison: the second
    // group's tests are the first's, and count once in the family.
    let comparable_indices: Vec<usize> =
        tally.groups.keys().enumerate().filter(|(_, name)| comparable(name)).map(|(i, _)| i).collect();
    let twin_of = |gi: usize| match (input.comparator, comparable_indices.as_slice()) {
        (None, [first, second]) if gi == *second => Some(*first),
        _ => None,
    };
    let compared_with = input.comparator.map_or_else(|| "everyone else".to_string(), str::to_string);
    let is_comparator = |name: &str| input.comparator == Some(name);

    // Rate family: every group against the comparison group, per tested rate.
    // raw p-values, and where each (group, rate) test sits among them.
    let mut raw: Vec<f64> = Vec::new();
    let mut rate_index: BTreeMap<(usize, &'static str), usize> = BTreeMap::new();
    let mut rates_left_out = 0;
    for (gi, name) in tally.groups.keys().enumerate() {
        if is_comparator(name) || !comparable(name) || twin_of(gi).is_some() {
            continue;
        }
        let c = &bases[gi].whole;
        let r = comparator_basis(gi).whole;
        for rate in TESTED_RATES {
            let labelled = c.tp + c.fp + c.tn + c.fn_ > 0 || r.tp + r.fn_ > 0;
            if rate.needs_label() && !labelled {
                continue;
            }
            let (x1, n1, _) = rate.fraction(c, &total.whole);
            let (x2, n2, _) = rate.fraction(&r, &total.whole);
            // A test that could never be significant only dilutes the family.
            let can_find = n1 >= options.min_group && stats::min_achievable_p(n1, x2, n2).is_some_and(|p| p < alpha);
            match fisher_p(x1, n1, x2, n2) {
                Some(p) if can_find => {
                    rate_index.insert((gi, rate.key()), raw.len());
                    raw.push(p);
                }
                Some(_) if n1 >= options.min_group => rates_left_out += 1,
                _ => {}
            }
        }
    }
    let rates_adjusted = adjust_family(options.adjust, raw, alpha);
    let rate_family = format!("rates: {}{label}", tally.column);
    families.push(Family {
        name: rate_family,
        attribute: tally.column.clone(),
        exploratory,
        description: format!(
            "Fisher's exact test of every group against {compared_with} on each tested rate, for {}{label}",
            tally.column
        ),
        method: options.adjust,
        tests: rates_adjusted.raw.len(),
        left_out: rates_left_out,
        interval_confidence: rates_adjusted.interval_confidence,
        test_level: rates_adjusted.test_level,
    });

    // Verdict family: the decision, against the comparison group (or, for
    // the most favoured group, every pair among the groups large enough).
    let eligible: Vec<(usize, &String, Counts<u64>)> = tally
        .groups
        .keys()
        .enumerate()
        .filter(|&(gi, name)| comparable(name) && bases[gi].whole.n >= options.min_group)
        .map(|(gi, name)| (gi, name, bases[gi].whole))
        .collect();
    // raw p-values, and where each judged group's test sits among them.
    let mut verdict_raw: Vec<f64> = Vec::new();
    let mut verdict_index: BTreeMap<usize, usize> = BTreeMap::new();
    let mut left_out = 0;
    // Pairs tested only for the all-pairs family: they widen it, not judged on their own.
    let mut extra_pairs = 0;
    for &(gi, name, c) in &eligible {
        if is_comparator(name) || twin_of(gi).is_some_and(|twin| eligible.iter().any(|e| e.0 == twin)) {
            continue;
        }
        let r = comparator_basis(gi).whole;
        let ((b, n), (cb, cn)) = (beneficial(&c, direction), beneficial(&r, direction));
        let pair = Pair { b, n, cb, cn };
        let can_find = adverse_min_p(pair).is_some_and(|p| p < alpha);
        match fisher_p(b, n, cb, cn).filter(|_| can_find) {
            Some(p) => {
                verdict_index.insert(gi, verdict_raw.len());
                verdict_raw.push(p);
            }
            None => left_out += 1,
        }
    }
    // Pairs not involving the comparator, counted before any is tested.
    let judged_groups = eligible.iter().filter(|e| !is_comparator(e.1)).count();
    let pair_count = judged_groups * judged_groups.saturating_sub(1) / 2;
    let mut untested_pairs = 0;
    if input.all_pairs && pair_count > MAX_PAIRS_TESTED {
        untested_pairs = pair_count;
    } else if input.all_pairs {
        for (i, &(_, a, ca)) in eligible.iter().enumerate() {
            for &(_, b, cb) in &eligible[i + 1..] {
                if is_comparator(a) || is_comparator(b) {
                    continue;
                }
                // Both have at least min_group rows; whether either could
                // reach significance is not checked (it costs two more tests
                // per pair, and keeping a pair only makes the family stricter).
                let ((xa, na), (xb, nb)) = (beneficial(&ca, direction), beneficial(&cb, direction));
                if let Some(p) = fisher_p(xa, na, xb, nb) {
                    extra_pairs += 1;
                    verdict_raw.push(p);
                }
            }
        }
    }
    let verdicts_adjusted = adjust_family_partly(options.adjust, verdict_raw, untested_pairs, alpha);
    let verdict_family = format!("verdicts: {}{label}", tally.column);
    families.push(Family {
        name: verdict_family.clone(),
        attribute: tally.column.clone(),
        exploratory,
        description: if untested_pairs > 0 && options.adjust != Adjustment::None {
            format!(
                "Fisher's exact test on the decision of every group of {}{label} with at least {} people against the most favoured group, adjusted (Bonferroni) as if all {untested_pairs} other pairs had been tested too, so that picking the most favoured group is allowed for; with more than {MAX_PAIRS_TESTED} pairs they are counted rather than tested",
                tally.column, options.min_group
            )
        } else if input.all_pairs {
            format!(
                "Fisher's exact test on the decision for every pair of groups of {}{label} with at least {} people ({extra_pairs} pairs not involving the most favoured group), so that picking the most favoured group is allowed for",
                tally.column, options.min_group
            )
        } else {
            format!(
                "Fisher's exact test on the decision of every group of {}{label} with at least {} people against {compared_with}",
                tally.column, options.min_group
            )
        },
        method: options.adjust,
        tests: verdicts_adjusted.tests(),
        left_out,
        interval_confidence: verdicts_adjusted.interval_confidence,
        test_level: verdicts_adjusted.test_level,
    });

    let mut groups = Vec::new();
    for (gi, name) in tally.groups.keys().enumerate() {
        let g = bases[gi];
        let c = &g.whole;
        let mut too_few = BTreeMap::new();
        let labelled_rows = c.tp + c.fp + c.tn + c.fn_ > 0;
        let intervals = Rate::ALL
            .iter()
            .filter_map(|&rate| {
                let (x, n, _) = rate.fraction(c, &total.whole);
                let (xr, nr, _) = rate.fraction(&g.real, &total.real);
                let (count, of, _) = rate.fraction(&sums[gi].rows, &rows_total);
                let labelled_ok = !rate.needs_label() || labelled_rows;
                if labelled_ok && rate != Rate::Share && n < options.min_group {
                    too_few.insert(rate.key(), n);
                }
                labelled_ok
                    .then(|| basis_interval(options, weighted, (x, n), (xr, nr)))
                    .flatten()
                    .map(|i| (rate.key(), RateEstimate { count, of, lower: i.lower, upper: i.upper }))
            })
            .collect();
        let mut vs_reference = BTreeMap::new();
        if !is_comparator(name) && comparable(name) {
            let rb = comparator_basis(gi);
            let r = rb.whole;
            for rate in TESTED_RATES {
                let labelled = labelled_rows || r.tp + r.fn_ > 0;
                if rate.needs_label() && !labelled {
                    continue;
                }
                let (x1, n1, _) = rate.fraction(c, &total.whole);
                let (x2, n2, _) = rate.fraction(&r, &total.whole);
                let conf = rates_adjusted.interval_confidence;
                let tested = twin_of(gi).unwrap_or(gi);
                let p_value = rate_index.get(&(tested, rate.key())).map(|&i| rates_adjusted.p_value(i));
                let comparison = if weighted {
                    let (e1, m1, _) = rate.fraction(&g.real, &total.real);
                    let (e2, m2, _) = rate.fraction(&rb.real, &total.real);
                    Comparison {
                        ratio: Outcome::from(stats::katz_risk_ratio_interval_effective(e1, m1, e2, m2, conf)),
                        difference: Outcome::from(stats::newcombe_difference_interval_effective(e1, m1, e2, m2, conf)),
                        z_test: Outcome::from(stats::two_proportion_z_test_effective(e1, m1, e2, m2)),
                        fisher: fisher(x1, n1, x2, n2),
                        p_value,
                    }
                } else {
                    Comparison {
                        ratio: Outcome::from(stats::katz_risk_ratio_interval(x1, n1, x2, n2, conf)),
                        difference: Outcome::from(stats::newcombe_difference_interval(x1, n1, x2, n2, conf)),
                        z_test: Outcome::from(stats::two_proportion_z_test(x1, n1, x2, n2)),
                        fisher: fisher(x1, n1, x2, n2),
                        p_value,
                    }
                };
                vs_reference.insert(rate.key(), comparison);
            }
        }
        let adverse_impact = comparable(name).then(|| {
            let rb = comparator_basis(gi);
            let ((b, n), (cb, cn)) = (beneficial(c, direction), beneficial(&rb.whole, direction));
            let pair = Pair { b, n, cb, cn };
            let index = verdict_index.get(&twin_of(gi).unwrap_or(gi)).copied();
            let comparator_rows = match comparator_index {
                Some(ri) => sums[ri].rows,
                None => comparable_total.without(&sums[gi]).rows,
            };
            let weights = weighted.then(|| Weighted {
                rows: (sums[gi].rows, comparator_rows),
                sums: (g.sums, rb.sums),
                fixed: g.fixed.zip(rb.fixed),
                effective: (g.real, rb.real),
            });
            judge(
                pair,
                weights,
                index,
                &verdicts_adjusted,
                is_comparator(name),
                &compared_with,
                &verdict_family,
                input.detectable_gaps,
                lines,
                options,
            )
        });
        groups.push(GroupEvidence { intervals, too_few, vs_reference, adverse_impact });
    }

    // With weights, on the effective counts: a first-order design-effect
    // correction of Pearson's χ² (Rao–Scott).
    let comparable_rows: Vec<&Counts<u64>> =
        tally.groups.keys().zip(&bases).filter(|(name, _)| comparable(name)).map(|(_, b)| &b.whole).collect();
    let mut chi_squared = BTreeMap::new();
    let total = total.whole;
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
        if let Some(reference_name) = input.comparator {
            for name in tally.groups.keys().filter(|n| comparable(n) && n.as_str() != reference_name) {
                let tables: Vec<stats::Stratum> = tally
                    .strata
                    .values()
                    .map(|groups| {
                        let whole =
                            |t: Option<&GroupTally>| t.map(|t| Sums::of(t, weighted).basis().whole).unwrap_or_default();
                        let g = whole(groups.get(name));
                        let r = whole(groups.get(reference_name));
                        [[g.selected, g.n - g.selected], [r.selected, r.n - r.selected]]
                    })
                    .collect();
                let breslow_day = Outcome::from(stats::breslow_day_test(&tables, false));
                let caveat = breslow_day.value().filter(|bd| bd.p_value < alpha).map(|bd| {
                    format!(
                        "the odds ratio differs between strata (Breslow–Day p = {}): the pooled figure averages unlike strata, so read each stratum's odds ratio",
                        p_text(bd.p_value)
                    )
                });
                // Only strata with both groups in them: the others have no odds ratio, and
                // listing them would make the report groups × strata long.
                let by_stratum = tally
                    .strata
                    .keys()
                    .zip(&tables)
                    .filter(|(_, t)| t[0][0] + t[0][1] > 0 && t[1][0] + t[1][1] > 0)
                    .map(|(stratum, t)| StratumOddsRatio {
                        stratum: stratum.clone(),
                        odds_ratio: stats::fisher_exact(*t)
                            .map_or(stats::Estimate::Undefined("the stratum's table cannot be tested"), |f| {
                                f.odds_ratio
                            }),
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
                        breslow_day,
                        caveat,
                        by_stratum,
                    },
                );
            }
        }
    }
    (AttributeEvidence { chi_squared, groups, stratified }, families)
}

/// The verdict for one group, with every figure it rests on.
#[allow(clippy::too_many_arguments)]
fn judge(
    pair: Pair,
    weights: Option<Weighted>,
    index: Option<usize>,
    family: &Adjusted,
    is_comparator: bool,
    compared_with: &str,
    family_name: &str,
    detectable_gaps: bool,
    lines: &Lines,
    options: &EvidenceOptions,
) -> AdverseImpact {
    let alpha = 1.0 - options.confidence;
    let harmful = lines.direction == Direction::Harmful;
    let conf = family.interval_confidence;
    let Pair { b, n, cb, cn } = pair;
    let p_value = index.map(|i| family.p_value(i));
    // The decision's counts: the beneficial outcome, or its complement for a harmful decision.
    let decided = |b: u64, n: u64| if harmful { n - b } else { b };
    let (selected, comparison_selected) = (decided(b, n), decided(cb, cn));
    let (impact, harm, crossed) = match &weights {
        None => (
            Outcome::from(stats::katz_risk_ratio_interval(b, n, cb, cn, conf)),
            harmful.then(|| Outcome::from(stats::katz_risk_ratio_interval(n - b, n, cn - cb, cn, conf))),
            pair.crossed(b, lines),
        ),
        Some(w) => {
            let ((eb, en), (ecb, ecn)) =
                (beneficial_f64(&w.effective.0, lines.direction), beneficial_f64(&w.effective.1, lines.direction));
            let katz = |x1, n1, x2, n2| Outcome::from(stats::katz_risk_ratio_interval_effective(x1, n1, x2, n2, conf));
            (katz(eb, en, ecb, ecn), harmful.then(|| katz(en - eb, en, ecn - ecb, ecn)), crossed_weighted(w, lines))
        }
    };
    let significant = p_value.as_ref().is_some_and(|p| p.significant);
    // Moving one person means nothing when people carry different weights.
    let significance_changes_with = index.filter(|_| weights.is_none()).and_then(|i| {
        let rate_below = u128::from(b) * u128::from(cn) < u128::from(cb) * u128::from(n);
        (1..=2u8).find(|&k| {
            let k = u64::from(k);
            // Towards the comparison rate closes the gap; away widens it.
            let up = rate_below == significant;
            let moved = if up { b.checked_add(k).filter(|&b| b <= n) } else { b.checked_sub(k) };
            let Some(p) = moved.and_then(|b| fisher_p(b, n, cb, cn)) else { return false };
            let mut changed = family.raw.clone();
            changed[i] = p;
            (family.readjust(&changed)[i] < alpha) != significant
        })
    });
    let crossed_any = crossed.as_ref().is_some_and(|c| !c.is_empty());
    let comparison_beneficial = match &weights {
        None => (cn > 0).then(|| cb as f64 / cn as f64),
        Some(w) => {
            let (cb, cn) = beneficial_f64(&w.sums.1, lines.direction);
            (cn > 0.0).then(|| cb / cn)
        }
    };
    let group_beneficial = match &weights {
        None => (n > 0).then(|| b as f64 / n as f64),
        Some(w) => {
            let (b, n) = beneficial_f64(&w.sums.0, lines.direction);
            (n > 0.0).then(|| b / n)
        }
    };
    // Power at the line: the rate a group exactly on the line would have.
    let power_at_threshold = (crossed_any && !significant && p_value.is_some())
        .then(|| {
            let c = comparison_beneficial?;
            let at_line = if harmful { 1.0 - ((1.0 - c) * lines.harm_ratio).min(1.0) } else { c * lines.impact_ratio };
            stats::two_proportion_power(n, at_line, cn, c, family.test_level).ok().map(|(p, _)| p)
        })
        .flatten();
    let detectable = (detectable_gaps && !is_comparator && p_value.is_some()).then(|| match comparison_beneficial {
        Some(c) => Outcome::from(stats::detectable_gap(n, cn, c, family.test_level, options.power)),
        None => Outcome::undefined("the comparison group has no rows"),
    });
    let gap = match (comparison_beneficial, group_beneficial) {
        (Some(c), Some(g)) => c - g,
        _ => 0.0,
    };
    let unweighted = weights.is_none();
    let decided_rate = |r: Option<f64>| r.map(|r| if harmful { 1.0 - r } else { r });
    let facts = Facts {
        n,
        is_comparator,
        crossed: crossed.clone(),
        group_rate: decided_rate(group_beneficial),
        comparison_rate: decided_rate(comparison_beneficial),
        impact_ratio: impact.value().and_then(|r| r.ratio.finite()),
        impact_lower: impact.value().map(|r| r.lower),
        impact_upper: impact.value().and_then(|r| r.upper),
        harm_ratio: harm.as_ref().and_then(|h| h.value()).and_then(|r| r.ratio.finite()),
        harm_lower: harm.as_ref().and_then(|h| h.value()).map(|r| r.lower),
        harm_upper: harm.as_ref().and_then(|h| h.value()).and_then(|r| r.upper),
        min_achievable_p: adverse_min_p(pair),
        p_value: p_value.clone(),
        significance_changes_with,
        threshold_changes_with: pair.threshold_flip(lines).filter(|_| unweighted),
        power_at_threshold,
        gap,
        shortfall_to_reference: shortfall_to_rate(b, n, cb, cn).filter(|_| unweighted),
        detectable_decrease: detectable.as_ref().and_then(|d| d.value()).map(|d| d.decrease),
        compared_with: compared_with.to_string(),
        weighted: !unweighted,
        family: family_name.to_string(),
        interval_confidence: conf,
    };
    let (verdict, reason) = verdict(&facts, lines, options);
    fn against_itself<T>() -> Outcome<T> {
        Outcome::undefined("this is the comparison group")
    }
    AdverseImpact {
        verdict,
        reason,
        compared_with: compared_with.to_string(),
        family: family_name.to_string(),
        crossed: if is_comparator { Vec::new() } else { crossed.unwrap_or_default() },
        group_decisions: decisions(
            selected,
            n,
            weights.as_ref().map(|w| (&w.rows.0, &w.sums.0, &w.effective.0)),
            options,
        ),
        comparison_decisions: decisions(
            comparison_selected,
            cn,
            weights.as_ref().map(|w| (&w.rows.1, &w.sums.1, &w.effective.1)),
            options,
        ),
        impact_ratio: if is_comparator { against_itself() } else { impact },
        harm_ratio: if is_comparator { harm.map(|_| against_itself()) } else { harm },
        fisher: if is_comparator { against_itself() } else { fisher(b, n, cb, cn) },
        p_value,
        min_achievable_p: if is_comparator { None } else { facts.min_achievable_p },
        power_at_threshold,
        shortfall_to_reference: if is_comparator { None } else { facts.shortfall_to_reference },
        shortfall_to_threshold: if is_comparator || !unweighted { None } else { pair.shortfall_to_lines(lines) },
        threshold_changes_with: if is_comparator { None } else { facts.threshold_changes_with },
        significance_changes_with,
        detectable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: Lines =
        Lines { direction: Direction::Beneficial, impact_ratio: 0.8, harm_ratio: 1.25, practical_ratio: 0.9 };

    #[test]
    fn shortfalls_are_exact() {
        // Group 10/40 (25%), reference 30/60 (50%): 10 more reach 20/40.
        assert_eq!(shortfall_to_rate(10, 40, 30, 60), Some(10));
        assert_eq!(shortfall_to_rate(20, 40, 30, 60), Some(0));
        // 1/3 → 2/3 needs exactly 1.
        assert_eq!(shortfall_to_rate(1, 3, 2, 3), Some(1));
        // Four-fifths of 50% is 40%: 10/40 needs 6 more (16/40 = 40%).
        let pair = Pair { b: 10, n: 40, cb: 30, cn: 60 };
        assert_eq!(pair.shortfall_to_lines(&LINES), Some(6));
        assert_eq!(Pair { b: 16, ..pair }.shortfall_to_lines(&LINES), Some(0));
        assert_eq!(pair.crossed(16, &LINES), Some(vec![]));
        assert_eq!(pair.crossed(15, &LINES), Some(vec!["impact_ratio"]));
    }

    #[test]
    fn the_harm_ratio_line_is_its_own_rule() {
        // Flagged 12/100 against 8/100: harm ratio 1.5 (> 1.25); not flagged
        // 88/100 against 92/100: impact ratio 0.957 (≥ 0.8).
        let harmful = Lines { direction: Direction::Harmful, ..LINES };
        let pair = Pair { b: 88, n: 100, cb: 92, cn: 100 };
        assert_eq!(pair.crossed(88, &harmful), Some(vec!["harm_ratio"]));
        assert_eq!(pair.crossed(88, &LINES), Some(vec![]));
        // 10 flagged is exactly 1.25 (not above); 11 is 1.375.
        assert_eq!(pair.crossed(90, &harmful), Some(vec![]));
        assert_eq!(pair.crossed(89, &harmful), Some(vec!["harm_ratio"]));
        assert_eq!(pair.shortfall_to_lines(&harmful), Some(2));
        assert_eq!(Pair { b: 89, ..pair }.threshold_flip(&harmful), Some(1));
    }

    #[test]
    fn most_favoured_skips_groups_too_small_to_judge() {
        let c = |n: u64, selected: u64| Counts { n, selected, ..Default::default() };
        let groups = [("A".to_string(), c(100, 50)), ("B".to_string(), c(5, 5)), ("C".to_string(), c(200, 40))];
        let iter = || groups.iter().map(|(k, v)| (k, v, None));
        assert_eq!(most_favoured(iter(), Direction::Beneficial, 30).map(String::as_str), Some("A"));
        assert_eq!(most_favoured(iter(), Direction::Beneficial, 0).map(String::as_str), Some("B"));
        assert_eq!(most_favoured(iter(), Direction::Harmful, 30).map(String::as_str), Some("C"));
        assert_eq!(most_favoured(iter(), Direction::Harmful, 300), None);
        // With weights the weighted rate decides: C weighted 60 of 100 beats A's 50 of 100.
        let weighted =
            [c(100, 50).to_f64(), c(5, 5).to_f64(), Counts { n: 100.0, selected: 60.0, ..Default::default() }];
        let with_weights = || groups.iter().zip(&weighted).map(|((k, v), w)| (k, v, Some(w)));
        assert_eq!(most_favoured(with_weights(), Direction::Beneficial, 30).map(String::as_str), Some("C"));
    }
}
