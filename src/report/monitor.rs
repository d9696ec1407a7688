//! A new file of decisions against the reviewed one (docs/metrics.md,
//! "Monitoring"): the review's settings carried over, per group the reviewed
//! figures beside the new ones with the change, its interval and test; the
//! groups that are new or have gone; and the board's alert rules checked.

use super::periods::{adjust, family, PeriodFamily};
use crate::config::AuditConfig;
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::evidence::{Outcome, RateInterval, Verdict};
use crate::metrics::Value;
use crate::report::Report;
use crate::stats::{self, Estimate};
use crate::tally::names::is_missing_group;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// Most monitoring rules a review may hold: a board's list, not a data set.
pub const MAX_RULES: usize = 50;

/// The figure a monitoring rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MonitorFigure {
    /// The engine's verdict: an alert when adverse impact is indicated for a
    /// group, a watch when it is possible.
    Verdict,
    /// A group's impact ratio (its rate of the beneficial outcome over the
    /// comparison group's): an alert when its range lies wholly below the
    /// threshold.
    ImpactRatio,
    /// For a harmful decision, how many times as often a group gets it as the
    /// comparison group: an alert when its range lies wholly above the threshold.
    HarmRatio,
    /// A group's change in selection rate since the review: an alert when the
    /// change's range lies wholly beyond the threshold, up or down.
    RateChange,
}

impl MonitorFigure {
    /// Every figure a rule can watch, for a form's choices.
    pub const ALL: [MonitorFigure; 4] =
        [MonitorFigure::Verdict, MonitorFigure::ImpactRatio, MonitorFigure::HarmRatio, MonitorFigure::RateChange];

    fn named(self) -> &'static str {
        match self {
            MonitorFigure::Verdict => "verdict",
            MonitorFigure::ImpactRatio => "impact ratio",
            MonitorFigure::HarmRatio => "harm ratio",
            MonitorFigure::RateChange => "change in selection rate since the review",
        }
    }
}

/// A line the board asked to be told about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MonitorRule {
    /// What is watched.
    pub figure: MonitorFigure,
    /// The characteristic's column (an intersection's joined with `|`);
    /// absent: every characteristic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// The line: a ratio for `impact_ratio` (e.g. 0.8) and `harm_ratio`
    /// (e.g. 1.25); for `rate_change` a proportion (0.05 is 5 percentage
    /// points). Not used by `verdict`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Who is told when it fires.
    #[serde(default)]
    pub notify: String,
}

/// The rule used when the review names none: the engine's own verdict, on
/// every characteristic.
pub fn default_rules() -> Vec<MonitorRule> {
    vec![MonitorRule { figure: MonitorFigure::Verdict, attribute: None, threshold: None, notify: String::new() }]
}

/// Where the baseline came from.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BaselineInfo {
    /// The review's identifier, when the baseline is a review file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_id: Option<String>,
    /// The name of the file the board reviewed, when the review file gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// SHA-256 of the reviewed file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Rows the reviewed audit used.
    pub rows: u64,
    /// The engine version that wrote the reviewed report.
    pub engine_version: String,
}

/// The board's reviewed audit, read from its review file or report.
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The settings the review ran with: the new file is audited with them.
    pub config: AuditConfig,
    /// The review's monitoring rules (none: the default rule is used).
    pub rules: Vec<MonitorRule>,
    /// Where it came from.
    pub info: BaselineInfo,
    report: Json,
}

fn field<'a>(x: &'a Json, path: &[&str]) -> Option<&'a Json> {
    path.iter().try_fold(x, |x, key| x.get(key))
}

fn not_a_review(why: &str) -> Error {
    Error::new(ErrorCode::ConfigInvalid, format!("the baseline is not a biasaudit review file or report: {why}"))
}

