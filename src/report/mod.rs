//! Tallies → one serde `Report`: the JSON that the CLI, the wasm API and the
//! page all emit. Field meanings are documented in `docs/report.md`.

pub mod disclosure;
pub mod explore;
pub mod glance;
pub mod markdown;
pub mod monitor;
pub mod periods;
pub mod publication;
pub mod schema;

use crate::config::{AuditConfig, Direction, Reference};
use crate::disparity::{self, Disparity, FourFifths, GroupRates, ResolvedReference, Summary};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::evidence;
use crate::inequality;
use crate::metrics::{rates, Value, ValueMap, NO_LABEL};
use crate::scores;
use crate::tally::names::{is_missing_group, MISSING_GROUP};
use crate::tally::{AttributeTally, Counts, Exclusion, TallySet};
use serde::Serialize;

/// Bumped when a field changes meaning or is removed; adding fields is not a
/// breaking change.
pub const SCHEMA_VERSION: u32 = 3;

/// Said once in `notes` when a weight column is used.
pub const WEIGHTS_NOTE: &str = "The weights are taken as survey or design weights: rates and ratios are weighted, and every interval, test and verdict uses each group's effective size (Σw)²/Σw² (Kish), the number of unweighted people that would give the same precision. Shortfalls and one-person changes are not given, because a weighted case is not one person.";

/// The JSON report of one audit, the same from the CLI, the WebAssembly API and
/// the page. Every field is described in docs/report.md.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// The report format's version (3): raised when a field changes meaning or
    /// is removed, not when one is added.
    pub schema_version: u32,
    /// The program that wrote the report.
    pub engine: Engine,
    /// The configuration the audit ran with, every default filled in.
    pub config: AuditConfig,
    /// What was read from the file and what was left out.
    pub input: InputSummary,
    /// At most six sentences a board reads first: the largest disparities
    /// with their figures and ranges, then what was too thin to judge.
    pub at_a_glance: Vec<String>,
    /// Assumptions and caveats a reader must see.
    pub notes: Vec<String>,
    /// What may be a mistake in the settings, to fix before reading on: a
    /// positive value that never occurs in its column. Absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Settings and multiple-comparison families of the statistical evidence.
    pub evidence: EvidenceSummary,
    /// Present when this is the publication view (small groups suppressed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication: Option<Publication>,
    /// One per protected-attribute column, in the order of the config's
    /// `groups`, then one per intersection.
    pub attributes: Vec<AttributeReport>,
    /// With a period column: every group's figures period by period, with
    /// trend and change tests. Absent from the publication view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub periods: Option<periods::PeriodsReport>,
}

/// Marks the publication view, from which small groups, and the groups they
/// could be worked out from, are removed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Publication {
    /// Groups with fewer rows than this were suppressed.
    pub min_cell: u64,
    /// Groups with fewer rows than this in which all or none got the
    /// decision (or the label) were suppressed: `2 × min_cell`.
    pub all_or_none_below: u64,
}

/// The settings of the statistical evidence and its multiple-comparison
/// families.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvidenceSummary {
    /// The evidence settings used (the same as `config.evidence`).
    pub options: crate::config::EvidenceOptions,
    /// Which p-values were adjusted together, by which method.
    pub families: Vec<evidence::Family>,
}

/// The program that wrote a report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Engine {
    /// The program's name: `biasaudit`.
    pub name: &'static str,
    /// The engine's version (the Rust crate's).
    pub version: &'static str,
}

/// This engine, as every report names it.
pub const ENGINE: Engine = Engine { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") };

/// What was read from the file and what was left out.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InputSummary {
    /// Data rows read after the header, whether used or excluded; with a
    /// count column, the cases they stand for (the sum of the counts).
    pub rows_read: u64,
    /// Rows in every tally: `rows_read − rows_excluded`.
    pub rows_used: u64,
    /// Rows left out because the decision, the label or the weight was missing.
    pub rows_excluded: u64,
    /// One entry per reason that excluded any row, in the order decision,
    /// label, weight; empty when no row was excluded.
    pub exclusions: Vec<ExclusionCount>,
    /// The delimiter used, as a one-character string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Whether a label (true-outcome) column was given. Without one the
    /// confusion counts are absent and the label-based rates are undefined.
    pub labelled: bool,
    /// SHA-256 of the file's bytes (lower-case hex), identifying exactly what
    /// was audited without keeping any of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// `weighted` when a weight column is used: then every rate, disparity
    /// and check is computed from sums of weights.
    pub basis: &'static str,
    /// The decision column's values as read (trimmed, missing cells left
    /// out): the positive values that occur, then up to 20 others, smallest
    /// first. Absent for a decision read against a threshold. A monitoring
    /// run checks against it that no new kind of decision has appeared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_values: Option<ValuesRead>,
    /// The label column's values, in the same way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_values: Option<ValuesRead>,
}

