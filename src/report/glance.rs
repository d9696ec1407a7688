//! Report → "at a glance": at most six sentences a board reads first, naming
//! the largest disparities with their figures and ranges, then what was too
//! thin to judge. The page and the Markdown show the same sentences.

use crate::config::Direction;
use crate::evidence::{AdverseImpact, Verdict};
use crate::report::markdown::verdict_text;
use crate::report::AttributeReport;
use crate::stats::{Estimate, RatioInterval};

/// Findings named one by one; the rest are counted.
const NAMED: usize = 4;

fn severity(v: Verdict) -> u8 {
    match v {
        Verdict::AdverseImpactIndicated => 0,
        Verdict::PossibleAdverseImpact => 1,
        _ => 2,
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "an undefined share".to_string(), |r| format!("{:.1}%", r * 100.0))
}

/// The ratio that decides the verdict: the harm ratio for a harmful decision, else the impact ratio.
fn deciding(ai: &AdverseImpact) -> Option<&RatioInterval> {
    ai.harm_ratio.as_ref().and_then(|h| h.value()).or_else(|| ai.impact_ratio.value())
}

fn ratio_text(r: &RatioInterval) -> String {
    let point = match r.ratio {
        Estimate::Finite(v) => format!("{v:.2}"),
        Estimate::Infinite => "unbounded".into(),
        Estimate::Undefined(_) => "undefined".into(),
    };
    let upper = r.upper.map_or_else(|| "no limit".to_string(), |u| format!("{u:.2}"));
    format!("{point} (range {:.2} to {upper})", r.lower)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The sentences, from the attributes' verdicts.
pub fn glance(attributes: &[AttributeReport], direction: Direction) -> Vec<String> {
    let mut findings = Vec::new();
    let mut thin = Vec::new();
    for a in attributes {
        // Combinations are exploratory: they come after the characteristics, and say so.
        let exploratory = a.columns.len() > 1;
        let characteristic =
            if exploratory { format!("{}, exploratory", a.columns.join(" × ")) } else { a.columns.join(" × ") };
        let label =
            |name: &str| a.groups.iter().find(|g| g.group == name).map_or(name.to_string(), |g| g.label.clone());
        for g in &a.groups {
            let Some(ai) = g.evidence.as_ref().and_then(|e| e.adverse_impact.as_ref()) else { continue };
            if ai.verdict.is_finding() {
                findings.push((exploratory, ai, g.label.clone(), characteristic.clone(), label(&ai.compared_with)));
            } else if matches!(ai.verdict, Verdict::InsufficientData | Verdict::InsufficientEvidence) {
                thin.push(format!("{} ({characteristic})", g.label));
            }
        }
    }
    let size = |ai: &AdverseImpact| deciding(ai).and_then(|r| r.ratio.finite()).map_or(0.0, |r| r.ln().abs());
    findings.sort_by(|a, b| {
        a.0.cmp(&b.0).then(severity(a.1.verdict).cmp(&severity(b.1.verdict))).then(size(b.1).total_cmp(&size(a.1)))
    });
    let mut lines: Vec<String> = findings
        .iter()
        .take(NAMED)
        .map(|(_, ai, group, characteristic, who)| {
            let rates = format!(
                "{} of the time against {} for {who}",
                percent(ai.group_decisions.rate.get()),
                percent(ai.comparison_decisions.rate.get())
            );
            let figure = deciding(ai).map_or_else(|| "no ratio can be formed".to_string(), ratio_text);
            let verdict = capitalised(verdict_text(ai.verdict));
            match direction {
                Direction::Harmful => {
                    let figure = figure.replacen(" (range", " times as often (range", 1);
                    format!("{group} ({characteristic}) were given the decision {rates}: {figure}. {verdict}.")
                }
                Direction::Beneficial => format!(
                    "{group} ({characteristic}) got the positive decision {rates}: an impact ratio of {figure}. {verdict}."
                ),
            }
        })
        .collect();
    if findings.len() > NAMED {
        let more = findings.len() - NAMED;
        lines.push(format!("{more} more group{} flagged.", if more > 1 { "s are" } else { " is" }));
    }
    if findings.is_empty() {
        lines.push("No group crossed the lines with enough evidence to flag it. That is not proof of fairness.".into());
    }
    if !thin.is_empty() {
        let shown: Vec<&str> = thin.iter().take(5).map(String::as_str).collect();
        lines.push(format!(
            "{} group{} could not be judged either way (too few people, or too little evidence): {}{}.",
            thin.len(),
            if thin.len() > 1 { "s" } else { "" },
            shown.join("; "),
            if thin.len() > 5 { " and others" } else { "" }
        ));
    }
    lines.truncate(6);
    lines
}
