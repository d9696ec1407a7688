//! What the user asks for: which columns, which values count as positive,
//! whether the positive decision helps or harms, and what to compare against.
//! The same structure is read from CLI flags, from a JS object in the wasm
//! API, and echoed into every report.

pub use crate::input::dates::{DateOrder, PeriodUnit};
use serde::{Deserialize, Serialize};

pub mod sql;
mod validate;

/// The largest bin count `scores::calibration` accepts.
pub const MAX_CALIBRATION_BINS: usize = 1_000_000;

/// The largest cost ratio accepted (2^64). Any ratio above 2^53 already makes
/// one false positive outweigh every possible number of false negatives (a
/// histogram holds at most 2^53 rows), so nothing is lost; the bound keeps the
/// reported costs finite.
pub const MAX_COST_RATIO: f64 = 18_446_744_073_709_551_616.0;

/// How to cut [0, 1] into calibration bins (scikit-learn's `strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationBins {
    /// `k` equal-width bins on [0, 1]: edges `numpy.linspace(0, 1, k + 1)`.
    Uniform(usize),
    /// `k` bins with edges at the scores' percentiles `0, 100/k, ..., 100`
    /// (`numpy.percentile`, linear interpolation); tied scores can make edges
    /// coincide, leaving bins empty.
    Quantile(usize),
}