/// An outcome column's values as read.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ValuesRead {
    /// The positive values that occur, in the config's order, then the others.
    pub values: Vec<String>,
    /// Whether every value is listed (false when more than 20 others occur).
    pub complete: bool,
}

fn values_read(column: &crate::config::OutcomeColumn, seen: &crate::tally::ValuesSeen) -> Option<ValuesRead> {
    if column.threshold.is_some() {
        return None;
    }
    let positive = column.positive.iter().zip(&seen.positive_seen).filter(|(_, seen)| **seen).map(|(v, _)| v.clone());
    Some(ValuesRead {
        values: positive.chain(seen.others.iter().cloned()).collect(),
        complete: seen.others.len() < crate::tally::OTHER_VALUES_KEPT,
    })
}

/// How many rows one reason left out.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ExclusionCount {
    /// The reason, as a code.
    pub reason: Exclusion,
    /// The reason in plain English, e.g. "the decision is missing".
    pub description: &'static str,
    /// Rows excluded for this reason. A row counts once, under the first reason
    /// that applies (decision, label, weight).
    pub rows: u64,
}

/// Every figure for one protected attribute: a column, or an intersection of 2
/// or 3 columns.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AttributeReport {
    /// The column, or an intersection's columns joined with `|`.
    pub column: String,
    /// The columns combined (one for a plain attribute).
    pub columns: Vec<String>,
    /// Groups left out by the publication view.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed_groups: Vec<String>,
    /// For an intersection: combinations of observed values with no rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub empty_cells: Option<EmptyCells>,
    /// The reference actually used for this attribute.
    pub reference: ResolvedReference,
    /// The whole population, `(missing)` included: its `group` is `(overall)`,
    /// and it has no `disparity` or `evidence`.
    pub overall: GroupReport,
    /// One per distinct value, `(missing)` included, in byte order of the
    /// names.
    pub groups: Vec<GroupReport>,
    /// Fairlearn's between-group and to-overall criteria, over the comparable
    /// groups.
    pub summary: Summary,
    /// The four-fifths check, and for a harmful decision the harm ratio,
    /// against the comparison group.
    pub four_fifths: FourFifths,
    /// Chi-squared test of independence across the groups, per rate.
    pub chi_squared: std::collections::BTreeMap<&'static str, evidence::Outcome<crate::stats::ChiSquaredTest>>,
    /// With a strata column: each group against the reference, stratified.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub stratified: std::collections::BTreeMap<String, evidence::Stratified>,
    /// With a strata column: every group's counts and metrics within each
    /// stratum (share and ppr are within the stratum).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub by_stratum: std::collections::BTreeMap<String, Vec<StratumGroup>>,
    /// Inequality and disparity indices (AIF360 definitions).
    pub indices: Indices,
    /// With a score column: the score analyses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<ScoreReport>,
}

/// Score analyses for one attribute (unweighted rows with a score).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ScoreReport {
    /// One per group, `(missing)` included, in group order.
    pub groups: Vec<GroupScores>,
    /// The bands of each group's `distribution`: one per distinct score when
    /// there are at most 20, else 20 of equal width from the lowest score to
    /// the highest.
    pub bands: Vec<scores::ScoreBand>,
    /// What-if: one threshold for everyone minimising cost_ratio·FP + FN.
    pub single_threshold: evidence::Outcome<scores::SingleThreshold>,
    /// What-if: per-group thresholds meeting each criterion at the lowest cost.
    pub group_thresholds: std::collections::BTreeMap<&'static str, evidence::Outcome<scores::GroupThresholds>>,
    /// NYC Local Law 144: each group's rate of scoring above the overall median.
    pub scoring_rate: evidence::Outcome<scores::ScoringRates>,
}

/// One group's score analyses, from its rows with a score (weights are
/// ignored).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupScores {
    /// The group's raw name.
    pub group: String,
    /// Rows with a score.
    pub rows: u64,
    /// The mean score; undefined without rows.
    pub mean_score: evidence::Outcome<f64>,
    /// Area under the ROC curve (scikit-learn's `roc_auc_score`); undefined
    /// without rows, without a label column, or with only one label class.
    pub auc: evidence::Outcome<f64>,
    /// DeLong's standard error and range for the AUC, at the report's
    /// confidence (not adjusted: it is no test).
    pub auc_interval: evidence::Outcome<scores::AucInterval>,
    /// Mean of `(score − label)²`, the label 1 or 0; undefined without rows,
    /// without a label column, or when a score lies outside [0, 1].
    pub brier_score: evidence::Outcome<f64>,
    /// Mean score against observed rate per bin (the config's `calibration`).
    pub calibration: evidence::Outcome<Vec<scores::CalibrationBin>>,
    /// The ROC curve, thinned to at most 201 points for charts (`roc_points` is the full count).
    pub roc: evidence::Outcome<Vec<scores::RocPoint>>,
    /// The full number of ROC points (distinct scores + 1); 0 when `roc` is
    /// undefined.
    pub roc_points: usize,
    /// The group's rows in each of the report's score `bands`, by true label.
    pub distribution: Vec<scores::BandCount>,
}

