//! What the user asks for: which columns, which values count as positive,
//! whether the positive decision helps or harms, and what to compare against.
//! The same structure is read from CLI flags, from a JS object in the wasm
//! API, and echoed into every report.

use crate::error::{quoted, Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};

/// Cells that mean "no value". Matched after trimming, ignoring ASCII case.
pub const MISSING_TOKENS: [&str; 5] = ["", "na", "n/a", "null", "nan"];

/// Name shown for the group of rows whose protected attribute is missing.
pub const MISSING_GROUP: &str = "(missing)";

/// Values recognised as negative without being listed (ASCII case ignored),
/// besides any number equal to zero.
pub const DEFAULT_NEGATIVE_TOKENS: [&str; 6] = ["false", "no", "n", "f", "negative", "neg"];

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
    /// The true outcome, when known; enables error-rate metrics.
    #[serde(default)]
    pub label: Option<OutcomeColumn>,
    /// A column of non-negative case weights.
    #[serde(default)]
    pub weight: Option<String>,
    /// A numeric score column (e.g. a risk score): adds ROC/AUC, calibration,
    /// Brier score, a threshold sweep, what-if thresholds and the LL144 rate.
    #[serde(default)]
    pub score: Option<String>,
    /// For the what-if thresholds: the cost of a false positive relative to
    /// a false negative.
    #[serde(default = "default_cost_ratio")]
    pub cost_ratio: f64,
    /// Calibration bins for the score: `{"uniform": k}` (equal width) or
    /// `{"quantile": k}` (equal counts), as scikit-learn's calibration_curve.
    #[serde(default = "default_calibration")]
    pub calibration: crate::scores::CalibrationBins,
    /// Whether a positive decision helps or harms the person.
    #[serde(default)]
    pub outcome: Direction,
    #[serde(default)]
    pub reference: Reference,
    /// Impact ratios below this are flagged (the four-fifths rule: 0.8).
    #[serde(default = "default_four_fifths")]
    pub four_fifths_threshold: f64,
    /// Field delimiter; detected from the file when absent.
    #[serde(default)]
    pub delimiter: Option<char>,
    /// A column of strata (site, month, region): tallies are also kept per
    /// stratum, for the Cochran–Mantel–Haenszel and Breslow–Day tests.
    #[serde(default)]
    pub strata: Option<String>,
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

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntervalMethod {
    /// Wilson score interval.
    #[default]
    Wilson,
    /// Clopper–Pearson exact interval.
    ClopperPearson,
}

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

fn default_four_fifths() -> f64 {
    0.8
}