impl Baseline {
    /// Reads the review file the page exports (`{"format": "biasaudit-review", …}`,
    /// possibly wrapped as `{"review": …}`) or a JSON report of `biasaudit audit`.
    pub fn from_json(json: &Json) -> Result<Baseline> {
        let review = match json.get("review") {
            Some(inner) if inner.get("format").and_then(Json::as_str) == Some("biasaudit-review") => inner,
            _ => json,
        };
        let is_review = review.get("format").and_then(Json::as_str) == Some("biasaudit-review");
        let report = if is_review { review.get("report").filter(|r| !r.is_null()) } else { Some(json) };
        let Some(report) = report else {
            return Err(not_a_review("the review holds no results; check the data in the review first"));
        };
        if report.get("schema_version").and_then(Json::as_u64) != Some(3) {
            return Err(not_a_review("its report is not of schema version 3"));
        }
        let mut config: AuditConfig = serde_json::from_value(report.get("config").cloned().unwrap_or(Json::Null))
            .map_err(|e| not_a_review(&format!("its settings cannot be read ({e})")))?;
        pin_references(&mut config, report);
        let rules = match review.get("monitoring").and_then(|m| m.get("rules")) {
            Some(rules) if is_review => serde_json::from_value::<Vec<MonitorRule>>(rules.clone())
                .map_err(|e| not_a_review(&format!("its monitoring rules cannot be read ({e})")))?,
            _ => Vec::new(),
        };
        let text = |x: Option<&Json>| x.and_then(Json::as_str).map(str::to_string);
        let info = BaselineInfo {
            review_id: if is_review { text(review.get("id")) } else { None },
            file: if is_review { text(field(review, &["dataset", "name"])) } else { None },
            sha256: text(field(report, &["input", "sha256"])).or_else(|| {
                if is_review {
                    text(field(review, &["dataset", "sha256"]))
                } else {
                    None
                }
            }),
            rows: field(report, &["input", "rows_used"]).and_then(Json::as_u64).unwrap_or(0),
            engine_version: text(field(report, &["engine", "version"])).unwrap_or_default(),
        };
        Ok(Baseline { config, rules, info, report: report.clone() })
    }
}

/// The new file's groups are compared with the groups the review compared
/// them with, even where "the largest" or "the most favoured" group would now
/// be another.
fn pin_references(config: &mut AuditConfig, report: &Json) {
    let attributes = report.get("attributes").and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
    for a in attributes {
        let column = a.get("column").and_then(Json::as_str);
        let group = field(a, &["reference", "group"]).and_then(Json::as_str);
        if let (Some(column), Some(group)) = (column, group) {
            config.references.entry(column.to_string()).or_insert_with(|| group.to_string());
        }
    }
}

/// What the page needs of a baseline before it reads the new file.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BaselineSettings {
    /// The review's settings: audit the new file with these (a period column
    /// may be added; nothing else may change).
    pub config: AuditConfig,
    /// The review's monitoring rules.
    pub rules: Vec<MonitorRule>,
    /// Where the baseline came from.
    pub info: BaselineInfo,
}

impl Baseline {
    /// The settings, rules and origin, for the page.
    pub fn settings(&self) -> BaselineSettings {
        BaselineSettings { config: self.config.clone(), rules: self.rules.clone(), info: self.info.clone() }
    }
}

/// The settings as monitoring compares them: without the period column and
/// the delimiter, which may differ between the files.
fn comparable(config: &AuditConfig) -> Json {
    let mut c = config.clone();
    c.period = None;
    c.delimiter = None;
    serde_json::to_value(c).unwrap_or(Json::Null)
}

/// A ratio with its range.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Ratio {
    /// The ratio.
    pub ratio: Estimate,
    /// Lower limit.
    pub lower: f64,
    /// Upper limit; `null` when unbounded.
    pub upper: Option<f64>,
}

/// A group's figures in one of the two audits.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Figures {
    /// Rows in the group.
    pub n: u64,
    /// Of them, given the positive decision.
    pub selected: u64,
    /// The selection rate, on the report's basis.
    pub rate: Value,
    /// Its interval at the report's confidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<RateInterval>,
    /// With weights, Kish's effective size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effective_size: Option<f64>,
    /// The impact ratio against the comparison group, with its range at the
    /// verdicts' level; absent for the comparison group and `(missing)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_ratio: Option<Outcome<Ratio>>,
    /// For a harmful decision, the harm ratio in the same way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub harm_ratio: Option<Outcome<Ratio>>,
    /// The verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