/// What to audit and how: the columns, how to read them, what to compare with
/// and the evidence settings. Given as CLI flags, a config file or a JavaScript
/// object, and echoed in every report with each default filled in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Protected-attribute columns; each is audited on its own.
    pub groups: Vec<String>,
    /// The decision (or prediction) column and its positive values.
    pub decision: OutcomeColumn,
    /// Combinations of 2 or 3 columns audited as one attribute, whose groups
    /// are the combined values joined with `|` (e.g. `Black|Female`).
    #[serde(default)]
    pub intersections: Vec<Vec<String>>,
    /// Numeric attributes shown as labelled bins, by column name.
    #[serde(default)]
    pub bins: std::collections::BTreeMap<String, Binning>,
    /// Groups with fewer rows than this are marked `below_min_cell`, and the
    /// publication view suppresses them.
    #[serde(default = "default_min_cell")]
    pub min_cell: u64,
    /// Build the publication view: small groups, groups where all or none of
    /// a small group got the decision, and every group from which one of them
    /// could be worked out are left out, and everything is computed without
    /// them (docs/metrics.md, "Publication view").
    #[serde(default)]
    pub publication: bool,
    /// The true outcome, when known; enables error-rate metrics.
    #[serde(default)]
    pub label: Option<OutcomeColumn>,
    /// A column of non-negative survey or design weights: rates are
    /// weighted, and intervals and tests use each group's effective size (Kish).
    #[serde(default)]
    pub weight: Option<String>,
    /// A column of frequency counts, for a table of counts (a database's
    /// `GROUP BY`): each row stands for that many identical cases, and every
    /// figure equals the audit of the rows written out one per case.
    #[serde(default)]
    pub count: Option<String>,
    /// A numeric score column (e.g. a risk score): adds ROC/AUC, calibration,
    /// Brier score, a threshold sweep, what-if thresholds and the LL144 rate.
    #[serde(default)]
    pub score: Option<String>,
    /// For the what-if thresholds: the cost of a false positive relative to
    /// a false negative.
    #[serde(default = "default_cost_ratio")]
    pub cost_ratio: f64,
    /// For the per-group what-if thresholds: the gap allowed between the
    /// groups' rates (a rate, 0.02 for 2 points), met at the lowest cost;
    /// absent, the smallest gap the data allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_if_tolerance: Option<f64>,
    /// Calibration bins for the score: `{"uniform": k}` (equal width) or
    /// `{"quantile": k}` (equal counts), as scikit-learn's calibration_curve.
    #[serde(default = "default_calibration")]
    pub calibration: CalibrationBins,
    /// Whether a positive decision helps or harms the person.
    #[serde(default)]
    pub outcome: Direction,
    /// What each group is compared with: the largest group (the default), the
    /// most favoured, everyone else, or a named group.
    #[serde(default)]
    pub reference: Reference,
    /// A comparison group for one attribute, overriding `reference` there:
    /// the attribute (a column, or an intersection's columns joined with `|`)
    /// → the group's name. Monitoring pins the review's comparison groups so.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub references: std::collections::BTreeMap<String, String>,
    /// Impact ratios below this are flagged (the four-fifths rule: 0.8).
    #[serde(default = "default_four_fifths")]
    pub four_fifths_threshold: f64,
    /// For a harmful decision: a group given it more than this many times as
    /// often as the comparison group is flagged (1.25 = 1 / 0.8).
    #[serde(default = "default_harm_ratio")]
    pub harm_ratio_threshold: f64,
    /// The practical floor: a significant gap within the thresholds is a
    /// "gap to examine" only when the impact ratio is below this (or, for a
    /// harmful decision, the harm ratio above its inverse). It keeps a tiny
    /// gap in a huge file from being raised.
    #[serde(default = "default_practical_ratio")]
    pub practical_ratio: f64,
    /// Field delimiter; detected from the file when absent.
    #[serde(default)]
    pub delimiter: Option<char>,
    /// For a spreadsheet: the sheet to read (the first when absent). The
    /// report names the sheet it read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// For a spreadsheet: the row of the column names, 1 for the first; rows
    /// above it (a title, say) are skipped, and so are blank rows.
    #[serde(default = "default_header_row", skip_serializing_if = "is_first_row")]
    pub header_row: u32,
    /// A column of strata (site, month, region): tallies are also kept per
    /// stratum, for the Cochran–Mantel–Haenszel and Breslow–Day tests.
    #[serde(default)]
    pub strata: Option<String>,
    /// A column saying when each decision was made: every group's figures
    /// are also given per period, with trend and change tests.
    #[serde(default)]
    pub period: Option<PeriodColumn>,
    /// How uncertainty and significance are reported.
    #[serde(default)]
    pub evidence: EvidenceOptions,
    /// The α of the generalized entropy index (2: half the squared
    /// coefficient of variation; 1: Theil).
    #[serde(default = "default_entropy_alpha")]
    pub entropy_alpha: f64,
    /// The concentration (smoothing) of empirical differential fairness.
    #[serde(default = "default_edf_concentration")]
    pub edf_concentration: f64,
    /// Refuse a protected attribute with more distinct values than this: it
    /// is almost certainly an identifier, and tallies must stay small.
    #[serde(default = "default_max_groups")]
    pub max_groups: usize,
}

/// Settings for intervals, tests and verdicts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EvidenceOptions {
    /// Two-sided confidence level for every interval (and 1 − level is the
    /// significance level of every test).
    pub confidence: f64,
    /// Interval for a single rate.
    pub interval: IntervalMethod,
    /// Groups smaller than this get the verdict "insufficient data".
    pub min_group: u64,
    /// Multiple-comparison adjustment of p-values.
    pub adjust: Adjustment,
    /// Yates's continuity correction in the 2-group chi-squared test.
    pub yates: bool,
    /// Power for the smallest detectable difference.
    pub power: f64,
}

impl Default for EvidenceOptions {
    fn default() -> Self {
        EvidenceOptions {
            confidence: 0.95,
            interval: IntervalMethod::Wilson,
            min_group: 30,
            adjust: Adjustment::Holm,
            yates: false,
            power: 0.8,
        }
    }
}

/// How a single rate's confidence interval is computed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Wilson score interval.
    #[default]
    Wilson,
    /// Clopper–Pearson exact interval.
    ClopperPearson,
}

/// How the p-values of one family of tests are adjusted for multiple
/// comparisons.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Adjustment {
    /// Holm's step-down (controls the family-wise error rate).
    #[default]
    Holm,
    /// Benjamini–Hochberg (controls the false discovery rate).
    Bh,
    /// Raw p-values only.
    None,
}