/// One group within one stratum.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StratumGroup {
    /// The group's raw name.
    pub group: String,
    /// The group's row counts within the stratum, whatever the basis.
    pub counts: CountsView<u64>,
    /// n, selected and every rate, on the report's basis, within the stratum.
    #[schemars(schema_with = "crate::metrics::metrics_schema")]
    pub metrics: ValueMap,
}

/// AIF360's inequality and disparity indices for one attribute. Each is a
/// result or `{ "undefined": reason }`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Indices {
    /// Generalized entropy of the benefit b = ŷ − y + 1 over all rows, split
    /// into between- and within-group parts (needs a label).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generalized_entropy: Option<evidence::Outcome<inequality::GeDecomposition>>,
    /// The Theil index, GE(1), of the benefit b = ŷ − y + 1; absent without a
    /// label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theil_index: Option<evidence::Outcome<f64>>,
    /// The coefficient of variation of the benefit b = ŷ − y + 1,
    /// `sqrt(2 × GE(2))`; absent without a label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coefficient_of_variation: Option<evidence::Outcome<f64>>,
    /// Smoothed empirical differential fairness over the comparable groups.
    pub differential_fairness: evidence::Outcome<inequality::DifferentialFairness>,
    /// Each group's share of rejections minus its share of selections.
    pub demographic_disparity: evidence::Outcome<inequality::DemographicDisparity>,
    /// With a strata column: demographic disparity averaged over strata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_demographic_disparity: Option<evidence::Outcome<inequality::ConditionalDemographicDisparity>>,
}

/// For an intersection: the combinations of the values seen in each part that
/// no row has.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EmptyCells {
    /// How many combinations have no rows.
    pub count: usize,
    /// Their names, up to the first 1,000.
    pub cells: Vec<String>,
}

/// One group's counts, rates, comparison with the reference and evidence; also
/// the shape of the overall row.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupReport {
    /// The group's raw name: the trimmed value, `(missing)`, a bin label, or an
    /// intersection's parts joined with `|`; `(overall)` on the overall row.
    pub group: String,
    /// The group as a reader names it: an intersection's parts joined by
    /// " × ", bins spoken ("25 to under 35"). `group` keeps the raw name.
    pub label: String,
    /// Fewer rows than the config's `min_cell`: the publication view
    /// suppresses this group's figures.
    pub below_min_cell: bool,
    /// Whether this row is the reference. On the overall row, true exactly when
    /// the reference rule is `overall` (everyone else).
    pub is_reference: bool,
    /// True for the "(missing)" group of rows with no value and, in an
    /// intersection, for every combination with a missing part.
    pub is_missing: bool,
    /// Row counts (integers), whatever the basis.
    pub counts: CountsView<u64>,
    /// Sums of weights, when a weight column is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_counts: Option<CountsView<f64>>,
    /// n, selected and every rate, on the report's basis.
    #[schemars(schema_with = "crate::metrics::metrics_schema")]
    pub metrics: ValueMap,
    /// Against the reference group (absent for the reference itself and for
    /// the overall row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disparity: Option<Disparity>,
    /// Intervals, tests and the verdict (absent for the overall row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<evidence::GroupEvidence>,
}

/// Counts, without the confusion cells when there is no label.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "CountsView_{T}")]
pub struct CountsView<T> {
    /// Rows in the group (in `weighted_counts`, their summed weight).
    pub n: T,
    /// Of them, those given the positive decision.
    pub selected: T,
    /// With a label column, the four confusion cells (written beside `n` and
    /// `selected`).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub confusion: Option<Confusion<T>>,
}

/// The four confusion cells: the decision against the true outcome (label).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Confusion_{T}")]
pub struct Confusion<T> {
    /// Positive decision, positive label.
    pub tp: T,
    /// Positive decision, negative label.
    pub fp: T,
    /// Negative decision, negative label.
    pub tn: T,
    /// Negative decision, positive label.
    #[serde(rename = "fn")]
    pub fn_: T,
}

impl<T: Copy> CountsView<T> {
    fn of(c: &Counts<T>, labelled: bool) -> Self {
        CountsView {
            n: c.n,
            selected: c.selected,
            confusion: labelled.then_some(Confusion { tp: c.tp, fp: c.fp, tn: c.tn, fn_: c.fn_ }),
        }
    }
}

/// Builds the report from tallies. `delimiter` is what the reader used.
/// `sha256`: the fingerprint of the whole file, when known.
pub fn build(
    config: &AuditConfig,
    tallies: &TallySet,
    delimiter: Option<u8>,
    sha256: Option<String>,
) -> Result<Report> {
    build_with(config, tallies, delimiter, sha256, false)
}

