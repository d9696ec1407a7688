//! Tallies by period → every group's figures in each period, a trend test
//! per group across the periods, and each period's change from a baseline
//! period (docs/metrics.md, "Periods").

use crate::config::{Adjustment, AuditConfig, PeriodUnit, Reference};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::evidence::{self, Outcome, RateInterval, Verdict};
use crate::metrics::Value;
use crate::stats::{self, RatioInterval, TrendTest};
use crate::tally::names::{is_missing_group, MISSING_GROUP};
use crate::tally::{AttributeTally, GroupTally};
use serde::Serialize;

/// With a period column: every group's figures period by period.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PeriodsReport {
    /// The period column.
    pub column: String,
    /// How its cells became periods.
    pub unit: PeriodUnit,
    /// Every period with rows, in time order (for `as_given`, in the order
    /// of the text); `(missing)`, for rows with no date, last.
    pub periods: Vec<String>,
    /// The period the change tests compare with.
    pub baseline: Option<String>,
    /// The confidence at which each period's verdicts are judged:
    /// `1 − (1 − confidence) / P` for P periods (Bonferroni across periods,
    /// each period's groups adjusted among themselves as in the main
    /// results), so that across every period and group the chance of any
    /// false finding stays within `1 − confidence`.
    pub verdict_confidence: f64,
    /// One per attribute, in the order of the report's `attributes`.
    pub attributes: Vec<PeriodAttribute>,
}

/// One attribute's figures by period.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PeriodAttribute {
    /// The attribute's column (an intersection's joined with `|`).
    pub column: String,
    /// One per period, in the order of `periods`.
    pub periods: Vec<PeriodFigures>,
    /// Per group (not `(missing)`), the trend of its rate across the periods.
    pub trends: Vec<GroupTrend>,
    /// Per group and period after the baseline, the change in its rate.
    pub changes: Vec<GroupChange>,
    /// How the change tests were adjusted together.
    pub changes_family: PeriodFamily,
    /// How the trend tests were adjusted together.
    pub trends_family: PeriodFamily,
}

/// The adjustment of a family of period tests.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PeriodFamily {
    /// The method applied to the family's p-values.
    pub method: Adjustment,
    /// Tests in the family.
    pub tests: usize,
    /// The level of the family's intervals: `1 − α/m` with an adjustment
    /// (simultaneous, Bonferroni), `1 − α` without.
    pub interval_confidence: f64,
}

/// One period of one attribute.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PeriodFigures {
    /// The period: `2025-03`, `2025-Q1`, `2025`, the text as given, or `(missing)`.
    pub period: String,
    /// Rows in the period.
    pub rows: u64,
    /// The group the period's groups are compared with (`null`: everyone
    /// else), chosen by the report's reference rule within the period.
    pub compared_with: Option<String>,
    /// Why the reference differs from the rule's usual pick, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why the period has no comparison (e.g. only one group has rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_compared: Option<String>,
    /// One per group with rows in the period, in byte order of the names.
    pub groups: Vec<PeriodGroup>,
}

/// One group in one period.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PeriodGroup {
    /// The group's raw name.
    pub group: String,
    /// The group as a reader names it.
    pub label: String,
    /// Rows in the group in the period.
    pub n: u64,
    /// Of them, given the positive decision.
    pub selected: u64,
    /// The selection rate, on the report's basis (weighted with weights).
    pub rate: Value,
    /// The rate's interval at the report's confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<RateInterval>,
    /// Beneficial-outcome rate ratio against the comparison group, at the
    /// verdicts' family level within the period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_ratio: Option<Outcome<RatioInterval>>,
    /// For a harmful decision: how many times as often as the comparison group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub harm_ratio: Option<Outcome<RatioInterval>>,
    /// The verdict within the period, judged at `verdict_confidence`; absent
    /// for `(missing)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// The verdict's sentences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One group's trend across the periods (`(missing)` periods left out).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupTrend {
    /// The group's raw name.
    pub group: String,
    /// The group as a reader names it.
    pub label: String,
    /// Periods in which the group has rows.
    pub periods: usize,
    /// Cochran–Armitage test of a linear trend in the rate, periods scored
    /// by their place on the calendar (months, quarters or years apart; for
    /// `as_given`, 0, 1, 2, … in order).
    pub test: Outcome<TrendTest>,
    /// The test's p-value adjusted within the attribute's trend family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted_p: Option<f64>,
    /// `adjusted_p < 1 − confidence`.
    pub significant: bool,
}