impl IntervalMethod {
    /// Every method, in the config schema's order.
    pub const ALL: [IntervalMethod; 2] = [IntervalMethod::Wilson, IntervalMethod::ClopperPearson];
}

impl Adjustment {
    /// Every adjustment, in the config schema's order.
    pub const ALL: [Adjustment; 3] = [Adjustment::Holm, Adjustment::Bh, Adjustment::None];
}

impl Direction {
    /// Both directions, in the config schema's order.
    pub const ALL: [Direction; 2] = [Direction::Beneficial, Direction::Harmful];
}

/// The choices a form offers for the config's enumerated settings, so that a
/// surface lists the engine's values instead of a copy of them.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ConfigOptions {
    /// Every interval method.
    pub interval: Vec<IntervalMethod>,
    /// Every multiple-comparison adjustment.
    pub adjust: Vec<Adjustment>,
    /// Both directions of the decision.
    pub outcome: Vec<Direction>,
    /// Every period unit.
    pub period_unit: Vec<PeriodUnit>,
    /// Both date orders.
    pub date_order: Vec<DateOrder>,
}

/// Every value of each enumerated setting.
pub fn options() -> ConfigOptions {
    ConfigOptions {
        interval: IntervalMethod::ALL.to_vec(),
        adjust: Adjustment::ALL.to_vec(),
        outcome: Direction::ALL.to_vec(),
        period_unit: PeriodUnit::ALL.to_vec(),
        date_order: DateOrder::ALL.to_vec(),
    }
}

fn default_four_fifths() -> f64 {
    0.8
}

fn default_harm_ratio() -> f64 {
    1.25
}

fn default_practical_ratio() -> f64 {
    0.9
}

fn default_calibration() -> CalibrationBins {
    CalibrationBins::Uniform(10)
}

fn default_cost_ratio() -> f64 {
    1.0
}

fn default_entropy_alpha() -> f64 {
    2.0
}

fn default_edf_concentration() -> f64 {
    1.0
}

fn default_min_cell() -> u64 {
    10
}

fn default_header_row() -> u32 {
    1
}

fn is_first_row(row: &u32) -> bool {
    *row == 1
}

fn default_max_groups() -> usize {
    10_000
}

/// How a numeric attribute is grouped.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Binning {
    /// Cut points in increasing order: bins `< e1`, `[e1, e2)`, …, `≥ ek`.
    Edges(Vec<f64>),
    /// About equal-sized bins: the i-th bin ends with the smallest value that
    /// has at least i·N/k rows at or below it (ties are never split).
    Quantiles(usize),
}

/// Formats a cut point as the shortest decimal that reads back as the same
/// number, without a trailing `.0` (25, 2.5, 0.125).
pub fn edge_text(v: f64) -> String {
    let text = format!("{v}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_string)
}

/// The label of the bin holding `v` for these increasing cut points:
/// `< 25`, `[25, 35)` or `≥ 55`.
pub fn bin_label(v: f64, edges: &[f64]) -> String {
    let i = edges.partition_point(|&e| e <= v);
    match (i, edges.len()) {
        (_, 0) => "all values".to_string(),
        (0, _) => format!("< {}", edge_text(edges[0])),
        (i, n) if i == n => format!("≥ {}", edge_text(edges[n - 1])),
        (i, _) => format!("[{}, {})", edge_text(edges[i - 1]), edge_text(edges[i])),
    }
}

/// Every bin's label for these increasing cut points, lowest first: a value
/// below the first edge, then each edge, names every bin.
pub fn bin_labels(edges: &[f64]) -> Vec<String> {
    let Some(&first) = edges.first() else { return vec![bin_label(0.0, edges)] };
    std::iter::once(first - first.abs().max(1.0)).chain(edges.iter().copied()).map(|v| bin_label(v, edges)).collect()
}

/// The column of dates (or period names) that splits the decisions into periods.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodColumn {
    /// The column's name, exactly as in the header.
    pub column: String,
    /// Month, quarter or year of a date, or the text as given.
    #[serde(default)]
    pub unit: PeriodUnit,
    /// For dates with the year last (`03/04/2025`): day or month first.
    #[serde(default)]
    pub date_order: DateOrder,
    /// The period every later one is compared with in the change tests; the
    /// first period when absent.
    #[serde(default)]
    pub baseline: Option<String>,
}

