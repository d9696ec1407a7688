//! What-if threshold strategies (in the spirit of Google's What-If Tool): what
//! would happen with one threshold for everybody, or with per-group thresholds
//! that equalise a rate. These are explorations for a review board, not
//! recommendations: per-group thresholds may be unlawful in some settings.
//!
//! Costs are `c·FP + FN` with `c = cost(FP) / cost(FN)`. Every comparison of
//! costs and rates is exact (integers and exact rationals), so the choice never
//! depends on rounding and is the same natively and in WebAssembly; the costs,
//! rates and gaps *reported* are `f64` renderings of those exact values.

use super::exact::{cmp_sum, frac_diff_f64, CostRatio, Frac};
use super::{Confusion, ThresholdSweep, Undefined, UndefinedKind, MAX_ROWS};
use crate::metrics::Value;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::VecDeque;

/// Shown with every strategy result.
pub const WHAT_IF_NOTE: &str = "What-if exploration, not a recommendation: these thresholds show the trade-offs in \
     this data under the stated cost ratio. Group-specific thresholds can be unlawful in some settings (e.g. US \
     employment and credit law); seek legal advice before acting on them. The thresholds are fitted to this same \
     data (in-sample), so they look better here than they would on new decisions, most of all for small groups.";

pub use crate::config::MAX_COST_RATIO;

/// The rate that per-group thresholds try to equalise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FairnessCriterion {
    /// Equal selection rates `selected / rows`.
    DemographicParity,
    /// Equal true-positive rates `tp / positives` (needs positives in every group).
    EqualOpportunity,
    /// Equal accuracy `(tp + tn) / rows`.
    EqualAccuracy,
    /// Equal true-positive and equal false-positive rates at once (needs
    /// positives and negatives in every group): the gap is the larger of the two.
    EqualizedOdds,
}

/// One group's decisions at its threshold.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct GroupOutcome {
    /// The group's raw name.
    pub group: String,
    /// Rows with `score >= threshold` are selected. The threshold reported is
    /// the lowest selected score (any value above the next lower distinct
    /// score selects the same rows); `None` means above every score of the
    /// group (nobody selected).
    pub threshold: Option<f64>,
    /// The group's confusion counts at its threshold.
    pub confusion: Confusion,
    /// `selected / rows`; undefined without rows.
    pub selection_rate: Value,
    /// `tp / (tp + fn)`; undefined without actual positives.
    pub tpr: Value,
    /// `fp / (fp + tn)`; undefined without actual negatives.
    pub fpr: Value,
    /// `(tp + tn) / rows`; undefined without rows.
    pub accuracy: Value,
    /// `c·fp + fn` for this group.
    pub cost: f64,
}

/// One threshold for every group, minimising the total cost.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SingleThreshold {
    /// What-if exploration, not a recommendation: the caveats, in full.
    pub note: &'static str,
    /// The cost of a false positive relative to a false negative
    /// (`config.cost_ratio`).
    pub cost_ratio: f64,
    /// `None`: above every score of every group (nobody selected).
    pub threshold: Option<f64>,
    /// `cost_ratio × FP + FN` over every group: the lowest any one threshold
    /// gives.
    pub total_cost: f64,
    /// The confusion counts of all groups together.
    pub total: Confusion,
    /// Each group at that threshold, in the order given (in a report: the
    /// comparable groups).
    pub groups: Vec<GroupOutcome>,
}