/// One group's change in rate from the baseline period to a later one.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupChange {
    /// The group's raw name.
    pub group: String,
    /// The group as a reader names it.
    pub label: String,
    /// The period compared with the baseline.
    pub period: String,
    /// The rate in the period minus the rate in the baseline, with its
    /// Newcombe interval at the family's level.
    pub difference: Outcome<stats::Interval>,
    /// Two-sided p-value: Fisher's exact test on rows, or the two-proportion
    /// z-test at effective sizes with weights.
    pub p_value: Outcome<f64>,
    /// The p-value adjusted within the attribute's change family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted_p: Option<f64>,
    /// `adjusted_p < 1 − confidence`.
    pub significant: bool,
}

/// A group, a later period, and the group's tallies then and in the
/// baseline period (when it has people in both).
type ChangePair<'a> = (&'a String, &'a String, Option<(&'a GroupTally, &'a GroupTally)>);

/// The calendar place of a period, for the trend test's scores: months
/// since year 0, quarters, or years; `None` for text periods.
fn calendar_score(period: &str, unit: PeriodUnit) -> Option<f64> {
    let year: f64 = period.get(..4)?.parse().ok()?;
    match unit {
        PeriodUnit::Month => Some(year * 12.0 + period.get(5..7)?.parse::<f64>().ok()?),
        PeriodUnit::Quarter => Some(year * 4.0 + period.get(6..7)?.parse::<f64>().ok()?),
        PeriodUnit::Year => Some(year),
        PeriodUnit::AsGiven => None,
    }
}

/// A group's (x, n) on the report's basis: rows, or effective counts.
fn basis_counts(t: &GroupTally, weighted: bool) -> (f64, f64) {
    match (weighted, t.weighted, t.effective_size()) {
        (true, Some(w), Some(effective)) if w.n > 0 => {
            let rate = w.selected as f64 / w.n as f64;
            (rate * effective, effective)
        }
        _ => (t.counts.selected as f64, t.counts.n as f64),
    }
}

pub(crate) fn adjust(method: Adjustment, raw: &[f64]) -> Vec<f64> {
    let adjusted = match method {
        Adjustment::Holm => stats::holm_adjust(raw),
        Adjustment::Bh => stats::benjamini_hochberg_adjust(raw),
        Adjustment::None => Ok(raw.to_vec()),
    };
    adjusted.unwrap_or_else(|_| raw.to_vec())
}

pub(crate) fn family(config: &AuditConfig, tests: usize) -> PeriodFamily {
    let alpha = 1.0 - config.evidence.confidence;
    let interval_confidence = match config.evidence.adjust {
        Adjustment::None => config.evidence.confidence,
        _ => 1.0 - alpha / tests.max(1) as f64,
    };
    PeriodFamily { method: config.evidence.adjust, tests, interval_confidence }
}