/// [`build`], told whether a named reference group is a value of an attribute
/// not in these tallies (the explorer's tallies hold one attribute of many).
fn build_with(
    config: &AuditConfig,
    tallies: &TallySet,
    delimiter: Option<u8>,
    sha256: Option<String>,
    named_elsewhere: bool,
) -> Result<Report> {
    let labelled = config.label.is_some();
    let weighted = config.weight.is_some();
    if tallies.rows_read == 0 {
        // With a count column, rows are cases: a table whose every count is 0 holds none.
        let why = if config.count.is_some() {
            "every count in the file is 0 (or it has no data rows), so there is no case to audit"
        } else {
            "the file has a header but no data rows"
        };
        return Err(Error::new(ErrorCode::InputNoDataRows, why));
    }
    if tallies.rows_read == tallies.rows_excluded() {
        let why: Vec<String> =
            tallies.excluded.iter().map(|(reason, rows)| format!("{rows} because {}", reason.describe())).collect();
        return Err(Error::new(
            ErrorCode::DataNothingToCompare,
            format!(
                "all {} data rows were excluded ({}), so there is nothing to audit",
                tallies.rows_read,
                why.join("; ")
            ),
        ));
    }
    let mut notes = Vec::new();
    if config.outcome == Direction::Beneficial {
        notes.push(
            "The positive decision is treated as beneficial to the person. If it harms them (flagged, refused, \"high risk\"), set the outcome to harmful: the four-fifths check reads differently.".to_string(),
        );
    }
    if !labelled {
        notes.push(format!(
            "Error-rate metrics (base rate, TPR, FPR, PPV, accuracy and the like) are undefined: {NO_LABEL}."
        ));
    }
    let named_reference = match &config.reference {
        Reference::Group(name) => Some(name.as_str()),
        _ => None,
    };
    // Numeric attributes were counted by value; group them into their bins first.
    let binned: Vec<std::borrow::Cow<AttributeTally>> =
        tallies.attributes.iter().map(|a| crate::binning::bin_attribute(a, &config.bins)).collect::<Result<_>>()?;
    let named_exists_somewhere =
        named_elsewhere || named_reference.is_some_and(|name| binned.iter().any(|a| a.groups.contains_key(name)));
    let by_period = if config.publication { None } else { periods::build(config, &binned, labelled, weighted)? };
    if config.publication && config.period.is_some() {
        notes.push("The figures by period are left out of the publication view: a period's small groups could be worked out from the totals shown.".into());
    }
    let (binned, suppressed) =
        if config.publication { publication::protect(config, tallies, binned)? } else { (binned, Vec::new()) };
    // Each attribute whole, its evidence included: families never span attributes.
    let mut attributes = Vec::with_capacity(binned.len());
    let mut families = Vec::new();
    for (k, a) in binned.iter().enumerate() {
        let (report, found) =
            attribute_report(config, a, labelled, weighted, named_exists_somewhere, suppressed.get(k))?;
        attributes.push(report);
        families.extend(found);
    }
    // Before the notes below, which repeat each attribute's reference note.
    let publication = config.publication.then(|| publication::finish(&mut attributes, suppressed, config, &mut notes));
    if weighted {
        if tallies.attributes.iter().all(|t| evidence::weights_known(t.groups.values())) {
            notes.push(WEIGHTS_NOTE.into());
        } else {
            notes.push("Intervals, tests and verdicts use row counts: the tallies lack the sums of squared weights that an effective size needs.".into());
        }
    }
    for a in &attributes {
        if let Some(note) = &a.reference.note {
            notes.push(format!("{}: {note}.", a.column));
        }
        if a.groups.iter().any(|g| g.is_missing) {
            notes.push(format!(
                "{}: some rows have no value; they form the group {MISSING_GROUP}, shown but not used as a reference or in between-group summaries.",
                a.column
            ));
        }
    }
    let mut warnings = never_seen("decision", &config.decision, &tallies.decision_values)?;
    if let (Some(label), Some(seen)) = (&config.label, &tallies.label_values) {
        warnings.extend(never_seen("label", label, seen)?);
    }
    let rows_excluded = tallies.rows_excluded();
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        engine: ENGINE,
        config: config.clone(),
        input: InputSummary {
            rows_read: tallies.rows_read,
            rows_used: tallies.rows_read.saturating_sub(rows_excluded),
            rows_excluded,
            exclusions: tallies
                .excluded
                .iter()
                .map(|(&reason, &rows)| ExclusionCount { reason, description: reason.describe(), rows })
                .collect(),
            delimiter: delimiter.map(|d| (d as char).to_string()),
            labelled,
            sha256,
            basis: if weighted { "weighted" } else { "unweighted" },
            decision_values: values_read(&config.decision, &tallies.decision_values),
            label_values: config
                .label
                .as_ref()
                .zip(tallies.label_values.as_ref())
                .and_then(|(column, seen)| values_read(column, seen)),
        },
        at_a_glance: glance::glance(&attributes, config.outcome),
        notes,
        warnings,
        evidence: EvidenceSummary { options: config.evidence.clone(), families },
        publication,
        attributes,
        periods: by_period,
    })
}