fn ratio_from(x: &Json) -> Option<Outcome<Ratio>> {
    if let Some(reason) = x.get("undefined").and_then(Json::as_str) {
        return Some(Outcome::undefined(reason));
    }
    let ratio = match x.get("ratio")? {
        Json::Number(n) => Estimate::Finite(n.as_f64()?),
        Json::String(s) if s == "infinite" => Estimate::Infinite,
        _ => Estimate::Undefined("neither group has anyone given the decision"),
    };
    Some(Outcome::Value(Ratio {
        ratio,
        lower: x.get("lower")?.as_f64()?,
        upper: x.get("upper").and_then(Json::as_f64),
    }))
}

fn figures_from(g: &Json) -> Figures {
    let decisions = field(g, &["evidence", "adverse_impact", "group_decisions"]);
    let impact = field(g, &["evidence", "adverse_impact"]).filter(|x| !x.is_null());
    let interval = decisions
        .and_then(|d| d.get("interval"))
        .or_else(|| field(g, &["evidence", "intervals", "selection_rate"]))
        .and_then(|i| Some(RateInterval { lower: i.get("lower")?.as_f64()?, upper: i.get("upper")?.as_f64()? }));
    let rate = match field(g, &["metrics", "selection_rate"]) {
        Some(Json::Number(n)) => n.as_f64().map_or(Value::Undefined("the rate is not a number".into()), Value::Defined),
        Some(x) => Value::Undefined(
            x.get("undefined").and_then(Json::as_str).unwrap_or("the group has no one to divide by").to_string(),
        ),
        None => Value::Undefined("the group has no one to divide by".into()),
    };
    Figures {
        n: field(g, &["counts", "n"]).and_then(Json::as_u64).unwrap_or(0),
        selected: field(g, &["counts", "selected"]).and_then(Json::as_u64).unwrap_or(0),
        rate,
        interval,
        effective_size: decisions.and_then(|d| d.get("effective_size")).and_then(Json::as_f64),
        impact_ratio: impact.and_then(|i| i.get("impact_ratio")).and_then(ratio_from),
        harm_ratio: impact.and_then(|i| i.get("harm_ratio")).filter(|x| !x.is_null()).and_then(ratio_from),
        verdict: impact.and_then(|i| i.get("verdict")).and_then(|v| serde_json::from_value(v.clone()).ok()),
    }
}

/// A group with its size, for the lists of new and vanished groups.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupCount {
    /// The group's raw name.
    pub group: String,
    /// The group as a reader names it.
    pub label: String,
    /// Rows in the group (in the audit that has it).
    pub n: u64,
}

/// One group in both audits.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MonitorGroup {
    /// The group's raw name.
    pub group: String,
    /// The group as a reader names it.
    pub label: String,
    /// In the reviewed audit.
    pub reviewed: Figures,
    /// In the new one.
    pub now: Figures,
    /// The new rate minus the reviewed one, with its Newcombe interval at
    /// the family's level.
    pub change: Outcome<stats::Interval>,
    /// Two-sided p-value of the change: Fisher's exact test on rows, or the
    /// two-proportion z-test at effective sizes with weights.
    pub p_value: Outcome<f64>,
    /// Adjusted within the characteristic's family of changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted_p: Option<f64>,
    /// `adjusted_p < 1 − confidence`.
    pub significant: bool,
}

/// One characteristic in both audits.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MonitorAttribute {
    /// The characteristic's column (an intersection's joined with `|`).
    pub column: String,
    /// The comparison group in the review.
    pub reviewed_compared_with: Option<String>,
    /// The comparison group now (it can change when group sizes change).
    pub compared_with: Option<String>,
    /// Groups in both, in the order of the new audit.
    pub groups: Vec<MonitorGroup>,
    /// Groups in the new file that the reviewed file did not have.
    pub new_groups: Vec<GroupCount>,
    /// Groups of the reviewed file that the new one does not have.
    pub vanished_groups: Vec<GroupCount>,
    /// How the change tests were adjusted together.
    pub changes_family: PeriodFamily,
}

/// How strongly a rule fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    /// The line is clearly crossed: its whole range lies beyond it.
    Alert,
    /// The figure is beyond the line, but its range reaches back over it:
    /// it may be chance; look again with more data.
    Watch,
}