/// Per-group thresholds bringing a rate as close to equal as the data allows.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct GroupThresholds {
    /// What-if exploration, not a recommendation: the caveats, in full.
    pub note: &'static str,
    /// The rate the thresholds equalise.
    pub criterion: FairnessCriterion,
    /// The cost of a false positive relative to a false negative
    /// (`config.cost_ratio`).
    pub cost_ratio: f64,
    /// Each group at its own threshold, in the order given (in a report: the
    /// comparable groups).
    pub groups: Vec<GroupOutcome>,
    /// The criterion's rate per group, in group order (for equalized odds,
    /// the true-positive rates).
    pub rates: Vec<f64>,
    /// For equalized odds: the false-positive rates per group, in group order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub false_positive_rates: Vec<f64>,
    /// The remaining gap: highest minus lowest rate (0 when exact parity is
    /// achievable). Without a tolerance no other choice of thresholds has a
    /// smaller gap; with one, it is at most the tolerance (or the smallest
    /// gap, when the tolerance is smaller than that).
    pub gap: f64,
    /// The smallest gap any choice of thresholds can reach on this data.
    pub smallest_gap: f64,
    /// The gap allowed, when one was given ("gap ≤ ε at the lowest cost"),
    /// read to 9 decimal places.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// `c·FP + FN` over all groups: the lowest among choices with this gap.
    pub total_cost: f64,
    /// The confusion counts of all groups together.
    pub total: Confusion,
}

pub(super) fn check_common(groups: &[(&str, &ThresholdSweep)], cost_ratio: f64) -> Result<CostRatio, Undefined> {
    if groups.is_empty() {
        return Err(Undefined::invalid("no groups were given"));
    }
    let c = CostRatio::new(cost_ratio).ok_or_else(|| {
        Undefined::invalid(format!(
            "the cost ratio cost(FP)/cost(FN) must be a number from 0 to 2^64, got {cost_ratio}"
        ))
    })?;
    let mut total = 0u64;
    for (_, s) in groups {
        total = total.saturating_add(s.rows());
    }
    if total > MAX_ROWS {
        return Err(Undefined::new(UndefinedKind::TooManyRows, format!("the groups hold more than {MAX_ROWS} rows")));
    }
    Ok(c)
}

pub(super) fn outcome(group: &str, sweep: &ThresholdSweep, index: usize, c: CostRatio) -> GroupOutcome {
    let conf = sweep.confusion_at_index(index);
    GroupOutcome {
        group: group.to_string(),
        threshold: sweep.threshold(index),
        confusion: conf,
        selection_rate: Value::from_option(conf.selection_rate(), || "the group has no rows".into()),
        tpr: Value::from_option(conf.tpr(), || "the group has no actual positives".into()),
        fpr: Value::from_option(conf.fpr(), || "the group has no actual negatives".into()),
        accuracy: Value::from_option(conf.accuracy(), || "the group has no rows".into()),
        cost: c.cost(conf.fp, conf.fn_),
    }
}

pub(super) fn add(a: Confusion, b: Confusion) -> Confusion {
    Confusion {
        tp: a.tp + b.tp,
        fp: a.fp + b.fp,
        tn: a.tn + b.tn,
        fn_: a.fn_ + b.fn_,
        selected: a.selected + b.selected,
    }
}

/// One threshold `t` for all groups (select `score >= t`), chosen among all
/// distinct scores of all groups plus "above every score", minimising
/// `c·FP + FN` summed over groups. Exact ties go to the highest threshold
/// (fewest selected).
///
/// Undefined for no groups, a cost ratio outside [0, [`MAX_COST_RATIO`]] (or NaN), or
/// more than [`MAX_ROWS`] rows in all. O(D log D + D·G) for D distinct scores
/// over G groups.
pub fn single_threshold_min_cost(
    groups: &[(&str, &ThresholdSweep)],
    cost_ratio: f64,
) -> Result<SingleThreshold, Undefined> {
    let c = check_common(groups, cost_ratio)?;
    let mut all: Vec<f64> = groups.iter().flat_map(|(_, s)| s.scores().iter().copied()).collect();
    all.sort_unstable_by(f64::total_cmp);
    all.dedup();
    // Start above every score: nobody selected.
    let mut idx: Vec<usize> = groups.iter().map(|(_, s)| s.scores().len()).collect();
    let totals = |idx: &[usize]| -> (u64, u64) {
        groups.iter().zip(idx).fold((0, 0), |(fp, fn_), ((_, s), &i)| {
            let k = s.confusion_at_index(i);
            (fp + k.fp, fn_ + k.fn_)
        })
    };
    let (mut best_fp, mut best_fn) = totals(&idx);
    let mut best_t: Option<f64> = None;
    for &t in all.iter().rev() {
        for ((_, s), i) in groups.iter().zip(idx.iter_mut()) {
            while *i > 0 && s.scores().get(*i - 1).is_some_and(|&x| x >= t) {
                *i -= 1;
            }
        }
        let (fp, fn_) = totals(&idx);
        if c.cmp(fp, fn_, best_fp, best_fn) == Ordering::Less {
            (best_fp, best_fn, best_t) = (fp, fn_, Some(t));
        }
    }
    let outs: Vec<GroupOutcome> = groups
        .iter()
        .map(|(g, s)| {
            let i = best_t.map_or(s.scores().len(), |t| s.index_of(t));
            outcome(g, s, i, c)
        })
        .collect();
    let total = outs.iter().fold(Confusion::default(), |a, o| add(a, o.confusion));
    Ok(SingleThreshold {
        note: WHAT_IF_NOTE,
        cost_ratio,
        threshold: best_t,
        total_cost: c.cost(total.fp, total.fn_),
        total,
        groups: outs,
    })
}