/// A column read as a binary outcome.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeColumn {
    /// The column's name, exactly as in the header (case-sensitive; spaces
    /// around a header cell are ignored).
    pub column: String,
    /// Values that count as positive. Numbers compare numerically ("1" = "1.0").
    #[serde(default)]
    pub positive: Vec<String>,
    /// Instead of `positive`: a numeric column is positive when `value >= threshold`.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Values that count as negative, besides zero, false, no, n, f, negative, neg.
    #[serde(default)]
    pub negative: Vec<String>,
    /// Treat every non-missing value that is not positive as negative.
    #[serde(default)]
    pub rest_negative: bool,
}

/// Whether the positive decision helps or harms the person: this decides which
/// outcome the four-fifths check and the verdicts treat as beneficial.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The positive decision helps the person (hired, approved, housed).
    #[default]
    Beneficial,
    /// The positive decision harms the person (flagged, "high risk", refused).
    Harmful,
}

/// Which group the others are compared with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// The group with the most rows (the largest sum of weights when weighted).
    #[default]
    Largest,
    /// The group with the most favourable selection rate (highest when the
    /// decision is beneficial, lowest when harmful).
    MostFavoured,
    /// Everyone else: each group against the rest of the population
    /// (`rest` is accepted as another name).
    #[serde(alias = "rest")]
    Overall,
    /// A named group (for several attributes, the name is looked up in each).
    Group(String),
}

impl Reference {
    /// Parses the CLI form: `largest`, `most-favoured`, `overall`, a group
    /// name, or `group:NAME` for a group whose name is one of those words.
    pub fn parse(text: &str) -> Reference {
        match text {
            "largest" => Reference::Largest,
            "most-favoured" | "most-favored" | "most_favoured" => Reference::MostFavoured,
            "overall" | "rest" => Reference::Overall,
            other => Reference::Group(other.strip_prefix("group:").unwrap_or(other).to_string()),
        }
    }
}

impl AuditConfig {
    /// Every audited attribute as its list of columns: each group column on
    /// its own, then each intersection.
    pub fn attributes(&self) -> Vec<Vec<String>> {
        self.groups.iter().map(|g| vec![g.clone()]).chain(self.intersections.iter().cloned()).collect()
    }

    /// What an attribute's groups are compared with: its own group if
    /// `references` names one, else `reference`.
    pub fn reference_for(&self, attribute: &str) -> Reference {
        match self.references.get(attribute) {
            Some(group) => Reference::Group(group.clone()),
            None => self.reference.clone(),
        }
    }