/// A warning for each positive value that no row has; an error when none
/// occurs and every other value counts as negative (every decision would
/// then be negative without a word).
fn never_seen(
    role: &str,
    column: &crate::config::OutcomeColumn,
    seen: &crate::tally::ValuesSeen,
) -> Result<Vec<String>> {
    if column.threshold.is_some() || seen.positive_seen.len() != column.positive.len() {
        return Ok(Vec::new());
    }
    let what = if role == "label" { "positive label value" } else { "positive decision value" };
    let hint = |value: &str| {
        let value = value.trim();
        let holds_it = |o: &&String| o.contains(',') && o.split(',').any(|part| part.trim() == value);
        if let Some(whole) = seen.others.iter().find(holds_it) {
            return format!(
                "; did you mean {}? (the value holds a comma, so it must be given whole: on the command line, in double quotes)",
                quoted(whole)
            );
        }
        match seen.others.iter().find(|o| o.eq_ignore_ascii_case(value) || o.trim() == value) {
            Some(close) => format!("; did you mean {}?", quoted(close)),
            None if seen.others.is_empty() => String::new(),
            None => {
                let listed: Vec<String> = seen.others.iter().take(5).map(|o| quoted(o)).collect();
                let more = if seen.others.len() > 5 { ", …" } else { "" };
                format!(" (it holds {}{more})", listed.join(", "))
            }
        }
    };
    let missing: Vec<&String> =
        column.positive.iter().zip(&seen.positive_seen).filter(|(_, &s)| !s).map(|(v, _)| v).collect();
    // With every other value negative and none of the positive ones present,
    // a value that differs only in case, spacing or a comma is a typo that
    // would make every decision negative: refused. Without such a value it may
    // be a period with no positive decisions: a warning.
    let typo = missing.iter().map(|v| hint(v)).find(|h| h.starts_with("; did you mean"));
    if let (true, Some(first)) = (column.rest_negative && missing.len() == column.positive.len(), typo) {
        return Err(Error::new(
            ErrorCode::DataUnexpectedValue,
            format!(
                "no row of column {} has the {what} {}, and every other value counts as negative, so every {role} would be negative{first}",
                quoted(&column.column),
                missing.iter().map(|v| quoted(v)).collect::<Vec<_>>().join(" or "),
            ),
        )
        .for_field(if role == "label" { "label.positive" } else { "decision.positive" }));
    }
    Ok(missing
        .into_iter()
        .map(|v| {
            let text =
                format!("The {what} {} never appears in column {}{}", quoted(v), quoted(&column.column), hint(v));
            if text.ends_with('?') {
                text
            } else {
                text + "."
            }
        })
        .collect())
}