/// A rule that fired for a group.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Alert {
    /// How strongly.
    pub level: AlertLevel,
    /// The rule's place in `rules`.
    pub rule: usize,
    /// What it watches.
    pub figure: MonitorFigure,
    /// The characteristic.
    pub attribute: String,
    /// The group's raw name.
    pub group: String,
    /// The group as a reader names it.
    pub label: String,
    /// The figure (ratio, or change in rate); absent for a verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The rule's line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Who is told.
    pub notify: String,
    /// One sentence with the figure, its range and the line.
    pub sentence: String,
}

/// The new file against the review.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MonitorReport {
    /// The review compared with.
    pub baseline: BaselineInfo,
    /// Rows the new audit used.
    pub rows: u64,
    /// SHA-256 of the new file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// With a period column: the first and last period of the new file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered: Option<String>,
    /// What a reader sees first: the alerts, or that there are none, and
    /// the groups that came or went.
    pub summary: Vec<String>,
    /// The rules checked (the review's, or the default one).
    pub rules: Vec<MonitorRule>,
    /// Whether `rules` is the default rule because the review named none.
    pub default_rules: bool,
    /// Every rule that fired, alerts first.
    pub alerts: Vec<Alert>,
    /// One per characteristic, in the order of the report.
    pub attributes: Vec<MonitorAttribute>,
    /// The new audit in full, run with the review's settings.
    pub report: Report,
}

impl MonitorReport {
    /// Whether any rule fired at the `alert` level (`biasaudit monitor` then exits with 3).
    pub fn alerted(&self) -> bool {
        self.alerts.iter().any(|a| a.level == AlertLevel::Alert)
    }
}

fn check_rules(rules: &[MonitorRule], columns: &[&str], harmful: bool) -> Result<()> {
    match rule_problems(rules, columns, harmful).into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// Every problem with the board's rules, each at its field
/// (`monitoring.rules[0].threshold`), so a form can mark them all; `columns`
/// are the characteristics the review audited, `harmful` whether its decision
/// harms the person.
pub fn rule_problems(rules: &[MonitorRule], columns: &[&str], harmful: bool) -> Vec<Error> {
    if rules.len() > MAX_RULES {
        return vec![Error::new(
            ErrorCode::ConfigOutOfRange,
            format!("the review has {} monitoring rules; at most {MAX_RULES} are checked", rules.len()),
        )
        .for_field("monitoring.rules")];
    }
    let mut out = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let mut at = |key: &str, message: String| {
            out.push(
                Error::new(ErrorCode::ConfigInvalid, format!("monitoring rule {}: {message}", i + 1))
                    .for_field(format!("monitoring.rules[{i}].{key}")),
            )
        };
        if let Some(column) = &rule.attribute {
            if !columns.contains(&column.as_str()) {
                let listed: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
                at(
                    "attribute",
                    format!(
                        "the characteristic {} is not one the review audited ({})",
                        quoted(column),
                        listed.join(", ")
                    ),
                );
            }
        }
        let line = rule.threshold.filter(|t| t.is_finite());
        match (rule.figure, line) {
            (MonitorFigure::Verdict, _) => {}
            (MonitorFigure::HarmRatio, _) if !harmful => at(
                "figure",
                "the harm ratio is only formed when the decision harms the person; watch the impact ratio instead".into(),
            ),
            (MonitorFigure::ImpactRatio, Some(t)) if t > 0.0 && t <= 1.0 => {}
            (MonitorFigure::ImpactRatio, _) => {
                at("threshold", "the impact ratio needs a line above 0 and at most 1, like 0.8".into())
            }
            (MonitorFigure::HarmRatio, Some(t)) if t >= 1.0 => {}
            (MonitorFigure::HarmRatio, _) => at("threshold", "the harm ratio needs a line of at least 1, like 1.25".into()),
            (MonitorFigure::RateChange, Some(t)) if t > 0.0 && t < 1.0 => {}
            (MonitorFigure::RateChange, _) => at(
                "threshold",
                "a change in selection rate needs a line above 0 and below 100 percentage points (as a proportion, 0.05 is 5 points)".into(),
            ),
        }
    }
    out
}