fn default_calibration() -> crate::scores::CalibrationBins {
    crate::scores::CalibrationBins::Uniform(10)
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

/// Whether a group name stands for rows with no value (or, in an
/// intersection, with no value in one of its columns).
pub fn is_missing_group(name: &str) -> bool {
    name == MISSING_GROUP || (name.contains('|') && split_parts(name).iter().any(|part| part == MISSING_GROUP))
}

/// Joins intersection parts with `|`, escaping `|` and `\` inside values.
pub fn join_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        for c in part.chars() {
            if c == '|' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Splits an intersection group name into its parts (undoing [`join_parts`]).
pub fn split_parts(name: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in name.chars() {
        match (escaped, c) {
            (false, '\\') => escaped = true,
            (false, '|') => parts.push(String::new()),
            (_, c) => {
                escaped = false;
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts
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

/// A column read as a binary outcome.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeColumn {
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
    /// The whole population.
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
            "overall" => Reference::Overall,
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

    /// A config with defaults for everything but the required columns.
    pub fn new(groups: Vec<String>, decision: OutcomeColumn) -> Self {
        AuditConfig {
            groups,
            decision,
            intersections: Vec::new(),
            bins: Default::default(),
            min_cell: default_min_cell(),
            label: None,
            weight: None,
            score: None,
            cost_ratio: default_cost_ratio(),
            calibration: default_calibration(),
            outcome: Direction::default(),
            reference: Reference::default(),
            four_fifths_threshold: default_four_fifths(),
            delimiter: None,
            strata: None,
            evidence: EvidenceOptions::default(),
            entropy_alpha: default_entropy_alpha(),
            edf_concentration: default_edf_concentration(),
            max_groups: default_max_groups(),
        }
    }

    /// Checks the config before any data is read: the first problem, if any.
    pub fn validate(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem with the config, each with its code and the field it is
    /// in, so a form can mark them all at once. Empty when the config is valid.
    pub fn problems(&self) -> Vec<Error> {
        let mut out = Vec::new();
        let mut problem = |code: ErrorCode, field: String, message: String| {
            out.push(Error::new(code, message).for_field(field));
        };
        if self.groups.is_empty() {
            problem(
                ErrorCode::ConfigMissing,
                "groups".into(),
                "name at least one protected-attribute (group) column".into(),
            );
        }
        for (i, g) in self.groups.iter().enumerate() {
            if self.groups[..i].contains(g) {
                problem(
                    ErrorCode::ConfigConflict,
                    format!("groups[{i}]"),
                    format!("group column {} is named twice", quoted(g)),
                );
            }
        }
        for (j, combo) in self.intersections.iter().enumerate() {
            if !(2..=3).contains(&combo.len()) {
                problem(
                    ErrorCode::ConfigOutOfRange,
                    format!("intersections[{j}]"),
                    format!("an intersection combines 2 or 3 columns, not {}", combo.len()),
                );
            }
            for (i, c) in combo.iter().enumerate() {
                if combo[..i].contains(c) {
                    problem(
                        ErrorCode::ConfigConflict,
                        format!("intersections[{j}][{i}]"),
                        format!("the intersection names column {} twice", quoted(c)),
                    );
                }
            }
        }
        for (column, binning) in &self.bins {
            let field = format!("bins.{column}");
            if !self.attributes().iter().flatten().any(|c| c == column) {
                problem(
                    ErrorCode::ConfigConflict,
                    field.clone(),
                    format!(
                        "bins are given for {}, which is not a group column or part of an intersection",
                        quoted(column)
                    ),
                );
            }
            match binning {
                Binning::Edges(e)
                    if e.is_empty() || !e.windows(2).all(|w| w[0] < w[1]) || !e.iter().all(|x| x.is_finite()) =>
                {
                    problem(
                        ErrorCode::ConfigOutOfRange,
                        format!("{field}.edges"),
                        format!("the bin edges for {} must be finite numbers in increasing order", quoted(column)),
                    );
                }
                Binning::Quantiles(k) if !(2..=100).contains(k) => {
                    problem(
                        ErrorCode::ConfigOutOfRange,
                        format!("{field}.quantiles"),
                        format!("quantile bins for {} must number from 2 to 100", quoted(column)),
                    );
                }
                _ => {}
            }
        }
        self.decision.problems("decision", &mut problem);
        if let Some(label) = &self.label {
            label.problems("label", &mut problem);
        }
        let t = self.four_fifths_threshold;
        if !(t > 0.0 && t <= 1.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "four_fifths_threshold".into(),
                format!("the four-fifths threshold must be more than 0 and at most 1 (e.g. 0.8), got {t}"),
            );
        }
        if let Some(d) = self.delimiter {
            if !d.is_ascii() || d == '"' || d == '\n' || d == '\r' {
                problem(
                    ErrorCode::ConfigOutOfRange,
                    "delimiter".into(),
                    format!(
                        "delimiter {} must be one ASCII character other than a quote or newline",
                        quoted(&d.to_string())
                    ),
                );
            }
        }
        let e = &self.evidence;
        if !(e.confidence > 0.5 && e.confidence < 1.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "evidence.confidence".into(),
                format!("the confidence level must be between 0.5 and 1 (e.g. 0.95), got {}", e.confidence),
            );
        }
        if !(e.power > 1.0 - e.confidence && e.power < 1.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "evidence.power".into(),
                format!(
                    "the power must be above the significance level ({}) and below 1 (e.g. 0.8), got {}",
                    1.0 - e.confidence,
                    e.power
                ),
            );
        }
        if let Some(s) = &self.strata {
            if self.groups.contains(s) {
                problem(
                    ErrorCode::ConfigConflict,
                    "strata".into(),
                    format!("{} cannot be both a group column and the strata column", quoted(s)),
                );
            }
        }
        let (crate::scores::CalibrationBins::Uniform(k) | crate::scores::CalibrationBins::Quantile(k)) =
            self.calibration;
        if !(1..=crate::scores::MAX_CALIBRATION_BINS).contains(&k) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "calibration".into(),
                format!("the number of calibration bins must be from 1 to {}", crate::scores::MAX_CALIBRATION_BINS),
            );
        }
        if !(self.cost_ratio.is_finite() && (0.0..=crate::scores::MAX_COST_RATIO).contains(&self.cost_ratio)) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "cost_ratio".into(),
                "the cost ratio must be 0 or more (e.g. 1: a false positive costs as much as a false negative)".into(),
            );
        }
        if !self.entropy_alpha.is_finite() {
            problem(
                ErrorCode::ConfigOutOfRange,
                "entropy_alpha".into(),
                "the generalized entropy α must be a finite number".into(),
            );
        }
        if !(self.edf_concentration.is_finite() && self.edf_concentration >= 0.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "edf_concentration".into(),
                "the differential fairness concentration must be 0 or more".into(),
            );
        }
        if self.max_groups == 0 {
            problem(ErrorCode::ConfigOutOfRange, "max_groups".into(), "max_groups must be at least 1".into());
        }
        out
    }
}

