//! Per-group thresholds for equalized odds: true-positive rates and
//! false-positive rates made equal at once, as far as the data allows (or
//! within a tolerance), at the lowest cost. Exact, like the other strategies.
//!
//! Within a group both rates fall as its threshold rises (index `i` up), so
//! for a box `[a, a + ε] × [b, b + ε]` of (TPR, FPR) the group's thresholds
//! inside it form one run of indices. Every choice of thresholds whose rates
//! lie within ε of each other sits in the box whose corner is its lowest TPR
//! and lowest FPR, so trying every corner (a from the groups' TPRs, b from
//! their FPRs) finds the best. The smallest gap: at corner (a, b) a group's
//! least overshoot `max(TPR − a, FPR − b)` is at the highest index still at
//! or above both, so it is one lookup.

use super::exact::{cmp_sum, CostRatio, Frac};
use super::strategies::{add, check_common, outcome, read_tolerance, FairnessCriterion, GroupThresholds, WHAT_IF_NOTE};
use super::{Confusion, ThresholdSweep, Undefined, UndefinedKind};
use std::cmp::Ordering;

/// Corners × groups the search may try; beyond it the strategy is undefined
/// (round the scores: `score_digits`), so the work stays bounded.
pub const MAX_EQUALIZED_ODDS_WORK: u64 = 50_000_000;

/// A difference `x − y` of two fractions, compared exactly.
#[derive(Clone, Copy)]
struct Diff {
    x: Frac,
    y: Frac,
}

impl Diff {
    // x1 − y1 vs x2 − y2  <=>  x1 + y2 vs x2 + y1
    fn cmp(self, o: Diff) -> Ordering {
        cmp_sum(self.x, o.y, o.x, self.y)
    }
    fn max(self, o: Diff) -> Diff {
        if self.cmp(o) == Ordering::Less {
            o
        } else {
            self
        }
    }
}

struct Group {
    tpr: Vec<Frac>,
    fpr: Vec<Frac>,
    /// `best[level][i]`: the cheapest index in `i .. i + 2^level` (a sparse table).
    best: Vec<Vec<usize>>,
    fp: Vec<u64>,
    fn_: Vec<u64>,
}

impl Group {
    fn new(s: &ThresholdSweep, c: CostRatio) -> Group {
        let n = s.len();
        let (positives, negatives) = (s.positives(), s.negatives());
        let counts: Vec<Confusion> = (0..n).map(|i| s.confusion_at_index(i)).collect();
        let tpr = counts.iter().map(|k| Frac { num: k.tp, den: positives }).collect();
        let fpr = counts.iter().map(|k| Frac { num: k.fp, den: negatives }).collect();
        let fp: Vec<u64> = counts.iter().map(|k| k.fp).collect();
        let fn_: Vec<u64> = counts.iter().map(|k| k.fn_).collect();
        let mut best = vec![(0..n).collect::<Vec<usize>>()];
        let mut width = 1;
        while 2 * width <= n {
            let Some(prev) = best.last() else { break };
            let level: Vec<usize> = (0..=n - 2 * width)
                .map(|i| {
                    let (a, b) = (prev.get(i).copied().unwrap_or(0), prev.get(i + width).copied().unwrap_or(0));
                    let cheaper = c.cmp(
                        fp.get(b).copied().unwrap_or(0),
                        fn_.get(b).copied().unwrap_or(0),
                        fp.get(a).copied().unwrap_or(0),
                        fn_.get(a).copied().unwrap_or(0),
                    );
                    if cheaper == Ordering::Less {
                        b
                    } else {
                        a
                    }
                })
                .collect();
            best.push(level);
            width *= 2;
        }
        Group { tpr, fpr, best, fp, fn_ }
    }

    /// The cheapest index in `lo..=hi` (lowest on ties).
    fn cheapest(&self, lo: usize, hi: usize, c: CostRatio) -> usize {
        let len = hi - lo + 1;
        let level = (usize::BITS - 1 - len.leading_zeros()) as usize;
        let row = self.best.get(level);
        let a = row.and_then(|r| r.get(lo)).copied().unwrap_or(lo);
        let b = row.and_then(|r| r.get(hi + 1 - (1 << level))).copied().unwrap_or(lo);
        let cost = |i: usize| (self.fp.get(i).copied().unwrap_or(0), self.fn_.get(i).copied().unwrap_or(0));
        let ((fa, na), (fb, nb)) = (cost(a), cost(b));
        if c.cmp(fb, nb, fa, na) == Ordering::Less {
            b
        } else {
            a
        }
    }