    /// A config with defaults for everything but the required columns.
    pub fn new(groups: Vec<String>, decision: OutcomeColumn) -> Self {
        AuditConfig {
            groups,
            decision,
            intersections: Vec::new(),
            bins: Default::default(),
            min_cell: default_min_cell(),
            publication: false,
            label: None,
            weight: None,
            count: None,
            score: None,
            cost_ratio: default_cost_ratio(),
            what_if_tolerance: None,
            calibration: default_calibration(),
            outcome: Direction::default(),
            reference: Reference::default(),
            references: Default::default(),
            four_fifths_threshold: default_four_fifths(),
            harm_ratio_threshold: default_harm_ratio(),
            practical_ratio: default_practical_ratio(),
            delimiter: None,
            sheet: None,
            header_row: default_header_row(),
            strata: None,
            period: None,
            evidence: EvidenceOptions::default(),
            entropy_alpha: default_entropy_alpha(),
            edf_concentration: default_edf_concentration(),
            max_groups: default_max_groups(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tally::outcome::{OutcomeRule, Reading};

    fn column(positive: &[&str]) -> OutcomeColumn {
        OutcomeColumn {
            column: "d".into(),
            positive: positive.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn reads_values_numbers_and_missing() {
        let rule = OutcomeRule::new(&column(&["Medium", "High", "1"]));
        assert_eq!(rule.read(b" High "), Reading::Positive);
        assert_eq!(rule.read(b"1.0"), Reading::Positive);
        assert_eq!(rule.read(b"0"), Reading::Negative);
        assert_eq!(rule.read(b"No"), Reading::Negative);
        assert_eq!(rule.read(b"Low"), Reading::Unrecognised);
        assert_eq!(rule.read(b"high"), Reading::Unrecognised);
        for missing in [&b""[..], b"NA", b"n/a", b" NULL ", b"NaN"] {
            assert_eq!(rule.read(missing), Reading::Missing);
        }
        let mut with_low = column(&["Medium", "High"]);
        with_low.negative = vec!["Low".into()];
        assert_eq!(OutcomeRule::new(&with_low).read(b"Low"), Reading::Negative);
        with_low.negative.clear();
        with_low.rest_negative = true;
        assert_eq!(OutcomeRule::new(&with_low).read(b"anything"), Reading::Negative);
    }

    #[test]
    fn threshold_rule() {
        let rule = OutcomeRule::new(&OutcomeColumn { column: "s".into(), threshold: Some(5.0), ..Default::default() });
        assert_eq!(rule.read(b"5"), Reading::Positive);
        assert_eq!(rule.read(b"4.999"), Reading::Negative);
        assert_eq!(rule.read(b"5,5"), Reading::NotNumeric);
        assert_eq!(rule.read(b"inf"), Reading::NotNumeric);
        assert_eq!(rule.read(b"NA"), Reading::Missing);
    }

    #[test]
    fn validation_explains_itself() {
        let mut c = AuditConfig::new(vec!["race".into()], column(&[]));
        assert!(c.validate().unwrap_err().to_string().contains("positive"));
        c.decision = column(&["yes"]);
        assert!(c.validate().is_ok());
        c.four_fifths_threshold = 1.5;
        assert!(c.validate().is_err());
        c.four_fifths_threshold = 0.8;
        c.decision = column(&["NA"]);
        assert!(c.validate().unwrap_err().to_string().contains("missing"));
    }

    /// The option lists hold every value the config schema allows, in its order.
    #[test]
    fn options_list_every_value_of_the_schema() {
        let schema = crate::schema::config_schema();
        let values = |name: &str| -> Vec<serde_json::Value> {
            schema["$defs"][name]["oneOf"]
                .as_array()
                .map(|variants| variants.iter().map(|v| v["const"].clone()).collect())
                .or_else(|| schema["$defs"][name]["enum"].as_array().cloned())
                .unwrap_or_default()
        };
        let listed = serde_json::to_value(options()).expect("json");
        for (field, def) in [
            ("interval", "IntervalMethod"),
            ("adjust", "Adjustment"),
            ("outcome", "Direction"),
            ("period_unit", "PeriodUnit"),
            ("date_order", "DateOrder"),
        ] {
            let from_schema = values(def);
            assert!(!from_schema.is_empty(), "{def} in the schema");
            assert_eq!(listed[field].as_array().cloned().unwrap_or_default(), from_schema, "{field}");
        }
    }

    #[test]
    fn reference_words() {
        assert_eq!(Reference::parse("largest"), Reference::Largest);
        assert_eq!(Reference::parse("most-favoured"), Reference::MostFavoured);
        assert_eq!(Reference::parse("overall"), Reference::Overall);
        assert_eq!(Reference::parse("Caucasian"), Reference::Group("Caucasian".into()));
        assert_eq!(Reference::parse("group:overall"), Reference::Group("overall".into()));
    }
}