impl OutcomeColumn {
    fn problems(&self, role: &str, problem: &mut impl FnMut(ErrorCode, String, String)) {
        if self.column.is_empty() {
            problem(ErrorCode::ConfigMissing, format!("{role}.column"), format!("name the {role} column"));
        }
        match (self.positive.is_empty(), self.threshold) {
            (true, None) => problem(
                ErrorCode::ConfigMissing,
                format!("{role}.positive"),
                format!("say which {role} values are positive, or give a numeric threshold"),
            ),
            (false, Some(_)) => problem(
                ErrorCode::ConfigConflict,
                format!("{role}.threshold"),
                format!("give either positive values or a threshold for the {role} column, not both"),
            ),
            (_, Some(t)) if !t.is_finite() => problem(
                ErrorCode::ConfigOutOfRange,
                format!("{role}.threshold"),
                format!("the {role} threshold must be a finite number"),
            ),
            (_, Some(_)) if !self.negative.is_empty() || self.rest_negative => problem(
                ErrorCode::ConfigConflict,
                format!("{role}.negative"),
                format!(
                    "with a threshold every number below it is negative: do not also give negative values for the {role} column"
                ),
            ),
            _ => {
                for (i, p) in self.positive.iter().enumerate() {
                    if is_missing(p.as_bytes()) {
                        problem(
                            ErrorCode::ConfigConflict,
                            format!("{role}.positive[{i}]"),
                            format!("{} cannot be a positive {role} value: it means \"missing\"", quoted(p)),
                        );
                    }
                    let same = |n: &String| {
                        let (n, p) = (trim(n.as_bytes()), trim(p.as_bytes()));
                        n == p || parse_number(n).is_some_and(|v| parse_number(p) == Some(v))
                    };
                    if self.negative.iter().any(same) {
                        problem(
                            ErrorCode::ConfigConflict,
                            format!("{role}.positive[{i}]"),
                            format!("{} is listed as both positive and negative", quoted(p)),
                        );
                    }
                }
            }
        }
    }
}

/// Strips ASCII spaces and tabs around a cell.
pub fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !matches!(b, b' ' | b'\t')).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !matches!(b, b' ' | b'\t')).map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Whether a (trimmed) cell means "no value".
pub fn is_missing(trimmed: &[u8]) -> bool {
    trimmed.len() <= 4 && MISSING_TOKENS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(trimmed))
}

/// Parses a plain decimal number ("3", "-0.25", "1e-3"); `None` otherwise.
pub fn parse_number(trimmed: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(trimmed).ok()?;
    // Rust also accepts "inf" and "nan"; a data cell saying that is not a number we can use.
    let first = text.bytes().next()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// How one cell of a decision or label column reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Positive,
    Negative,
    Missing,
    /// Neither positive nor a recognised negative.
    Unrecognised,
    /// A threshold column holding something that is not a number.
    NotNumeric,
}

/// An [`OutcomeColumn`] compiled for fast matching on raw bytes.
#[derive(Debug, Clone)]
pub struct OutcomeRule {
    positive: Vec<Vec<u8>>,
    positive_numbers: Vec<f64>,
    negative: Vec<Vec<u8>>,
    negative_numbers: Vec<f64>,
    threshold: Option<f64>,
    rest_negative: bool,
}

impl OutcomeRule {
    pub fn new(column: &OutcomeColumn) -> Self {
        let trimmed = |v: &Vec<String>| v.iter().map(|s| trim(s.as_bytes()).to_vec()).collect::<Vec<_>>();
        let numbers = |v: &Vec<String>| v.iter().filter_map(|s| parse_number(trim(s.as_bytes()))).collect();
        OutcomeRule {
            positive: trimmed(&column.positive),
            positive_numbers: numbers(&column.positive),
            negative: trimmed(&column.negative),
            negative_numbers: numbers(&column.negative),
            threshold: column.threshold,
            rest_negative: column.rest_negative,
        }
    }

    pub fn read(&self, raw: &[u8]) -> Reading {
        let cell = trim(raw);
        if is_missing(cell) {
            return Reading::Missing;
        }
        if let Some(t) = self.threshold {
            return match parse_number(cell) {
                Some(v) if v >= t => Reading::Positive,
                Some(_) => Reading::Negative,
                None => Reading::NotNumeric,
            };
        }
        if self.positive.iter().any(|p| p == cell) {
            return Reading::Positive;
        }
        let number = parse_number(cell);
        if let Some(v) = number {
            if self.positive_numbers.contains(&v) {
                return Reading::Positive;
            }
        }
        if self.rest_negative
            || self.negative.iter().any(|n| n == cell)
            || number.is_some_and(|v| v == 0.0 || self.negative_numbers.contains(&v))
            || DEFAULT_NEGATIVE_TOKENS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(cell))
        {
            return Reading::Negative;
        }
        Reading::Unrecognised
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn reference_words() {
        assert_eq!(Reference::parse("largest"), Reference::Largest);
        assert_eq!(Reference::parse("most-favoured"), Reference::MostFavoured);
        assert_eq!(Reference::parse("overall"), Reference::Overall);
        assert_eq!(Reference::parse("Caucasian"), Reference::Group("Caucasian".into()));
        assert_eq!(Reference::parse("group:overall"), Reference::Group("overall".into()));
    }
}