/// One attribute's report, with its evidence, and the families of tests it used.
fn attribute_report(
    config: &AuditConfig,
    attribute: &AttributeTally,
    labelled: bool,
    weighted: bool,
    named_exists_somewhere: bool,
    suppressed: Option<&std::collections::BTreeSet<String>>,
) -> Result<(AttributeReport, Vec<evidence::Family>)> {
    let total = attribute.total();
    let basis = |t: &crate::tally::GroupTally| match (weighted, t.weighted) {
        (true, Some(w)) => w.to_f64(),
        _ => t.counts.to_f64(),
    };
    let population = basis(&total);
    let rates_of = |name: &str, t: &crate::tally::GroupTally| {
        let counts = basis(t);
        GroupRates {
            name: name.to_string(),
            rows: t.counts,
            rates: with_counts(&counts, rates(&counts, &population, labelled)),
            counts,
            fixed: t.weighted.filter(|_| weighted),
            population,
        }
    };
    let group_rates: Vec<GroupRates> = attribute.groups.iter().map(|(name, t)| rates_of(name, t)).collect();
    let by_stratum = attribute
        .strata
        .iter()
        .map(|(stratum, groups)| {
            let mut total = crate::tally::GroupTally::default();
            for t in groups.values() {
                total += *t;
            }
            let population = basis(&total);
            let rows = groups
                .iter()
                .map(|(name, t)| {
                    let counts = basis(t);
                    let metrics = with_counts(&counts, rates(&counts, &population, labelled));
                    StratumGroup { group: name.clone(), counts: CountsView::of(&t.counts, labelled), metrics }
                })
                .collect();
            (stratum.clone(), rows)
        })
        .collect();
    let overall_rates = rates_of("(overall)", &total);

    // A group pinned for this attribute must be one of its values.
    let pinned = config.references.contains_key(&attribute.column);
    let reference = disparity::resolve_reference(
        &config.reference_for(&attribute.column),
        &attribute.column,
        &group_rates,
        config.outcome,
        config.evidence.min_group,
        named_exists_somewhere && !pinned,
    );
    let reference = match reference {
        // Every group suppressed: the attribute stays, with nothing in it.
        Err(e) if config.publication && e.code == ErrorCode::DataNothingToCompare => ResolvedReference {
            rule: "overall",
            group: None,
            note: Some("every group is suppressed in the publication view".into()),
        },
        other => other?,
    };
    let named_rates = reference.group.as_ref().and_then(|name| group_rates.iter().find(|g| &g.name == name));
    let input = evidence::AttributeInput {
        tally: attribute,
        comparator: reference.group.as_deref(),
        all_pairs: reference.rule == "most_favoured",
        weighted,
        detectable_gaps: true,
    };
    let lines = evidence::Lines {
        direction: config.outcome,
        impact_ratio: config.four_fifths_threshold,
        harm_ratio: config.harm_ratio_threshold,
        practical_ratio: config.practical_ratio,
    };
    let (found, families) = evidence::build_attribute(&input, &lines, &config.evidence);
    // Without a named group, each group is compared with everyone else.
    let (mut comparable_weight, mut comparable_rows) = (Counts::<f64>::default(), Counts::<u64>::default());
    for g in group_rates.iter().filter(|g| g.comparable()) {
        comparable_weight += g.counts;
        comparable_rows += g.rows;
    }
    let rest_of = |r: &GroupRates| {
        // "(missing)" is compared with all the comparable groups.
        let (counts, rows) = if r.comparable() {
            (comparable_weight.without(&r.counts), comparable_rows.without(&r.rows))
        } else {
            (comparable_weight, comparable_rows)
        };
        GroupRates {
            name: "(everyone else)".into(),
            rows,
            rates: with_counts(&counts, rates(&counts, &population, labelled)),
            counts,
            // Only the four-fifths block judges exactly, and it works out everyone else itself.
            fixed: None,
            population,
        }
    };

    let named_columns =
        if attribute.columns.is_empty() { vec![attribute.column.clone()] } else { attribute.columns.clone() };
    // `compare` is false only for the overall row, which is the reference when the rule is "overall".
    let group_report = |name: &str,
                        t: &crate::tally::GroupTally,
                        r: &GroupRates,
                        compare: bool,
                        evidence: Option<evidence::GroupEvidence>| {
        let is_reference = if compare { reference.group.as_deref() == Some(name) } else { reference.group.is_none() };
        GroupReport {
            group: name.to_string(),
            label: spoken_name(name, &named_columns, &config.bins),
            below_min_cell: compare && t.counts.n < config.min_cell,
            is_reference,
            is_missing: is_missing_group(name),
            counts: CountsView::of(&t.counts, labelled),
            weighted_counts: t.weighted.filter(|_| weighted).map(|w| CountsView::of(&w.to_f64(), labelled)),
            metrics: r.rates.clone(),
            disparity: (compare && !is_reference).then(|| match named_rates {
                Some(reference) => disparity::disparity(r, reference),
                None => disparity::disparity(r, &rest_of(r)),
            }),
            evidence,
        }
    };
    let groups = attribute
        .groups
        .iter()
        .zip(&group_rates)
        .zip(found.groups)
        .map(|(((name, t), r), e)| group_report(name, t, r, true, Some(e)))
        .collect();
    let columns = named_columns.clone();
    let report = AttributeReport {
        suppressed_groups: Vec::new(),
        empty_cells: (columns.len() > 1).then(|| empty_cells(attribute.groups.keys(), columns.len(), suppressed)),
        columns,
        column: attribute.column.clone(),
        overall: group_report("(overall)", &total, &overall_rates, false, None),
        summary: disparity::summary(&group_rates, &overall_rates, config.evidence.min_group),
        four_fifths: disparity::four_fifths(
            &group_rates,
            reference.group.as_deref(),
            &comparable_weight,
            config.outcome,
            config.four_fifths_threshold,
            config.harm_ratio_threshold,
        ),
        reference,
        groups,
        chi_squared: found.chi_squared,
        stratified: found.stratified,
        by_stratum,
        indices: indices(config, attribute, labelled),
        scores: (!attribute.scores.is_empty()).then(|| score_report(config, attribute)),
    };
    Ok((report, families))
}