/// The per-period part of the report, from the binned tallies. `None`
/// without a period column.
pub fn build(
    config: &AuditConfig,
    binned: &[std::borrow::Cow<AttributeTally>],
    labelled: bool,
    weighted: bool,
) -> Result<Option<PeriodsReport>> {
    let Some(period) = &config.period else { return Ok(None) };
    let mut names: Vec<String> = Vec::new();
    for a in binned {
        for p in a.periods.keys() {
            if !names.contains(p) {
                names.push(p.clone());
            }
        }
    }
    // Time order is the order of the names (2025-03, 2025-Q1, 2025), "(missing)" last.
    names.sort();
    if let Some(i) = names.iter().position(|p| p == MISSING_GROUP) {
        let missing = names.remove(i);
        names.push(missing);
    }
    let dated: Vec<&String> = names.iter().filter(|p| p.as_str() != MISSING_GROUP).collect();
    let baseline = match &period.baseline {
        Some(b) if dated.contains(&b) => Some(b.clone()),
        Some(b) => {
            let listed: Vec<String> = dated.iter().take(30).map(|p| quoted(p)).collect();
            return Err(Error::new(
                ErrorCode::ConfigUnknownReference,
                format!(
                    "the baseline period {} is not a period of the file; its periods are: {}",
                    quoted(b),
                    listed.join(", ")
                ),
            )
            .for_field("period.baseline"));
        }
        None => dated.first().map(|p| (*p).clone()),
    };
    let alpha = 1.0 - config.evidence.confidence;
    let verdict_confidence = 1.0 - alpha / dated.len().max(1) as f64;
    let mut per_period = config.clone();
    per_period.evidence.confidence = verdict_confidence;
    per_period.publication = false;
    let named = match &config.reference {
        Reference::Group(name) => Some(name.as_str()),
        _ => None,
    };
    // As in the whole-file figures: a group named for one attribute is not an error in another.
    let named_exists = named.is_some_and(|n| binned.iter().any(|a| a.groups.contains_key(n)));
    let mut attributes = Vec::with_capacity(binned.len());
    for a in binned {
        let spoken = |name: &str| {
            let columns = if a.columns.is_empty() { vec![a.column.clone()] } else { a.columns.clone() };
            super::spoken_name(name, &columns, &config.bins)
        };
        let mut periods = Vec::with_capacity(names.len());
        for name in &names {
            let Some(groups) = a.periods.get(name) else { continue };
            let tally = AttributeTally {
                column: a.column.clone(),
                columns: a.columns.clone(),
                groups: groups.clone(),
                ..Default::default()
            };
            let rows = tally.total().counts.n;
            let interval = |t: &GroupTally| {
                let real = basis_counts(t, weighted);
                evidence::basis_interval(&config.evidence, weighted, (t.counts.selected, t.counts.n), real)
            };
            let figures = match super::attribute_report(&per_period, &tally, labelled, weighted, named_exists, None) {
                Ok((report, _)) => PeriodFigures {
                    period: name.clone(),
                    rows,
                    compared_with: report.reference.group.clone(),
                    note: report.reference.note.clone(),
                    not_compared: None,
                    groups: report
                        .groups
                        .iter()
                        .map(|g| {
                            let impact = g.evidence.as_ref().and_then(|e| e.adverse_impact.as_ref());
                            PeriodGroup {
                                group: g.group.clone(),
                                label: g.label.clone(),
                                n: g.counts.n,
                                selected: g.counts.selected,
                                rate: g
                                    .metrics
                                    .get("selection_rate")
                                    .cloned()
                                    .unwrap_or(Value::Undefined("the group has no one in this period".into())),
                                interval: groups.get(&g.group).and_then(interval),
                                impact_ratio: impact.map(|i| i.impact_ratio.clone()),
                                harm_ratio: impact.and_then(|i| i.harm_ratio.clone()),
                                verdict: impact.map(|i| i.verdict),
                                reason: impact.map(|i| i.reason.clone()),
                            }
                        })
                        .collect(),
                },
                // Nothing to compare, or a comparison group pinned for the attribute
                // (monitoring's, the review's) with no one in this period.
                Err(e)
                    if e.code == ErrorCode::DataNothingToCompare
                        || (e.code == ErrorCode::ConfigUnknownReference
                            && config.references.contains_key(&a.column)) =>
                {
                    PeriodFigures {
                        period: name.clone(),
                        rows,
                        compared_with: None,
                        note: None,
                        not_compared: Some(if e.code == ErrorCode::DataNothingToCompare {
                            e.message.clone()
                        } else {
                            format!(
                                "the comparison group {} has no one in this period",
                                crate::error::quoted(config.references.get(&a.column).map_or("", String::as_str))
                            )
                        }),
                        groups: groups
                            .iter()
                            .map(|(g, t)| PeriodGroup {
                                group: g.clone(),
                                label: spoken(g),
                                n: t.counts.n,
                                selected: t.counts.selected,
                                rate: Value::from_option(
                                    (t.counts.n > 0).then(|| basis_counts(t, weighted)).map(|(x, n)| x / n),
                                    || "the group has no one in this period".into(),
                                ),
                                interval: interval(t),
                                impact_ratio: None,
                                harm_ratio: None,
                                verdict: None,
                                reason: None,
                            })
                            .collect(),
                    }
                }
                Err(e) => return Err(e),
            };
            periods.push(figures);
        }

        // Trends and changes, per group, over the dated periods.
        let group_names: Vec<&String> = a.groups.keys().filter(|g| !is_missing_group(g)).collect();
        let score = |i: usize, p: &str| calendar_score(p, period.unit).unwrap_or(i as f64);
        let mut trends: Vec<GroupTrend> = group_names
            .iter()
            .map(|g| {
                let points: Vec<(f64, f64, f64)> = dated
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| {
                        let t = a.periods.get(*p)?.get(*g)?;
                        let (x, n) = basis_counts(t, weighted);
                        Some((x, n, score(i, p)))
                    })
                    .collect();
                GroupTrend {
                    group: (*g).clone(),
                    label: spoken(g),
                    periods: points.iter().filter(|p| p.1 > 0.0).count(),
                    test: Outcome::from(stats::cochran_armitage(&points)),
                    adjusted_p: None,
                    significant: false,
                }
            })
            .collect();
        let raw: Vec<f64> = trends
            .iter()
            .filter_map(|t| if let Outcome::Value(v) = &t.test { Some(v.p_value) } else { None })
            .collect();
        let trends_family = family(config, raw.len());
        let mut adjusted = adjust(config.evidence.adjust, &raw).into_iter();
        for t in &mut trends {
            if matches!(t.test, Outcome::Value(_)) {
                t.adjusted_p = adjusted.next();
                t.significant = t.adjusted_p.is_some_and(|p| p < alpha);
            }
        }

        let mut pairs: Vec<ChangePair> = Vec::new();
        if let Some(base) = &baseline {
            for g in &group_names {
                for p in dated.iter().filter(|p| **p != base) {
                    let now = a.periods.get(*p).and_then(|groups| groups.get(*g));
                    let then = a.periods.get(base).and_then(|groups| groups.get(*g));
                    if now.is_some() || then.is_some() {
                        pairs.push((g, p, now.zip(then).filter(|(x, y)| x.counts.n > 0 && y.counts.n > 0)));
                    }
                }
            }
        }
        let tested = pairs.iter().filter(|p| p.2.is_some()).count();
        let changes_family = family(config, tested);
        let level = changes_family.interval_confidence;
        let mut changes: Vec<GroupChange> = pairs
            .iter()
            .map(|(g, p, both)| {
                let (difference, p_value) = match both {
                    None => (
                        Outcome::undefined("the group has no one in one of the two periods"),
                        Outcome::undefined("the group has no one in one of the two periods"),
                    ),
                    Some((now, then)) if weighted => {
                        let (x1, n1) = basis_counts(now, true);
                        let (x2, n2) = basis_counts(then, true);
                        (
                            Outcome::from(stats::newcombe_difference_interval_effective(x1, n1, x2, n2, level)),
                            Outcome::from(stats::two_proportion_z_test_effective(x1, n1, x2, n2).map(|z| z.p_value)),
                        )
                    }
                    Some((now, then)) => {
                        let (x1, n1) = (now.counts.selected, now.counts.n);
                        let (x2, n2) = (then.counts.selected, then.counts.n);
                        (
                            Outcome::from(stats::newcombe_difference_interval(x1, n1, x2, n2, level)),
                            Outcome::from(stats::fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).map(|f| f.p_value)),
                        )
                    }
                };
                GroupChange {
                    group: (*g).clone(),
                    label: spoken(g),
                    period: (*p).clone(),
                    difference,
                    p_value,
                    adjusted_p: None,
                    significant: false,
                }
            })
            .collect();
        let raw: Vec<f64> =
            changes.iter().filter_map(|c| if let Outcome::Value(p) = c.p_value { Some(p) } else { None }).collect();
        let mut adjusted = adjust(config.evidence.adjust, &raw).into_iter();
        for c in &mut changes {
            if matches!(c.p_value, Outcome::Value(_)) {
                c.adjusted_p = adjusted.next();
                c.significant = c.adjusted_p.is_some_and(|p| p < alpha);
            }
        }
        attributes.push(PeriodAttribute {
            column: a.column.clone(),
            periods,
            trends,
            changes,
            changes_family,
            trends_family,
        });
    }
    Ok(Some(PeriodsReport {
        column: period.column.clone(),
        unit: period.unit,
        periods: names,
        baseline,
        verdict_confidence,
        attributes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_scores_count_the_gaps() {
        let m = |p| calendar_score(p, PeriodUnit::Month);
        assert_eq!(m("2025-03").zip(m("2024-12")).map(|(a, b)| a - b), Some(3.0));
        let q = |p| calendar_score(p, PeriodUnit::Quarter);
        assert_eq!(q("2025-Q1").zip(q("2024-Q3")).map(|(a, b)| a - b), Some(2.0));
        assert_eq!(calendar_score("2025", PeriodUnit::Year), Some(2025.0));
        assert_eq!(calendar_score("wave 1", PeriodUnit::AsGiven), None);
    }
}
