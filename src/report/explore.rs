//! The threshold explorer: the report an audit would give if the decision
//! were `score ≥ t`, for any threshold `t` (or one per group), from the
//! score histograms of an audit already counted. Built once; each threshold
//! is then a binary search per group and one attribute's report, so a
//! slider can move over millions of rows. The verdicts are the report's own,
//! made by the same code: nothing is judged twice.

use super::Report;
use crate::config::{AuditConfig, OutcomeColumn};
use crate::error::{Error, ErrorCode, Result};
use crate::evidence::Outcome;
use crate::scores::{self, Confusion, ThresholdSweep};
use crate::tally::{AttributeTally, Counts, GroupTally, TallySet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The thresholds to explore: one for everyone, or one per group (a group
/// left out keeps `default`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Thresholds {
    /// One threshold for every group.
    One(f64),
    /// A threshold per group, by the group's raw name.
    PerGroup {
        /// The threshold of a group not named in `groups`.
        default: f64,
        /// Raw group name → its threshold.
        groups: BTreeMap<String, f64>,
    },
}

impl Thresholds {
    fn of(&self, group: &str) -> f64 {
        match self {
            Thresholds::One(t) => *t,
            Thresholds::PerGroup { default, groups } => groups.get(group).copied().unwrap_or(*default),
        }
    }
}

/// What the explorer ranges over, for a slider.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ScoreRange {
    /// The lowest score of any group.
    pub lowest: f64,
    /// The highest score of any group.
    pub highest: f64,
    /// How many distinct scores there are across the groups.
    pub distinct: usize,
    /// Whether every score is a whole number (a slider can then step by 1).
    pub whole_numbers: bool,
    /// The threshold the decisions in the file follow, when they follow one:
    /// see [`ThresholdExplorer::system_threshold`].
    pub system_threshold: Option<SystemThreshold>,
}

/// The system's own threshold.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SystemThreshold {
    /// Rows with `score ≥ threshold` were given the positive decision.
    pub threshold: f64,
    /// How it is known: "configured" (the decision is the score at this
    /// threshold) or "matches" (in every group, the number given the
    /// decision, and with a label the number of them with a positive label,
    /// equal those with `score ≥ threshold`).
    pub how: &'static str,
}

/// The what-if strategies at the audit's cost ratio, for the comparable
/// groups (not the rows with no value), from the same counts as the report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Strategies {
    /// The cost of a false positive relative to a false negative.
    pub cost_ratio: f64,
    /// The gap allowed in the per-group strategies, when one was given.
    pub tolerance: Option<f64>,
    /// One threshold for everyone at the lowest cost.
    pub single_threshold: Outcome<scores::SingleThreshold>,
    /// Per-group thresholds for each criterion, at the lowest cost with the
    /// smallest gap or, with a tolerance, a gap at most that.
    pub group_thresholds: BTreeMap<&'static str, Outcome<scores::GroupThresholds>>,
}

/// A report on demand at any threshold on the score.
#[derive(Debug, Clone)]
pub struct ThresholdExplorer {
    config: AuditConfig,
    column: String,
    columns: Vec<String>,
    groups: Vec<(String, ThresholdSweep)>,
    labelled: bool,
    label_values: Option<crate::tally::ValuesSeen>,
    named_elsewhere: bool,
    system: Option<SystemThreshold>,
}

fn misuse(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::EngineMisuse, message)
}

impl ThresholdExplorer {
    /// From an audit's merged tallies, for attribute number `attribute` (the
    /// group columns first, then the intersections). Needs a score column.
    pub fn new(config: &AuditConfig, tallies: &TallySet, attribute: usize) -> Result<ThresholdExplorer> {
        let Some(score) = config.score.clone() else {
            return Err(misuse("the audit has no score column, so there is no threshold to explore"));
        };
        let raw = tallies
            .attributes
            .get(attribute)
            .ok_or_else(|| misuse(format!("there is no attribute number {attribute}")))?;
        if raw.scores.is_empty() {
            return Err(misuse("these tallies have no score column"));
        }
        let binned = crate::binning::bin_attribute(raw, &config.bins)?;
        let labelled = config.label.is_some();
        let groups = binned
            .scores
            .iter()
            .filter(|(_, h)| h.rows() > 0)
            .map(|(name, h)| {
                let sweep = if labelled { ThresholdSweep::build(h) } else { Ok(ThresholdSweep::selection_only(h)) };
                sweep.map(|s| (name.clone(), s)).map_err(|u| Error::new(ErrorCode::DataNothingToCompare, u.reason))
            })
            .collect::<Result<Vec<_>>>()?;
        let named_elsewhere = match &config.reference {
            crate::config::Reference::Group(name) => tallies.attributes.iter().any(|a| {
                crate::binning::bin_attribute(a, &config.bins).is_ok_and(|b| b.groups.contains_key(name.as_str()))
            }),
            _ => false,
        };
        // Unweighted rows, as the histograms count them; no strata or periods.
        let mut explored = config.clone();
        explored.weight = None;
        explored.strata = None;
        explored.period = None;
        explored.publication = false;
        explored.score = None;
        explored.decision = OutcomeColumn { column: score.clone(), threshold: Some(0.0), ..Default::default() };
        let mut explorer = ThresholdExplorer {
            config: explored,
            column: binned.column.clone(),
            columns: binned.columns.clone(),
            groups,
            labelled,
            label_values: tallies.label_values.clone(),
            named_elsewhere,
            system: None,
        };
        explorer.system = explorer.find_system_threshold(config, &binned);
        Ok(explorer)
    }