    /// The last index whose rate (in `rates`, falling) is at least `v`.
    fn last_at_least(rates: &[Frac], v: Frac) -> Option<usize> {
        rates.partition_point(|r| r.cmp(v) != Ordering::Less).checked_sub(1)
    }

    /// The first index whose rate is at most `v + ε`, i.e. `rate + ε.y ≤ v + ε.x`.
    fn first_at_most(rates: &[Frac], v: Frac, eps: Diff) -> usize {
        rates.partition_point(|&r| cmp_sum(r, eps.y, v, eps.x) == Ordering::Greater)
    }
}

/// Per-group thresholds equalising TPR and FPR: the smallest gap (the larger
/// of the two rates' gaps) the data allows, or with a `tolerance` a gap at
/// most that (read to 9 decimal places), at the lowest cost.
pub(super) fn equalized_odds(
    groups: &[(&str, &ThresholdSweep)],
    cost_ratio: f64,
    tolerance: Option<f64>,
) -> Result<GroupThresholds, Undefined> {
    let c = check_common(groups, cost_ratio)?;
    for (name, s) in groups {
        if s.positives() == 0 || s.negatives() == 0 {
            let kind = if s.positives() == 0 { UndefinedKind::NoPositives } else { UndefinedKind::NoNegatives };
            return Err(Undefined::new(
                kind,
                "equalized odds needs both positive and negative labels in every group, for its true- and false-positive rates",
            )
            .in_group(name));
        }
    }
    let gs: Vec<Group> = groups.iter().map(|(_, s)| Group::new(s, c)).collect();
    let distinct = |pick: fn(&Group) -> &Vec<Frac>| {
        let mut v: Vec<Frac> = gs.iter().flat_map(|g| pick(g).iter().copied()).collect();
        v.sort_unstable_by(|a, b| a.cmp(*b));
        v.dedup_by(|a, b| a.cmp(*b) == Ordering::Equal);
        v
    };
    let (aa, bb) = (distinct(|g| &g.tpr), distinct(|g| &g.fpr));
    let work = (aa.len() as u64).saturating_mul(bb.len() as u64).saturating_mul(gs.len() as u64);
    if work > MAX_EQUALIZED_ODDS_WORK {
        return Err(Undefined::invalid(format!(
            "equalized odds is searched exactly, and {} × {} corners over {} groups is more than {MAX_EQUALIZED_ODDS_WORK} steps; round the scores (score_digits) to fewer distinct values",
            aa.len(),
            bb.len(),
            gs.len()
        )));
    }
    // For each corner value, each group's last index at or above it.
    let at_least = |pick: fn(&Group) -> &Vec<Frac>, values: &[Frac]| -> Vec<Vec<Option<usize>>> {
        gs.iter().map(|g| values.iter().map(|&v| Group::last_at_least(pick(g), v)).collect()).collect()
    };
    let (ia, jb) = (at_least(|g| &g.tpr, &aa), at_least(|g| &g.fpr, &bb));
    let zero = Frac { num: 0, den: 1 };

    // 1. The smallest gap over every corner.
    let mut smallest: Option<Diff> = None;
    for ai in 0..aa.len() {
        for bi in 0..bb.len() {
            let (Some(&a), Some(&b)) = (aa.get(ai), bb.get(bi)) else { continue };
            let mut worst: Option<Diff> = None;
            for (g, group) in gs.iter().enumerate() {
                let k = match (
                    ia.get(g).and_then(|r| r.get(ai)).copied().flatten(),
                    jb.get(g).and_then(|r| r.get(bi)).copied().flatten(),
                ) {
                    (Some(i), Some(j)) => i.min(j),
                    _ => {
                        worst = None;
                        break;
                    }
                };
                let (Some(&t), Some(&f)) = (group.tpr.get(k), group.fpr.get(k)) else { continue };
                let over = Diff { x: t, y: a }.max(Diff { x: f, y: b });
                worst = Some(worst.map_or(over, |w| w.max(over)));
            }
            if let Some(w) = worst {
                if smallest.is_none_or(|s| w.cmp(s) == Ordering::Less) {
                    smallest = Some(w);
                }
            }
        }
    }
    // Every group reaches TPR = FPR = 1 by selecting everybody, so a corner always fits.
    let smallest = smallest.ok_or_else(|| Undefined::invalid("internal: no corner fits every group"))?;
    let allowed = tolerance
        .map(|t| Diff { x: read_tolerance(t).0, y: zero })
        .filter(|eps| smallest.cmp(*eps) != Ordering::Greater);
    let width = allowed.unwrap_or(smallest);

    // 2. The cheapest choice within that width, over every corner.
    let first_t: Vec<Vec<usize>> =
        gs.iter().map(|g| aa.iter().map(|&a| Group::first_at_most(&g.tpr, a, width)).collect()).collect();
    let first_f: Vec<Vec<usize>> =
        gs.iter().map(|g| bb.iter().map(|&b| Group::first_at_most(&g.fpr, b, width)).collect()).collect();
    let mut best: Option<((u64, u64), Vec<usize>)> = None;
    let mut picked = vec![0usize; gs.len()];
    for ai in 0..aa.len() {
        'corner: for bi in 0..bb.len() {
            let (mut fp, mut fn_) = (0u64, 0u64);
            for (g, group) in gs.iter().enumerate() {
                let hi = match (
                    ia.get(g).and_then(|r| r.get(ai)).copied().flatten(),
                    jb.get(g).and_then(|r| r.get(bi)).copied().flatten(),
                ) {
                    (Some(i), Some(j)) => i.min(j),
                    _ => continue 'corner,
                };
                let lo = first_t
                    .get(g)
                    .and_then(|r| r.get(ai))
                    .copied()
                    .unwrap_or(usize::MAX)
                    .max(first_f.get(g).and_then(|r| r.get(bi)).copied().unwrap_or(usize::MAX));
                if lo > hi {
                    continue 'corner;
                }
                let k = group.cheapest(lo, hi, c);
                if let Some(slot) = picked.get_mut(g) {
                    *slot = k;
                }
                fp += group.fp.get(k).copied().unwrap_or(0);
                fn_ += group.fn_.get(k).copied().unwrap_or(0);
            }
            if best.as_ref().is_none_or(|((bfp, bfn), _)| c.cmp(fp, fn_, *bfp, *bfn) == Ordering::Less) {
                best = Some(((fp, fn_), picked.clone()));
            }
        }
    }
    let Some((_, chosen)) = best else {
        return Err(Undefined::invalid("internal: no choice within the gap"));
    };
    let outs: Vec<_> = groups.iter().zip(&chosen).map(|((name, s), &i)| outcome(name, s, i, c)).collect();
    let rate = |pick: fn(&Group) -> &Vec<Frac>| -> Vec<Frac> {
        gs.iter().zip(&chosen).map(|(g, &i)| pick(g).get(i).copied().unwrap_or(zero)).collect()
    };
    let (tprs, fprs) = (rate(|g| &g.tpr), rate(|g| &g.fpr));
    let spread = |v: &[Frac]| -> f64 {
        let lo = v.iter().copied().min_by(|a, b| a.cmp(*b));
        let hi = v.iter().copied().max_by(|a, b| a.cmp(*b));
        match (lo, hi) {
            (Some(lo), Some(hi)) => super::exact::frac_diff_f64(hi, lo),
            _ => 0.0,
        }
    };
    let total = outs.iter().fold(Confusion::default(), |a, o| add(a, o.confusion));
    Ok(GroupThresholds {
        note: WHAT_IF_NOTE,
        criterion: FairnessCriterion::EqualizedOdds,
        cost_ratio,
        groups: outs,
        rates: tprs.iter().map(|r| r.to_f64()).collect(),
        false_positive_rates: fprs.iter().map(|r| r.to_f64()).collect(),
        gap: spread(&tprs).max(spread(&fprs)),
        smallest_gap: super::exact::frac_diff_f64(smallest.x, smallest.y),
        tolerance: tolerance.map(|t| read_tolerance(t).1),
        total_cost: c.cost(total.fp, total.fn_),
        total,
    })
}