/// AIF360 indices from the counts (row counts, like the evidence). AIF360
/// treats the positive decision as the favourable one; for a harmful
/// decision the favourable outcome is not being selected, so the counts are
/// complemented (tp ↔ tn, fp ↔ fn, selected ↔ not selected).
fn indices(config: &AuditConfig, attribute: &AttributeTally, labelled: bool) -> Indices {
    let harmful = config.outcome == Direction::Harmful;
    let favourable = |c: Counts<u64>| {
        if harmful {
            Counts { n: c.n, selected: c.n - c.selected, tp: c.tn, fp: c.fn_, tn: c.tp, fn_: c.fp }
        } else {
            c
        }
    };
    let confusion: Vec<inequality::GroupConfusion> = attribute
        .groups
        .iter()
        .map(|(name, t)| {
            let c = favourable(t.counts);
            inequality::GroupConfusion::new(name.clone(), c.tp, c.fp, c.tn, c.fn_)
        })
        .collect();
    let selection = |name: &str, c: &Counts<u64>| {
        let c = favourable(*c);
        inequality::GroupSelection::new(name.to_string(), c.selected, c.n)
    };
    let comparable: Vec<inequality::GroupSelection> = attribute
        .groups
        .iter()
        .filter(|(name, _)| !is_missing_group(name))
        .map(|(name, t)| selection(name, &t.counts))
        .collect();
    let strata = (!attribute.strata.is_empty()).then(|| {
        let cells: Vec<inequality::StratumGroupSelection> = attribute
            .strata
            .iter()
            .flat_map(|(stratum, groups)| {
                groups.iter().filter(|(name, _)| !is_missing_group(name)).map(move |(name, t)| {
                    let c = favourable(t.counts);
                    inequality::StratumGroupSelection::new(stratum.clone(), name.clone(), c.selected, c.n)
                })
            })
            .collect();
        evidence::Outcome::from(inequality::conditional_demographic_disparity(&cells))
    });
    Indices {
        generalized_entropy: labelled.then(|| {
            evidence::Outcome::from(inequality::generalized_entropy_decomposition(&confusion, config.entropy_alpha))
        }),
        theil_index: labelled.then(|| evidence::Outcome::from(inequality::theil_index(&confusion))),
        coefficient_of_variation: labelled
            .then(|| evidence::Outcome::from(inequality::coefficient_of_variation(&confusion))),
        differential_fairness: evidence::Outcome::from(inequality::smoothed_empirical_differential_fairness(
            &comparable,
            config.edf_concentration,
        )),
        demographic_disparity: evidence::Outcome::from(inequality::demographic_disparity(&comparable)),
        conditional_demographic_disparity: strata,
    }
}

/// At most `keep` points, evenly spaced, always with the first and last.
fn thin<T: Clone>(points: Vec<T>, keep: usize) -> Vec<T> {
    if points.len() <= keep || keep < 2 {
        return points;
    }
    let last = points.len() - 1;
    (0..keep).filter_map(|i| points.get(i * last / (keep - 1)).cloned()).collect()
}

fn score_report(config: &AuditConfig, attribute: &AttributeTally) -> ScoreReport {
    let bands = scores::score_bands(&attribute.scores.values().collect::<Vec<_>>());
    let groups = attribute
        .scores
        .iter()
        .map(|(name, h)| {
            let roc = scores::roc_curve(h);
            GroupScores {
                group: name.clone(),
                rows: h.rows(),
                mean_score: evidence::Outcome::from(scores::mean_score(h)),
                auc: evidence::Outcome::from(scores::auc(h)),
                auc_interval: evidence::Outcome::from(scores::auc_interval(h, config.evidence.confidence)),
                distribution: scores::band_counts(h, &bands),
                brier_score: evidence::Outcome::from(scores::brier_score(h)),
                calibration: evidence::Outcome::from(scores::calibration(h, config.calibration).map(|mut bins| {
                    for bin in &mut bins {
                        bin.observed_interval = evidence::rate_interval(&config.evidence, bin.positives, bin.n);
                    }
                    bins
                })),
                roc_points: roc.as_ref().map_or(0, Vec::len),
                roc: evidence::Outcome::from(roc.map(|points| thin(points, 201))),
            }
        })
        .collect();
    // Strategies and LL144 compare the groups that share a characteristic.
    let comparable: Vec<(&str, &scores::ScoreHistogram)> =
        attribute.scores.iter().filter(|(name, _)| !is_missing_group(name)).map(|(n, h)| (n.as_str(), h)).collect();
    let sweeps: std::result::Result<Vec<(&str, scores::ThresholdSweep)>, scores::Undefined> =
        comparable.iter().map(|(n, h)| scores::ThresholdSweep::build(h).map(|s| (*n, s))).collect();
    let (single_threshold, group_thresholds) = match &sweeps {
        Ok(sweeps) => {
            let refs: Vec<(&str, &scores::ThresholdSweep)> = sweeps.iter().map(|(n, s)| (*n, s)).collect();
            what_ifs(&refs, config.cost_ratio, config.what_if_tolerance)
        }
        Err(u) => (evidence::Outcome::Undefined { undefined: u.reason.clone() }, Default::default()),
    };
    ScoreReport {
        groups,
        bands,
        single_threshold,
        group_thresholds,
        scoring_rate: evidence::Outcome::from(scores::scoring_rate(&comparable)),
    }
}