/// One achievable (rate, cost) of one group: threshold number `index`.
#[derive(Debug, Clone, Copy)]
struct Opt {
    rate: Frac,
    fp: u64,
    fn_: u64,
    index: usize,
    group: usize,
}

fn rate_of(criterion: FairnessCriterion, k: &Confusion, rows: u64, positives: u64) -> Option<Frac> {
    match criterion {
        FairnessCriterion::DemographicParity => Frac::new(k.selected, rows),
        FairnessCriterion::EqualOpportunity | FairnessCriterion::EqualizedOdds => Frac::new(k.tp, positives),
        FairnessCriterion::EqualAccuracy => Frac::new(k.tp + k.tn, rows),
    }
}

/// Per-group thresholds (select `score >= t_g` in group g) that make the
/// criterion's rate as equal across groups as the data allows, at the lowest
/// cost.
///
/// "As equal as the data allows": each group can only reach the rates of its
/// own distinct thresholds (its distinct scores plus "above every score"). The
/// choice minimises, in this order:
/// 1. the gap, max over groups minus min over groups of the rate;
/// 2. the total cost `c·FP + FN` over all groups, among choices with that gap;
/// 3. remaining ties: within a group the lower rate (for demographic parity
///    and equal opportunity: the higher threshold), then the choice whose
///    lowest rate is lowest.
///
/// Method: per group, the achievable rates (keeping the cheapest threshold per
/// rate); the smallest gap is the smallest window of rates containing one rate
/// of every group (a two-pointer scan over all rates in order); the cheapest
/// choice comes from sliding every window of that width over the rates with a
/// monotone queue of the cheapest option per group. O(D log D + D·G) for D
/// distinct scores over G groups; all comparisons exact.
///
/// Undefined for no groups, an invalid cost ratio, a group without rows, and
/// for equal opportunity a group without positive labels (its TPR is not
/// defined).
pub fn group_thresholds(
    groups: &[(&str, &ThresholdSweep)],
    criterion: FairnessCriterion,
    cost_ratio: f64,
) -> Result<GroupThresholds, Undefined> {
    choose(groups, criterion, cost_ratio, None)
}

/// The tolerance form: per-group thresholds at the lowest cost among those
/// whose gap is at most `tolerance` (a rate, e.g. 0.02 for 2 points), because
/// exact parity on discrete data is often reachable only by selecting
/// everyone or no one. With a tolerance below the smallest reachable gap,
/// the smallest gap is used, as [`group_thresholds`] would. Ties as there.
///
/// The tolerance is read to 9 decimal places, so that every comparison with
/// it stays exact. Undefined as [`group_thresholds`], and for a tolerance
/// that is negative, above 1 or not a number.
pub fn group_thresholds_within(
    groups: &[(&str, &ThresholdSweep)],
    criterion: FairnessCriterion,
    cost_ratio: f64,
    tolerance: f64,
) -> Result<GroupThresholds, Undefined> {
    if !(0.0..=1.0).contains(&tolerance) {
        return Err(Undefined::invalid(format!("the tolerance must be a rate from 0 to 1, got {tolerance}")));
    }
    choose(groups, criterion, cost_ratio, Some(tolerance))
}