/// Errors when the new file holds a kind of decision (or label) the reviewed
/// file did not: the review's rule would count it silently as negative.
fn check_values(baseline: &Json, report: &Report) -> Result<()> {
    check_one(baseline, "decision_values", report, "decision")?;
    check_one(baseline, "label_values", report, "label")
}

fn check_one(baseline: &Json, key: &str, report: &Report, role: &str) -> Result<()> {
    let (now, column) = match role {
        "decision" => (report.input.decision_values.as_ref(), &report.config.decision),
        _ => match (report.input.label_values.as_ref(), &report.config.label) {
            (now, Some(label)) => (now, label),
            _ => return Ok(()),
        },
    };
    let Some(before) = field(baseline, &["input", key]) else { return Ok(()) };
    if before.get("complete").and_then(Json::as_bool) != Some(true) {
        return Ok(());
    }
    let known: Vec<&str> = before
        .get("values")
        .and_then(Json::as_array)
        .map(|v| v.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let Some(now) = now else { return Ok(()) };
    if let Some(new) = now.values.iter().find(|v| !known.contains(&v.as_str())) {
        let listed: Vec<String> = known.iter().map(|v| quoted(v)).collect();
        let counted = if column.positive.contains(new) { "as positive" } else { "as not positive" };
        return Err(Error::new(
            ErrorCode::DataUnexpectedValue,
            format!(
                "the {role} column {} now holds {}, which the reviewed file did not (it held {}); the review's settings would count it {counted} without anyone deciding so: agree how to count it, then review again rather than monitor",
                quoted(&column.column),
                quoted(new),
                listed.join(", ")
            ),
        )
        .in_column(column.column.clone())
        .with_value(new.clone()));
    }
    Ok(())
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn points(x: f64) -> String {
    format!("{}{:.1} points", if x > 0.0 { "+" } else { "" }, x * 100.0)
}

fn upper_text(upper: Option<f64>) -> String {
    upper.map_or("no upper limit".into(), |u| format!("{u:.2}"))
}

/// Checks one rule against one group; `None` when it does not fire.
fn fire(rule: &MonitorRule, g: &MonitorGroupView) -> Option<(AlertLevel, Option<f64>, String)> {
    let (level, value, sentence) = fire_on_figures(rule, g)?;
    // A handful of people cannot raise an alert: the check itself calls the group too few to judge.
    if level == AlertLevel::Alert && g.now.verdict == Some(Verdict::InsufficientData) {
        return Some((
            AlertLevel::Watch,
            value,
            format!("{sentence} The check calls the group too few to judge now ({} in it), so this is a watch, not an alert.", g.now.n),
        ));
    }
    Some((level, value, sentence))
}

fn fire_on_figures(rule: &MonitorRule, g: &MonitorGroupView) -> Option<(AlertLevel, Option<f64>, String)> {
    let who = g.label;
    match rule.figure {
        MonitorFigure::Verdict => {
            // A line crossed without the evidence to be sure, or a clear gap within the
            // lines, is worth watching: the results step flags both too.
            let level = match g.now.verdict? {
                Verdict::AdverseImpactIndicated => AlertLevel::Alert,
                Verdict::PossibleAdverseImpact | Verdict::InsufficientEvidence | Verdict::GapWithinThreshold => {
                    AlertLevel::Watch
                }
                _ => return None,
            };
            let was = match g.reviewed.and_then(|r| r.verdict) {
                Some(v) if v == g.now.verdict? => " (as at the review)",
                Some(_) => " (not so at the review)",
                None if g.reviewed.is_some() => " (the review gave it no verdict)",
                None => " (the group was not in the reviewed file)",
            };
            let what = match g.now.verdict? {
                Verdict::AdverseImpactIndicated => "adverse impact is indicated",
                Verdict::PossibleAdverseImpact => "adverse impact is possible",
                Verdict::InsufficientEvidence => "a line is crossed, but there is not enough evidence either way",
                _ => "there is a clear gap within the lines, to examine",
            };
            Some((level, None, format!("For {who}, {what}{was}.")))
        }
        MonitorFigure::ImpactRatio | MonitorFigure::HarmRatio => {
            let line = rule.threshold?;
            let harm = rule.figure == MonitorFigure::HarmRatio;
            let r = if harm { g.now.harm_ratio.as_ref()? } else { g.now.impact_ratio.as_ref()? }.value()?;
            let value = match r.ratio {
                Estimate::Finite(v) => v,
                Estimate::Infinite => f64::INFINITY,
                Estimate::Undefined(_) => return None,
            };
            let beyond = if harm { value > line } else { value < line };
            if !beyond {
                return None;
            }
            let clearly = if harm { r.lower > line } else { r.upper.is_some_and(|u| u < line) };
            let shown = if value.is_finite() { format!("{value:.2}") } else { "unbounded".into() };
            let side = if harm { "above" } else { "below" };
            let range = format!("{} range {:.2} to {}", percent(g.ratio_level), r.lower, upper_text(r.upper));
            let tail = if clearly {
                format!("its whole range lies {side} the board's line of {line:.2}")
            } else {
                format!(
                    "{side} the board's line of {line:.2}, but its range reaches over the line, so it may be chance"
                )
            };
            Some((
                if clearly { AlertLevel::Alert } else { AlertLevel::Watch },
                value.is_finite().then_some(value),
                format!("{who}: {} {shown} ({range}); {tail}.", rule.figure.named()),
            ))
        }
        MonitorFigure::RateChange => {
            let line = rule.threshold?;
            let d = g.change?.value()?;
            if d.estimate.abs() <= line {
                return None;
            }
            let clearly = d.lower > line || d.upper < -line;
            let tail = if clearly {
                format!(
                    "its whole {} range lies beyond the board's line of ±{:.1} points",
                    percent(g.level),
                    line * 100.0
                )
            } else {
                format!("beyond the board's line of ±{:.1} points, but its range reaches over the line", line * 100.0)
            };
            let reviewed = g.reviewed.and_then(|r| r.rate.get()).map(percent).unwrap_or_default();
            let now = g.now.rate.get().map(percent).unwrap_or_default();
            Some((
                if clearly { AlertLevel::Alert } else { AlertLevel::Watch },
                Some(d.estimate),
                format!(
                    "{who}: selection rate {now} against {reviewed} at the review, {} ({} to {}); {tail}.",
                    points(d.estimate),
                    points(d.lower),
                    points(d.upper)
                ),
            ))
        }
    }
}

/// What a rule sees of a group: its figures now and at the review, and the change.
struct MonitorGroupView<'a> {
    label: &'a str,
    now: &'a Figures,
    reviewed: Option<&'a Figures>,
    change: Option<&'a Outcome<stats::Interval>>,
    /// The level of the change intervals.
    level: f64,
    /// The level of the ratio ranges (the verdicts' family).
    ratio_level: f64,
}

/// (x, n) for a change test: rows, or with weights the weighted rate at the
/// effective size.
fn sizes(f: &Figures, weighted: bool) -> Option<(f64, f64)> {
    if weighted {
        let e = f.effective_size?;
        Some((f.rate.get()? * e, e))
    } else {
        Some((f.selected as f64, f.n as f64))
    }
}

/// The new audit, run with the baseline's settings, against the baseline.
pub fn compare(baseline: &Baseline, report: Report) -> Result<MonitorReport> {
    let before = &baseline.report;
    if comparable(&baseline.config) != comparable(&report.config) {
        return Err(Error::new(
            ErrorCode::ConfigConflict,
            "the new file was audited with settings other than the review's; monitoring compares like with like, so only a period column may be added",
        ));
    }
    check_values(before, &report)?;
    let rules = if baseline.rules.is_empty() { default_rules() } else { baseline.rules.clone() };
    let columns: Vec<&str> = report.attributes.iter().map(|a| a.column.as_str()).collect();
    check_rules(&rules, &columns, report.config.outcome == crate::config::Direction::Harmful)?;
    let now_json = serde_json::to_value(&report)
        .map_err(|e| Error::new(ErrorCode::EngineInternal, format!("the report could not be read back: {e}")))?;
    let weighted = report.input.basis == "weighted";
    let confidence = report.config.evidence.confidence;
    let alpha = 1.0 - confidence;
    let empty = Vec::new();
    let mut attributes = Vec::new();
    let mut alerts = Vec::new();
    for (a, a_now) in report.attributes.iter().zip(now_json["attributes"].as_array().unwrap_or(&empty)) {
        let a_before = before["attributes"]
            .as_array()
            .and_then(|list| list.iter().find(|x| x["column"].as_str() == Some(a.column.as_str())));
        let groups_before: Vec<&Json> =
            a_before.and_then(|x| x["groups"].as_array()).map(|g| g.iter().collect()).unwrap_or_default();
        let find_before = |name: &str| groups_before.iter().find(|g| g["group"].as_str() == Some(name));
        let named = |g: &Json| GroupCount {
            group: g["group"].as_str().unwrap_or_default().to_string(),
            label: g["label"].as_str().unwrap_or_default().to_string(),
            n: g["counts"]["n"].as_u64().unwrap_or(0),
        };
        let groups_now: Vec<&Json> = a_now["groups"].as_array().map(|g| g.iter().collect()).unwrap_or_default();
        let vanished_groups: Vec<GroupCount> = groups_before
            .iter()
            .filter(|b| !groups_now.iter().any(|g| g["group"] == b["group"]))
            .map(|b| named(b))
            .collect();
        let mut new_groups = Vec::new();
        let mut pairs: Vec<(GroupCount, Figures, Figures)> = Vec::new();
        let mut only_now: Vec<(GroupCount, Figures)> = Vec::new();
        for g in &groups_now {
            let id = named(g);
            match find_before(&id.group) {
                Some(b) => pairs.push((id, figures_from(b), figures_from(g))),
                None => {
                    only_now.push((id.clone(), figures_from(g)));
                    new_groups.push(id);
                }
            }
        }
        let tested = pairs
            .iter()
            .filter(|(_, b, n)| sizes(b, weighted).zip(sizes(n, weighted)).is_some_and(|(b, n)| b.1 > 0.0 && n.1 > 0.0))
            .count();
        let changes_family = family(&report.config, tested);
        let level = changes_family.interval_confidence;
        let mut groups: Vec<MonitorGroup> = pairs
            .into_iter()
            .map(|(id, reviewed, now)| {
                let both =
                    sizes(&now, weighted).zip(sizes(&reviewed, weighted)).filter(|(n, b)| n.1 > 0.0 && b.1 > 0.0);
                let why = if weighted && (now.effective_size.is_none() || reviewed.effective_size.is_none()) {
                    "the reviewed report does not give the group's effective size, which a weighted change needs"
                } else {
                    "the group has no one in one of the two files"
                };
                let (change, p_value) = match both {
                    None => (Outcome::undefined(why), Outcome::undefined(why)),
                    Some(((x1, n1), (x2, n2))) if weighted => (
                        Outcome::from(stats::newcombe_difference_interval_effective(x1, n1, x2, n2, level)),
                        Outcome::from(stats::two_proportion_z_test_effective(x1, n1, x2, n2).map(|z| z.p_value)),
                    ),
                    Some(_) => {
                        let (x1, n1, x2, n2) = (now.selected, now.n, reviewed.selected, reviewed.n);
                        (
                            Outcome::from(stats::newcombe_difference_interval(x1, n1, x2, n2, level)),
                            Outcome::from(stats::fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).map(|f| f.p_value)),
                        )
                    }
                };
                MonitorGroup {
                    group: id.group,
                    label: id.label,
                    reviewed,
                    now,
                    change,
                    p_value,
                    adjusted_p: None,
                    significant: false,
                }
            })
            .collect();
        let raw: Vec<f64> = groups.iter().filter_map(|g| g.p_value.value().copied()).collect();
        let mut adjusted = adjust(report.config.evidence.adjust, &raw).into_iter();
        for g in &mut groups {
            if g.p_value.value().is_some() {
                g.adjusted_p = adjusted.next();
                g.significant = g.adjusted_p.is_some_and(|p| p < alpha);
            }
        }
        // The rules, on every group now (a new group too, for the figures it has).
        let ratio_level = report
            .evidence
            .families
            .iter()
            .find(|f| f.attribute == a.column && f.name.starts_with("verdicts"))
            .map_or(confidence, |f| f.interval_confidence);
        let views = groups
            .iter()
            .map(|g| MonitorGroupView {
                label: &g.label,
                now: &g.now,
                reviewed: Some(&g.reviewed),
                change: Some(&g.change),
                level,
                ratio_level,
            })
            .chain(only_now.iter().map(|(id, f)| MonitorGroupView {
                label: &id.label,
                now: f,
                reviewed: None,
                change: None,
                level,
                ratio_level,
            }));
        let names = groups.iter().map(|g| &g.group).chain(only_now.iter().map(|(id, _)| &id.group));
        for (view, name) in views.zip(names) {
            if is_missing_group(name) {
                continue;
            }
            for (i, rule) in rules.iter().enumerate() {
                if rule.attribute.as_ref().is_some_and(|c| *c != a.column) {
                    continue;
                }
                if let Some((level, value, sentence)) = fire(rule, &view) {
                    alerts.push(Alert {
                        level,
                        rule: i,
                        figure: rule.figure,
                        attribute: a.column.clone(),
                        group: name.clone(),
                        label: view.label.to_string(),
                        value,
                        threshold: rule.threshold,
                        notify: rule.notify.clone(),
                        sentence,
                    });
                }
            }
        }
        attributes.push(MonitorAttribute {
            column: a.column.clone(),
            reviewed_compared_with: a_before.and_then(|x| x["reference"]["group"].as_str()).map(str::to_string),
            compared_with: a.reference.group.clone(),
            groups,
            new_groups,
            vanished_groups,
            changes_family,
        });
    }
    alerts.sort_by_key(|a| a.level != AlertLevel::Alert);
    let covered = report.periods.as_ref().and_then(|p| {
        let dated: Vec<&String> = p.periods.iter().filter(|x| !is_missing_group(x)).collect();
        Some(match dated.as_slice() {
            [] => return None,
            [one] => (*one).clone(),
            [first, .., last] => format!("{first} to {last}"),
        })
    });
    let summary = summarise(&alerts, &attributes, baseline.rules.is_empty());
    Ok(MonitorReport {
        baseline: baseline.info.clone(),
        rows: report.input.rows_used,
        sha256: report.input.sha256.clone(),
        covered,
        summary,
        default_rules: baseline.rules.is_empty(),
        rules,
        alerts,
        attributes,
        report,
    })
}