/// One threshold for everyone at the lowest cost, and per-group thresholds
/// for each criterion: the report's what-ifs, and the explorer's.
pub(crate) type WhatIfs = (
    evidence::Outcome<scores::SingleThreshold>,
    std::collections::BTreeMap<&'static str, evidence::Outcome<scores::GroupThresholds>>,
);

/// [`WhatIfs`] for these groups at `cost_ratio`, the per-group ones with the
/// smallest gap or, given a `tolerance`, a gap at most that.
pub(crate) fn what_ifs(groups: &[(&str, &scores::ThresholdSweep)], cost_ratio: f64, tolerance: Option<f64>) -> WhatIfs {
    use scores::FairnessCriterion as C;
    let criteria = [
        ("demographic_parity", C::DemographicParity),
        ("equal_opportunity", C::EqualOpportunity),
        ("equal_accuracy", C::EqualAccuracy),
        ("equalized_odds", C::EqualizedOdds),
    ];
    let per_group = criteria
        .into_iter()
        .map(|(key, c)| {
            let chosen = match tolerance {
                Some(t) => scores::group_thresholds_within(groups, c, cost_ratio, t),
                None => scores::group_thresholds(groups, c, cost_ratio),
            };
            (key, evidence::Outcome::from(chosen))
        })
        .collect();
    (evidence::Outcome::from(scores::single_threshold_min_cost(groups, cost_ratio)), per_group)
}

/// The combinations of the values seen in each part that have no rows. In
/// the publication view a `suppressed` cell has rows, so it is not listed.
fn empty_cells<'a>(
    groups: impl Iterator<Item = &'a String> + Clone,
    parts: usize,
    suppressed: Option<&std::collections::BTreeSet<String>>,
) -> EmptyCells {
    const LISTED: usize = 1000;
    let seen: std::collections::BTreeSet<Vec<String>> = groups.map(|g| crate::tally::names::split_parts(g)).collect();
    let mut values: Vec<std::collections::BTreeSet<String>> = vec![Default::default(); parts];
    for combo in &seen {
        for (i, v) in combo.iter().enumerate().take(parts) {
            values[i].insert(v.clone());
        }
    }
    let values: Vec<Vec<String>> = values.into_iter().map(|s| s.into_iter().collect()).collect();
    // Every observed combination lies in the product, so the count is exact
    // without visiting it; the listing visits at most a million combinations.
    let total = values.iter().try_fold(1usize, |acc, v| acc.checked_mul(v.len())).unwrap_or(usize::MAX);
    let hidden: std::collections::BTreeSet<Vec<String>> = suppressed
        .into_iter()
        .flatten()
        .map(|g| crate::tally::names::split_parts(g))
        .filter(|combo| combo.iter().zip(&values).all(|(v, set)| set.binary_search(v).is_ok()))
        .collect();
    let count = total.saturating_sub(seen.len() + hidden.len());
    let mut cells = Vec::new();
    let mut index = vec![0usize; parts];
    for _ in 0..total.min(1_000_000) {
        if cells.len() == LISTED.min(count) {
            break;
        }
        let combo: Vec<String> = index.iter().enumerate().map(|(i, &k)| values[i][k].clone()).collect();
        if !seen.contains(&combo) && !hidden.contains(&combo) {
            cells.push(crate::tally::names::join_parts(combo.iter().map(String::as_str)));
        }
        // Next combination, like an odometer.
        for i in (0..parts).rev() {
            index[i] += 1;
            if index[i] < values[i].len() {
                break;
            }
            index[i] = 0;
        }
    }
    EmptyCells { count, cells }
}

/// A group's name as a reader says it: parts joined by " × ", and a part
/// from a binned column spoken ("25 to under 35" for "[25, 35)").
fn spoken_name(
    name: &str,
    columns: &[String],
    bins: &std::collections::BTreeMap<String, crate::config::Binning>,
) -> String {
    // Only an intersection's name is its parts joined with `|`; one column's value is as written.
    let parts = if columns.len() > 1 { crate::tally::names::split_parts(name) } else { vec![name.to_string()] };
    let column_of = |i: usize| if columns.len() > 1 { columns.get(i) } else { columns.first() };
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| match column_of(i).filter(|c| bins.contains_key(*c)) {
            Some(_) => crate::binning::spoken(part).unwrap_or_else(|| part.clone()),
            None => part.clone(),
        })
        .collect::<Vec<_>>()
        .join(" × ")
}

/// Puts `n` and `selected` at the front of the metrics, as the report lists them.
fn with_counts(c: &Counts<f64>, rest: ValueMap) -> ValueMap {
    let mut all = vec![("n", Value::Defined(c.n)), ("selected", Value::Defined(c.selected))];
    all.extend(rest.0);
    ValueMap(all)
}