/// A tolerance is read as an exact fraction of 10^9.
const TOLERANCE_SCALE: u64 = 1_000_000_000;

/// The tolerance as read: an exact fraction, and its value for the report.
pub(super) fn read_tolerance(t: f64) -> (Frac, f64) {
    let num = (t * TOLERANCE_SCALE as f64).round();
    (Frac { num: num as u64, den: TOLERANCE_SCALE }, num / TOLERANCE_SCALE as f64)
}

fn choose(
    groups: &[(&str, &ThresholdSweep)],
    criterion: FairnessCriterion,
    cost_ratio: f64,
    tolerance: Option<f64>,
) -> Result<GroupThresholds, Undefined> {
    if criterion == FairnessCriterion::EqualizedOdds {
        return super::odds::equalized_odds(groups, cost_ratio, tolerance);
    }
    let c = check_common(groups, cost_ratio)?;
    let g_count = groups.len();
    let mut opts: Vec<Opt> = Vec::with_capacity(groups.iter().map(|(_, s)| s.len()).sum());
    for (g, (name, s)) in groups.iter().enumerate() {
        if s.rows() == 0 {
            return Err(Undefined::no_rows("its rate").in_group(name));
        }
        if criterion == FairnessCriterion::EqualOpportunity && s.positives() == 0 {
            return Err(Undefined::new(
                UndefinedKind::NoPositives,
                "there are no positive labels, so the true-positive rate is not defined",
            )
            .in_group(name));
        }
        let mut mine: Vec<Opt> = (0..s.len())
            .filter_map(|i| {
                let k = s.confusion_at_index(i);
                let rate = rate_of(criterion, &k, s.rows(), s.positives())?;
                Some(Opt { rate, fp: k.fp, fn_: k.fn_, index: i, group: g })
            })
            .collect();
        // Rate ascending, then cheapest, then highest threshold; keep one per rate.
        // The index makes every key distinct, so an in-place unstable sort orders as a stable one would.
        mine.sort_unstable_by(|a, b| {
            a.rate.cmp(b.rate).then_with(|| c.cmp(a.fp, a.fn_, b.fp, b.fn_)).then_with(|| b.index.cmp(&a.index))
        });
        mine.dedup_by(|later, first| later.rate.cmp(first.rate) == Ordering::Equal);
        opts.extend(mine);
    }
    // One option per rate within a group: (rate, group) is distinct.
    opts.sort_unstable_by(|a, b| a.rate.cmp(b.rate).then(a.group.cmp(&b.group)));

    // 1. The smallest window of rates holding every group.
    let mut count = vec![0usize; g_count];
    let mut covered = 0usize;
    let mut left = 0usize;
    let mut best: Option<(Frac, Frac)> = None; // (lowest, highest) rate
    for right in 0..opts.len() {
        let Some(&r) = opts.get(right) else { break };
        if let Some(k) = count.get_mut(r.group) {
            if *k == 0 {
                covered += 1;
            }
            *k += 1;
        }
        while covered == g_count {
            let Some(&l) = opts.get(left) else { break };
            let better = match best {
                None => true,
                // r - l < hi - lo  <=>  r + lo < hi + l
                Some((lo, hi)) => cmp_sum(r.rate, lo, hi, l.rate) == Ordering::Less,
            };
            if better {
                best = Some((l.rate, r.rate));
            }
            if let Some(k) = count.get_mut(l.group) {
                *k -= 1;
                if *k == 0 {
                    covered -= 1;
                }
            }
            left += 1;
        }
    }
    let Some((gap_lo, gap_hi)) = best else {
        // Unreachable: every group has at least its "above every score" option.
        return Err(Undefined::invalid("no group has an achievable rate"));
    };

    // The window's width: the smallest gap, or the tolerance when it allows more.
    let zero = Frac { num: 0, den: 1 };
    let allowed =
        tolerance.map(|t| read_tolerance(t).0).filter(|&eps| cmp_sum(gap_hi, zero, gap_lo, eps) != Ordering::Greater);
    // Admit rates up to lo + width: rate + gap_lo <= lo + gap_hi, or rate <= lo + ε.
    let admits = |rate: Frac, lo: Frac| match allowed {
        Some(eps) => cmp_sum(rate, zero, lo, eps) != Ordering::Greater,
        None => cmp_sum(rate, gap_lo, lo, gap_hi) != Ordering::Greater,
    };

    // 2. Slide windows [v, v + width] over the distinct rates v; in each, every
    // group takes its cheapest option; keep the cheapest window.
    let mut queues: Vec<VecDeque<usize>> = vec![VecDeque::new(); g_count];
    let mut pushed = 0usize;
    let mut best_total: Option<(u64, u64)> = None;
    let mut chosen: Vec<usize> = vec![0; g_count];
    for l in 0..opts.len() {
        let Some(&lo) = opts.get(l) else { break };
        if l > 0 && opts.get(l - 1).is_some_and(|p| p.rate.cmp(lo.rate) == Ordering::Equal) {
            continue;
        }
        while let Some(&o) = opts.get(pushed) {
            if !admits(o.rate, lo.rate) {
                break;
            }
            if let Some(q) = queues.get_mut(o.group) {
                while q.back().and_then(|&b| opts.get(b)).is_some_and(|b| c.cmp(b.fp, b.fn_, o.fp, o.fn_).is_gt()) {
                    q.pop_back();
                }
                q.push_back(pushed);
            }
            pushed += 1;
        }
        let mut fp = 0u64;
        let mut fn_ = 0u64;
        let mut complete = true;
        for q in queues.iter_mut() {
            while q.front().is_some_and(|&f| f < l) {
                q.pop_front();
            }
            match q.front().and_then(|&f| opts.get(f)) {
                Some(o) => {
                    fp += o.fp;
                    fn_ += o.fn_;
                }
                None => complete = false,
            }
        }
        if !complete {
            continue;
        }
        let better = match best_total {
            None => true,
            Some((bfp, bfn)) => c.cmp(fp, fn_, bfp, bfn) == Ordering::Less,
        };
        if better {
            best_total = Some((fp, fn_));
            for (slot, q) in chosen.iter_mut().zip(&queues) {
                *slot = q.front().copied().unwrap_or(0);
            }
        }
    }

    let mut outs = Vec::with_capacity(g_count);
    let mut rates = Vec::with_capacity(g_count);
    let mut picked: Vec<Frac> = Vec::with_capacity(g_count);
    for ((name, s), &oi) in groups.iter().zip(&chosen) {
        let Some(o) = opts.get(oi) else {
            return Err(Undefined::invalid("internal: no option chosen"));
        };
        outs.push(outcome(name, s, o.index, c));
        rates.push(o.rate.to_f64());
        picked.push(o.rate);
    }
    let lo = picked.iter().copied().min_by(|a, b| a.cmp(*b));
    let hi = picked.iter().copied().max_by(|a, b| a.cmp(*b));
    let gap = match (lo, hi) {
        (Some(lo), Some(hi)) => frac_diff_f64(hi, lo),
        _ => 0.0,
    };
    let total = outs.iter().fold(Confusion::default(), |a, o| add(a, o.confusion));
    Ok(GroupThresholds {
        note: WHAT_IF_NOTE,
        criterion,
        cost_ratio,
        groups: outs,
        rates,
        false_positive_rates: Vec::new(),
        gap,
        smallest_gap: frac_diff_f64(gap_hi, gap_lo),
        tolerance: tolerance.map(|t| read_tolerance(t).1),
        total_cost: c.cost(total.fp, total.fn_),
        total,
    })
}