    /// Every group's counts at these thresholds.
    pub fn counts(&self, thresholds: &Thresholds) -> Vec<(&str, Confusion)> {
        self.groups.iter().map(|(name, sweep)| (name.as_str(), sweep.at(thresholds.of(name)))).collect()
    }

    /// The scores' range, for a slider.
    pub fn range(&self) -> ScoreRange {
        let mut lowest = f64::INFINITY;
        let mut highest = f64::NEG_INFINITY;
        let mut all: Vec<f64> = Vec::new();
        for (_, sweep) in &self.groups {
            if let (Some(&lo), Some(&hi)) = (sweep.scores().first(), sweep.scores().last()) {
                lowest = lowest.min(lo);
                highest = highest.max(hi);
            }
            all.extend_from_slice(sweep.scores());
        }
        all.sort_unstable_by(f64::total_cmp);
        all.dedup();
        if all.is_empty() {
            (lowest, highest) = (0.0, 0.0);
        }
        ScoreRange {
            lowest,
            highest,
            distinct: all.len(),
            whole_numbers: all.iter().all(|s| s.fract() == 0.0),
            system_threshold: self.system.clone(),
        }
    }

    /// The report an audit with the decision `score ≥ t` would give for this
    /// attribute (with per-group thresholds, `t` of each group), from the
    /// rows that have a score, unweighted. Its one attribute holds the
    /// verdicts; its config's decision names the score column (with the
    /// threshold when there is one for everyone).
    pub fn report(&self, thresholds: &Thresholds) -> Result<Report> {
        let mut attribute =
            AttributeTally { column: self.column.clone(), columns: self.columns.clone(), ..Default::default() };
        let mut rows = 0u64;
        for (name, confusion) in self.counts(thresholds) {
            let c = if self.labelled {
                Counts {
                    n: confusion.rows(),
                    selected: confusion.selected,
                    tp: confusion.tp,
                    fp: confusion.fp,
                    tn: confusion.tn,
                    fn_: confusion.fn_,
                }
            } else {
                Counts { n: confusion.rows(), selected: confusion.selected, ..Default::default() }
            };
            rows += c.n;
            attribute.groups.insert(name.to_string(), GroupTally { counts: c, ..Default::default() });
        }
        let tallies = TallySet {
            rows_read: rows,
            attributes: vec![attribute],
            label_values: self.label_values.clone(),
            ..Default::default()
        };
        let mut config = self.config.clone();
        config.decision.threshold = match thresholds {
            Thresholds::One(t) => Some(*t),
            Thresholds::PerGroup { .. } => None,
        };
        super::build_with(&config, &tallies, None, None, self.named_elsewhere)
    }

    /// The what-if strategies (needs a label column): one threshold at the
    /// lowest cost, and per-group thresholds for each criterion, with the
    /// smallest gap or, given a `tolerance`, a gap at most that.
    pub fn strategies(&self, tolerance: Option<f64>) -> Strategies {
        let cost_ratio = self.config.cost_ratio;
        let comparable: Vec<(&str, &ThresholdSweep)> = self
            .groups
            .iter()
            .filter(|(name, _)| !crate::tally::names::is_missing_group(name))
            .map(|(name, sweep)| (name.as_str(), sweep))
            .collect();
        let no_label =
            || Outcome::Undefined { undefined: "there is no label column, so no error can be counted".into() };
        if !self.labelled {
            return Strategies {
                cost_ratio,
                tolerance,
                single_threshold: no_label(),
                group_thresholds: BTreeMap::new(),
            };
        }
        let (single_threshold, group_thresholds) = super::what_ifs(&comparable, cost_ratio, tolerance);
        Strategies { cost_ratio, tolerance, single_threshold, group_thresholds }
    }

    /// The threshold the file's decisions follow: the configured one when the
    /// decision is the score at a threshold, else the distinct score at which
    /// every group's count given the decision (and, with a label, its true
    /// positives) equals the count with `score ≥ t`, when all its rows have a
    /// score. Counts, not rows: a match says the decisions are consistent
    /// with that threshold, which the page says in those words.
    fn find_system_threshold(&self, config: &AuditConfig, binned: &AttributeTally) -> Option<SystemThreshold> {
        if let (Some(score), Some(t)) = (&config.score, config.decision.threshold) {
            if &config.decision.column == score {
                return Some(SystemThreshold { threshold: t, how: "configured" });
            }
        }
        if config.weight.is_some() || config.count.is_some() {
            return None;
        }
        let actual: Vec<(&ThresholdSweep, &GroupTally)> =
            self.groups.iter().filter_map(|(name, sweep)| binned.groups.get(name).map(|t| (sweep, t))).collect();
        if actual.len() != self.groups.len() || actual.iter().any(|(s, t)| s.rows() != t.counts.n) {
            return None;
        }
        let selected: u64 = actual.iter().map(|(_, t)| t.counts.selected).sum();
        // Everyone selected at the lowest score: no threshold to speak of.
        if actual.iter().all(|(s, t)| t.counts.selected == s.rows()) {
            return None;
        }
        let mut all: Vec<f64> = self.groups.iter().flat_map(|(_, s)| s.scores().iter().copied()).collect();
        all.sort_unstable_by(f64::total_cmp);
        all.dedup();
        // Selected count falls as the threshold rises: find where it equals the decisions'.
        let at = |t: f64| actual.iter().map(|(s, _)| s.at(t).selected).sum::<u64>();
        let first = all.partition_point(|&t| at(t) > selected);
        let t = *all.get(first)?;
        let matches = actual.iter().all(|(s, g)| {
            let c = s.at(t);
            c.selected == g.counts.selected && (!self.labelled || c.tp == g.counts.tp)
        });
        matches.then_some(SystemThreshold { threshold: t, how: "matches" })
    }
}
