//! Tallies → one serde `Report`: the JSON that the CLI, the wasm API and the
//! page all emit. Field meanings are documented in `docs/report.md`.

use crate::config::{AuditConfig, Direction, Reference, MISSING_GROUP};
use crate::disparity::{self, Disparity, FourFifths, GroupRates, ResolvedReference, Summary};
use crate::error::{Error, Result};
use crate::evidence;
use crate::metrics::{rates, Value, ValueMap, NO_LABEL};
use crate::tally::{AttributeTally, Counts, Exclusion, TallySet};
use serde::Serialize;

/// Bumped when a field changes meaning or is removed; adding fields is not a
/// breaking change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub engine: Engine,
    pub config: AuditConfig,
    pub input: InputSummary,
    /// Assumptions and caveats a reader must see.
    pub notes: Vec<String>,
    /// Settings and multiple-comparison families of the statistical evidence.
    pub evidence: EvidenceSummary,
    pub attributes: Vec<AttributeReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceSummary {
    pub options: crate::config::EvidenceOptions,
    /// Which p-values were adjusted together, by which method.
    pub families: Vec<evidence::Family>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Engine {
    pub name: &'static str,
    pub version: &'static str,
}

pub const ENGINE: Engine = Engine { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") };

#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_excluded: u64,
    pub exclusions: Vec<ExclusionCount>,
    /// The delimiter used, as a one-character string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    pub labelled: bool,
    /// SHA-256 of the file's bytes (lower-case hex), identifying exactly what
    /// was audited without keeping any of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// `weighted` when a weight column is used: then every rate, disparity
    /// and check is computed from sums of weights.
    pub basis: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExclusionCount {
    pub reason: Exclusion,
    pub description: &'static str,
    pub rows: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributeReport {
    pub column: String,
    pub reference: ResolvedReference,
    pub overall: GroupReport,
    pub groups: Vec<GroupReport>,
    pub summary: Summary,
    pub four_fifths: FourFifths,
    /// Chi-squared test of independence across the groups, per rate.
    pub chi_squared: std::collections::BTreeMap<&'static str, evidence::Outcome<crate::stats::ChiSquaredTest>>,
    /// With a strata column: each group against the reference, stratified.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub stratified: std::collections::BTreeMap<String, evidence::Stratified>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupReport {
    pub group: String,
    pub is_reference: bool,
    /// True for the "(missing)" group of rows with no value.
    pub is_missing: bool,
    /// Row counts (integers), whatever the basis.
    pub counts: CountsView<u64>,
    /// Sums of weights, when a weight column is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighted_counts: Option<CountsView<f64>>,
    /// n, selected and every rate, on the report's basis.
    pub metrics: ValueMap,
    /// Why a metric is null.
    pub undefined: std::collections::BTreeMap<String, String>,
    /// Against the reference group (absent for the reference itself and for
    /// the overall row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disparity: Option<Disparity>,
    /// Intervals, tests and the verdict (absent for the overall row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<evidence::GroupEvidence>,
}

/// Counts, without the confusion cells when there is no label.
#[derive(Debug, Clone, Serialize)]
pub struct CountsView<T> {
    pub n: T,
    pub selected: T,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub confusion: Option<Confusion<T>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Confusion<T> {
    pub tp: T,
    pub fp: T,
    pub tn: T,
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
    let labelled = config.label.is_some();
    let weighted = config.weight.is_some();
    if tallies.rows_read == 0 {
        return Err(Error::new("the file has a header but no data rows"));
    }
    if tallies.rows_read == tallies.rows_excluded() {
        let why: Vec<String> =
            tallies.excluded.iter().map(|(reason, rows)| format!("{rows} because {}", reason.describe())).collect();
        return Err(Error::new(format!(
            "all {} data rows were excluded ({}), so there is nothing to audit",
            tallies.rows_read,
            why.join("; ")
        )));
    }
    let mut notes = Vec::new();
    if config.outcome == Direction::Beneficial {
        notes.push(
            "The positive decision is treated as beneficial to the person. If it harms them (flagged, refused, \"high risk\"), set the outcome to harmful: the four-fifths check reads differently.".to_string(),
        );
    }
    if !labelled {
        notes.push(format!(
            "Error-rate metrics (base rate, TPR, FPR, PPV, accuracy and the like) are null: {NO_LABEL}."
        ));
    }
    let named_reference = match &config.reference {
        Reference::Group(name) => Some(name.as_str()),
        _ => None,
    };
    let named_exists_somewhere =
        named_reference.is_some_and(|name| tallies.attributes.iter().any(|a| a.groups.contains_key(name)));
    let mut attributes = tallies
        .attributes
        .iter()
        .map(|a| attribute_report(config, a, labelled, weighted, named_exists_somewhere))
        .collect::<Result<Vec<_>>>()?;
    let inputs: Vec<evidence::AttributeInput<'_>> = tallies
        .attributes
        .iter()
        .zip(&attributes)
        .map(|(tally, report)| evidence::AttributeInput {
            tally,
            reference: report.reference.group.as_deref(),
            most_favoured: report.four_fifths.most_favoured_group.as_deref(),
        })
        .collect();
    let built = evidence::build(&inputs, config.outcome, config.four_fifths_threshold, &config.evidence);
    for (report, found) in attributes.iter_mut().zip(built.attributes) {
        report.chi_squared = found.chi_squared;
        report.stratified = found.stratified;
        for (group, found) in report.groups.iter_mut().zip(found.groups) {
            group.evidence = Some(found);
        }
    }
    if weighted {
        notes.push("Intervals, tests and verdicts use row counts: the statistical methods need counts of people, not sums of weights.".into());
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
        },
        notes,
        evidence: EvidenceSummary { options: config.evidence.clone(), families: built.families },
        attributes,
    })
}

fn attribute_report(
    config: &AuditConfig,
    attribute: &AttributeTally,
    labelled: bool,
    weighted: bool,
    named_exists_somewhere: bool,
) -> Result<AttributeReport> {
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
            rates: with_counts(&counts, rates(&counts, &population, labelled)),
            counts,
            population,
        }
    };
    let group_rates: Vec<GroupRates> = attribute.groups.iter().map(|(name, t)| rates_of(name, t)).collect();
    let overall_rates = rates_of("(overall)", &total);

    let reference = disparity::resolve_reference(
        &config.reference,
        &attribute.column,
        &group_rates,
        config.outcome,
        named_exists_somewhere,
    )?;
    let reference_rates = match &reference.group {
        Some(name) => group_rates.iter().find(|g| &g.name == name).unwrap_or(&overall_rates),
        None => &overall_rates,
    };

    // `compare` is false only for the overall row, which is the reference when the rule is "overall".
    let group_report = |name: &str, t: &crate::tally::GroupTally, r: &GroupRates, compare: bool| {
        let is_reference = if compare { reference.group.as_deref() == Some(name) } else { reference.group.is_none() };
        GroupReport {
            group: name.to_string(),
            is_reference,
            is_missing: name == MISSING_GROUP,
            counts: CountsView::of(&t.counts, labelled),
            weighted_counts: t.weighted.filter(|_| weighted).map(|w| CountsView::of(&w.to_f64(), labelled)),
            undefined: r
                .rates
                .0
                .iter()
                .filter_map(|(k, v)| v.reason().filter(|r| *r != NO_LABEL).map(|why| (k.to_string(), why.to_string())))
                .collect(),
            metrics: r.rates.clone(),
            disparity: (compare && !is_reference).then(|| disparity::disparity(r, reference_rates)),
            evidence: None,
        }
    };
    let groups =
        attribute.groups.iter().zip(&group_rates).map(|((name, t), r)| group_report(name, t, r, true)).collect();
    Ok(AttributeReport {
        column: attribute.column.clone(),
        overall: group_report("(overall)", &total, &overall_rates, false),
        summary: disparity::summary(&group_rates, &overall_rates),
        four_fifths: disparity::four_fifths(&group_rates, config.outcome, config.four_fifths_threshold, |name| {
            // A group too small to judge cannot set the bar (unless none is big enough).
            let min = config.evidence.min_group;
            let big_enough = |t: &crate::tally::GroupTally| t.counts.n >= min;
            attribute.groups.get(name).is_some_and(big_enough)
                || !attribute.groups.iter().any(|(g, t)| g != MISSING_GROUP && big_enough(t))
        }),
        reference,
        groups,
        chi_squared: Default::default(),
        stratified: Default::default(),
    })
}

/// Puts `n` and `selected` at the front of the metrics, as the report lists them.
fn with_counts(c: &Counts<f64>, rest: ValueMap) -> ValueMap {
    let mut all = vec![("n", Value::Defined(c.n)), ("selected", Value::Defined(c.selected))];
    all.extend(rest.0);
    ValueMap(all)
}