fn summarise(alerts: &[Alert], attributes: &[MonitorAttribute], default_rules: bool) -> Vec<String> {
    let fired = alerts.iter().filter(|a| a.level == AlertLevel::Alert).count();
    let watched = alerts.len() - fired;
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    let mut lines = vec![match (fired, watched) {
        (0, 0) if default_rules => "No alert: the board set no lines, and the check's verdicts find no adverse impact, possible adverse impact or gap to examine for any group.".to_string(),
        (0, 0) => "No monitoring rule fired: no figure crossed a line the board set.".to_string(),
        (0, w) => format!(
            "No alert, but {} to watch: a figure beyond a line whose range reaches back over it.",
            plural(w, "figure", "figures")
        ),
        (f, 0) => format!("{}: a line the board set is clearly crossed.", plural(f, "alert", "alerts")),
        (f, w) => format!(
            "{}: a line the board set is clearly crossed; and {} to watch.",
            plural(f, "alert", "alerts"),
            plural(w, "figure", "figures")
        ),
    }];
    for a in attributes {
        let list = |groups: &[GroupCount]| {
            groups.iter().map(|g| format!("{} ({} rows)", g.label, g.n)).collect::<Vec<_>>().join(", ")
        };
        if !a.new_groups.is_empty() {
            lines.push(format!("New in {} since the review: {}.", a.column, list(&a.new_groups)));
        }
        if !a.vanished_groups.is_empty() {
            lines.push(format!("No longer in {}: {}.", a.column, list(&a.vanished_groups)));
        }
        if a.reviewed_compared_with != a.compared_with {
            lines.push(format!(
                "In {}, the comparison group is now {} (at the review: {}).",
                a.column,
                a.compared_with.as_deref().unwrap_or("everyone else"),
                a.reviewed_compared_with.as_deref().unwrap_or("everyone else"),
            ));
        }
    }
    lines
}
