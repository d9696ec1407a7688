//! Report → Markdown for people. Every piece of text that came from the data
//! file (column names, group values) goes through [`cell`], which makes it
//! inert in Markdown, HTML and spreadsheets.

use crate::config::{Adjustment, Direction};
use crate::error::is_bidi_control;
use crate::evidence::{AdverseImpact, Comparison, Outcome, RateEstimate, Verdict, TESTED_RATES};
use crate::metrics::Value;
use crate::report::{AttributeReport, Report};
use crate::stats::{Estimate, RatioInterval};
use std::fmt::Write;

/// A group as a reader names it (the report's `label`: "White × Male", "25
/// to under 35"); the raw name stays in the JSON.
pub fn named(a: &AttributeReport, group: &str) -> String {
    match a.groups.iter().find(|g| g.group == group) {
        Some(g) => g.label.clone(),
        None if a.columns.len() > 1 => crate::tally::names::split_parts(group).join(" × "),
        None => group.to_string(),
    }
}

/// Makes data-derived text safe to place in a Markdown table cell, heading
/// or list item, escaped only where CommonMark or GitHub's Markdown would
/// otherwise read it as markup (the rules of the page's `mdEscape`), so a
/// plain-text reader sees clean sentences: HTML, code, emphasis at a word's
/// edge, links, table cells, strikethrough, entities, bare web addresses,
/// dollar pairs (GitHub's mathematics) and a closing run of `#`. Control and
/// bidi characters are shown as codes, and a leading spreadsheet formula
/// character is defused with an apostrophe.
pub fn cell(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let dollars = chars.iter().filter(|&&c| c == '$').count();
    let word = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_alphanumeric());
    // A run of # closing the text (after a space, or the whole text) would be read as a heading's end.
    let closing_hashes = {
        let end = chars.iter().rposition(|c| !c.is_whitespace()).map_or(0, |i| i + 1);
        let start = chars[..end].iter().rposition(|&c| c != '#').map_or(0, |i| i + 1);
        (start < end && (start == 0 || chars[start - 1].is_whitespace())).then_some(start)
    };
    let mut out = String::with_capacity(text.len() + 8);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        out.push('\'');
    }
    for (i, &c) in chars.iter().enumerate() {
        let rest: String = chars[i + 1..chars.len().min(i + 12)].iter().collect();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => true,
            '_' => !word(i.checked_sub(1)) || !word(Some(i + 1)),
            '$' => dollars > 1,
            '#' => closing_hashes == Some(i),
            '&' => entity_follows(&rest),
            ':' => rest.starts_with("//"),
            '.' => {
                i >= 3
                    && chars[i - 3..i].iter().collect::<String>().eq_ignore_ascii_case("www")
                    && !word(i.checked_sub(4))
            }
            _ => false,
        };
        if c.is_control() || is_bidi_control(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
            continue;
        }
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `rest` (the text after an `&`) begins like an HTML entity: `#?[A-Za-z0-9]+;`.
fn entity_follows(rest: &str) -> bool {
    let body = rest.strip_prefix('#').unwrap_or(rest);
    let name = body.chars().take_while(|c| c.is_ascii_alphanumeric()).count();
    name > 0 && body[name..].starts_with(';')
}

fn pct(v: &Value) -> String {
    v.get().map_or_else(|| "—".to_string(), |x| format!("{:.1}%", x * 100.0))
}

fn num(v: &Value, places: usize) -> String {
    v.get().map_or_else(|| "—".to_string(), |x| format!("{x:.places$}"))
}

/// The report as a Markdown document for people; all text from the data file
/// goes through [`cell`].
pub fn render(report: &Report) -> String {
    let mut md = String::new();
    let input = &report.input;
    let _ = writeln!(md, "# Bias audit report\n");
    let _ = writeln!(
        md,
        "Produced by {} {} (report schema {}). Decision column {}; positive decision is **{}** to the person.\n",
        report.engine.name,
        report.engine.version,
        report.schema_version,
        cell(&report.config.decision.column),
        match report.config.outcome {
            Direction::Beneficial => "beneficial",
            Direction::Harmful => "harmful",
        }
    );
    if !report.at_a_glance.is_empty() {
        let _ = writeln!(md, "## At a glance\n");
        for line in &report.at_a_glance {
            let _ = writeln!(md, "- {}", cell(line));
        }
        md.push('\n');
    }
    let _ = writeln!(md, "## Input\n");
    // A table of counts: its rows stand for cases, and the figures count cases.
    let unit = if report.config.count.is_some() { "Cases" } else { "Rows" };
    if let Some(count) = &report.config.count {
        let _ =
            writeln!(md, "- A table of counts: each row stands for the number of cases in its column {}", cell(count));
    }
    let _ = writeln!(
        md,
        "- {unit} read: {}\n- {unit} used: {}\n- {unit} excluded: {}",
        input.rows_read, input.rows_used, input.rows_excluded
    );
    for e in &input.exclusions {
        let _ = writeln!(md, "  - {} {}: {}", e.rows, unit.to_lowercase(), e.description);
    }
    let _ = writeln!(
        md,
        "- True outcome (label): {}\n- Basis: {}\n",
        if input.labelled { "yes" } else { "no (error-rate metrics are not available)" },
        input.basis
    );
    if !report.notes.is_empty() {
        let _ = writeln!(md, "## Notes\n");
        for n in &report.notes {
            let _ = writeln!(md, "- {}", cell(n));
        }
        md.push('\n');
    }
    for a in &report.attributes {
        attribute(&mut md, report, a);
    }
    if let Some(p) = &report.periods {
        periods(&mut md, p);
    }
    md
}

fn unit_word(unit: crate::config::PeriodUnit) -> &'static str {
    match unit {
        crate::config::PeriodUnit::Month => "month",
        crate::config::PeriodUnit::Quarter => "quarter",
        crate::config::PeriodUnit::Year => "year",
        crate::config::PeriodUnit::AsGiven => "period",
    }
}

fn adjusted_by(method: Adjustment) -> &'static str {
    match method {
        Adjustment::Holm => "Holm's method",
        Adjustment::Bh => "Benjamini–Hochberg",
        Adjustment::None => "no method (not adjusted)",
    }
}

fn signed_points(x: f64) -> String {
    format!("{}{:.1}", if x > 0.0 { "+" } else { "" }, x * 100.0)
}

/// "By period": each characteristic's rates period by period, the trends and
/// the changes from the baseline that are significant.
fn periods(md: &mut String, p: &crate::report::periods::PeriodsReport) {
    let unit = unit_word(p.unit);
    let _ = writeln!(
        md,
        "## By period
"
    );
    let _ = writeln!(
        md,
        "Periods from the column {}, by {unit}: {} periods. Each period's verdicts are judged at {:.2}% confidence, so that across every period the chance of any false finding stays within the report's level.\n",
        cell(&p.column),
        p.periods.len(),
        p.verdict_confidence * 100.0
    );
    for a in &p.attributes {
        let _ = writeln!(md, "### {} by period\n", cell(&a.column));
        let mut groups: Vec<(&str, &str)> = Vec::new();
        for f in &a.periods {
            for g in &f.groups {
                if !groups.iter().any(|(raw, _)| *raw == g.group) {
                    groups.push((&g.group, &g.label));
                }
            }
        }
        groups.sort();
        let _ = write!(md, "| Period | Rows |");
        for (_, label) in &groups {
            let _ = write!(md, " {} |", cell(label));
        }
        let _ = write!(md, "\n|---|---:|");
        for _ in &groups {
            md.push_str("---|");
        }
        md.push('\n');
        for f in &a.periods {
            let _ = write!(md, "| {} | {} |", cell(&f.period), f.rows);
            for (raw, _) in &groups {
                match f.groups.iter().find(|g| g.group == *raw) {
                    Some(g) => {
                        let range = g
                            .interval
                            .as_ref()
                            .map(|i| format!(" ({:.1}–{:.1}%)", i.lower * 100.0, i.upper * 100.0))
                            .unwrap_or_default();
                        let flag = match g.verdict {
                            Some(v) if v.is_finding() => format!("; **{}**", verdict_text(v)),
                            _ => String::new(),
                        };
                        let _ = write!(md, " {}{range}, n = {}{flag} |", pct(&g.rate), g.n);
                    }
                    None => md.push_str(" — |"),
                }
            }
            md.push('\n');
        }
        if let Some(f) = a.periods.iter().find(|f| f.not_compared.is_some()) {
            let _ = writeln!(
                md,
                "\nIn {}, no comparison: {}",
                cell(&f.period),
                cell(f.not_compared.as_deref().unwrap_or(""))
            );
        }
        let _ = writeln!(
            md,
            "\nTrend per group (Cochran–Armitage), adjusted by {} across {} tests:\n",
            adjusted_by(a.trends_family.method),
            a.trends_family.tests
        );
        let _ = writeln!(md, "| Group | Periods | Change per {unit} (points) | p | Adjusted p | Significant |\n|---|---:|---:|---:|---:|---|");
        for t in &a.trends {
            match t.test.value() {
                Some(v) => {
                    let _ = writeln!(
                        md,
                        "| {} | {} | {} | {} | {} | {} |",
                        cell(&t.label),
                        t.periods,
                        signed_points(v.slope),
                        p_value(v.p_value),
                        t.adjusted_p.map_or("—".into(), p_value),
                        if t.significant { "yes" } else { "no" }
                    );
                }
                None => {
                    let _ = writeln!(
                        md,
                        "| {} | {} | — | — | — | {} |",
                        cell(&t.label),
                        t.periods,
                        cell(t.test.reason().unwrap_or(""))
                    );
                }
            }
        }
        let significant: Vec<&crate::report::periods::GroupChange> =
            a.changes.iter().filter(|c| c.significant).collect();
        let baseline = p.baseline.as_deref().map_or_else(|| "the first period".to_string(), cell);
        let _ = writeln!(
            md,
            "\nChanges from {baseline}: {} tested, {} significant after adjustment (intervals at {:.2}%).\n",
            a.changes_family.tests,
            significant.len(),
            a.changes_family.interval_confidence * 100.0
        );
        if !significant.is_empty() {
            let _ = writeln!(md, "| Group | Period | Change (points) | Range | Adjusted p |\n|---|---|---:|---|---:|");
            for c in significant {
                if let Some(d) = c.difference.value() {
                    let _ = writeln!(
                        md,
                        "| {} | {} | {} | {} to {} | {} |",
                        cell(&c.label),
                        cell(&c.period),
                        signed_points(d.estimate),
                        signed_points(d.lower),
                        signed_points(d.upper),
                        c.adjusted_p.map_or("—".into(), p_value)
                    );
                }
            }
            md.push('\n');
        }
    }
}

/// The monitoring report: alerts first, then each group then and now, then
/// the new audit in full.
pub fn render_monitor(m: &crate::report::monitor::MonitorReport) -> String {
    use crate::report::monitor::{AlertLevel, MonitorFigure};
    let mut md = String::new();
    let _ = writeln!(md, "# Monitoring report\n");
    for line in &m.summary {
        let _ = writeln!(md, "- {}", cell(line));
    }
    md.push('\n');
    let b = &m.baseline;
    let _ = writeln!(md, "## Compared with\n");
    if let Some(id) = &b.review_id {
        let _ = writeln!(md, "- Review: {}", cell(id));
    }
    if let Some(file) = &b.file {
        let _ = writeln!(md, "- Reviewed file: {}", cell(file));
    }
    let _ = writeln!(md, "- Reviewed rows: {}", b.rows);
    if let Some(sha) = &b.sha256 {
        let _ = writeln!(md, "- Reviewed file's SHA-256: `{sha}`");
    }
    let _ = writeln!(md, "- New rows: {}", m.rows);
    if let Some(sha) = &m.sha256 {
        let _ = writeln!(md, "- New file's SHA-256: `{sha}`");
    }
    if let Some(covered) = &m.covered {
        let _ = writeln!(md, "- Period covered: {}", cell(covered));
    }
    let _ = writeln!(md, "\n## Rules checked\n");
    if m.default_rules {
        let _ = writeln!(md, "The review set no monitoring rules, so the engine's verdict is the rule.\n");
    }
    let _ = writeln!(md, "| # | Figure | Characteristic | Line | Who is told |\n|---:|---|---|---:|---|");
    for (i, r) in m.rules.iter().enumerate() {
        let figure = match r.figure {
            MonitorFigure::Verdict => "verdict",
            MonitorFigure::ImpactRatio => "impact ratio",
            MonitorFigure::HarmRatio => "harm ratio",
            MonitorFigure::RateChange => "change in selection rate",
        };
        let line = match (r.figure, r.threshold) {
            (MonitorFigure::RateChange, Some(t)) => format!("±{:.1} points", t * 100.0),
            (_, Some(t)) => format!("{t:.2}"),
            (_, None) => "—".into(),
        };
        let _ = writeln!(
            md,
            "| {} | {figure} | {} | {line} | {} |",
            i + 1,
            r.attribute.as_deref().map_or_else(|| "every one".to_string(), cell),
            if r.notify.is_empty() { "—".into() } else { cell(&r.notify) }
        );
    }
    let _ = writeln!(md, "\n## Alerts\n");
    if m.alerts.is_empty() {
        let _ = writeln!(md, "None.\n");
    }
    for a in &m.alerts {
        let level = if a.level == AlertLevel::Alert { "**Alert**" } else { "Watch" };
        let notify = if a.notify.is_empty() { String::new() } else { format!(" Tell: {}.", cell(&a.notify)) };
        let _ = writeln!(md, "- {level} (rule {}, {}): {}{notify}", a.rule + 1, cell(&a.attribute), cell(&a.sentence));
    }
    if !m.alerts.is_empty() {
        md.push('\n');
    }
    for a in &m.attributes {
        let _ = writeln!(md, "## {}: at the review and now\n", cell(&a.column));
        let _ = writeln!(
            md,
            "Changes in selection rate with ranges at {:.2}%, adjusted by {} across {} tests.\n",
            a.changes_family.interval_confidence * 100.0,
            adjusted_by(a.changes_family.method),
            a.changes_family.tests
        );
        if let Some(group) = a.groups.iter().find(|g| Some(&g.group) == a.compared_with.as_ref()) {
            let _ = writeln!(md, "Ratios compare each group with {}, as the review did.\n", cell(&group.label));
        }
        let _ = writeln!(md, "| Group | At the review | Now | Change (points) | Adjusted p | Verdict then → now |\n|---|---|---|---|---:|---|");
        let figures = |f: &crate::report::monitor::Figures| {
            let range = f
                .interval
                .as_ref()
                .map(|i| format!(" ({:.1}–{:.1}%)", i.lower * 100.0, i.upper * 100.0))
                .unwrap_or_default();
            format!("{}{range}, n = {}", pct(&f.rate), f.n)
        };
        for g in &a.groups {
            let change = match g.change.value() {
                Some(d) => {
                    format!("{} ({} to {})", signed_points(d.estimate), signed_points(d.lower), signed_points(d.upper))
                }
                None => "—".into(),
            };
            let verdict = |v: Option<Verdict>| v.map_or("—", verdict_text);
            let _ = writeln!(
                md,
                "| {} | {} | {} | {change} | {} | {} → {} |",
                cell(&g.label),
                figures(&g.reviewed),
                figures(&g.now),
                g.adjusted_p.map_or("—".into(), p_value),
                verdict(g.reviewed.verdict),
                verdict(g.now.verdict)
            );
        }
        md.push('\n');
    }
    let full = render(&m.report);
    let _ = write!(md, "{}", full.replacen("# Bias audit report", "# The new file's audit in full", 1));
    md
}

fn attribute(md: &mut String, report: &Report, a: &AttributeReport) {
    let labelled = report.input.labelled;
    let reference = a.reference.group.as_deref().map_or_else(|| "the whole population".to_string(), cell);
    let _ = writeln!(md, "## {}\n", cell(&a.column));
    let _ = writeln!(md, "Reference: {reference} (rule: {}).\n", a.reference.rule.replace('_', " "));
    if !a.suppressed_groups.is_empty() {
        let names: Vec<String> = a.suppressed_groups.iter().map(|g| cell(&named(a, g))).collect();
        let _ = writeln!(md, "Suppressed in this publication view: {}.\n", names.join(", "));
    }
    if let Some(empty) = a.empty_cells.as_ref().filter(|e| e.count > 0) {
        let names: Vec<String> = empty.cells.iter().take(20).map(|g| cell(&named(a, g))).collect();
        let more =
            if empty.count > names.len() { format!(" and {} more", empty.count - names.len()) } else { String::new() };
        let _ = writeln!(md, "Combinations with no rows ({}): {}{more}.\n", empty.count, names.join(", "));
    }

    let _ = writeln!(md, "### Outcomes by group\n");
    let level = format!("{}%", report.evidence.options.confidence * 100.0);
    let weighted = report.input.basis == "weighted";
    let rate_head = format!("{}election rate ({level} CI)", if weighted { "Weighted s" } else { "S" });
    let (n_head, selected_head) = if weighted { ("Rows", "Selected rows") } else { ("n", "Selected") };
    let mut head = vec!["Group", n_head, "Share", selected_head, rate_head.as_str(), "Ratio to reference"];
    if labelled {
        head.extend(["Base rate", "TPR", "FPR", "PPV", "Accuracy"]);
    }
    let _ = writeln!(md, "| {} |", head.join(" | "));
    let _ = writeln!(md, "|{}", " --- |".repeat(head.len()));
    let rows = a.groups.iter().map(|g| (g, false)).chain(std::iter::once((&a.overall, true)));
    for (g, is_overall) in rows {
        let m = |k: &str| g.metrics.get(k).cloned().unwrap_or(Value::Undefined(String::new()));
        let ratio = match (&g.disparity, g.is_reference) {
            (_, true) => "reference".to_string(),
            (Some(d), _) => num(d.ratio.get("selection_rate").unwrap_or(&Value::Undefined(String::new())), 2),
            (None, _) => "".to_string(),
        };
        let name = if is_overall { "**All rows**".to_string() } else { cell(&named(a, &g.group)) };
        let mut row = vec![
            name,
            g.counts.n.to_string(),
            pct(&m("share")),
            g.counts.selected.to_string(),
            with_interval(&m("selection_rate"), g.evidence.as_ref().and_then(|e| e.intervals.get("selection_rate"))),
            ratio,
        ];
        if labelled {
            row.extend([pct(&m("base_rate")), pct(&m("tpr")), pct(&m("fpr")), pct(&m("ppv")), pct(&m("accuracy"))]);
        }
        let _ = writeln!(md, "| {} |", row.join(" | "));
    }
    md.push('\n');

    let ff = &a.four_fifths;
    let _ = writeln!(md, "### Four-fifths check\n");
    let beneficial =
        if ff.beneficial_outcome == "selected" { "receiving the positive decision" } else { "not being selected" };
    let _ = writeln!(
        md,
        "Impact ratio = a group's rate of the beneficial outcome ({beneficial}) ÷ the rate of {}. Below {} is flagged.{}\n",
        ff.comparison_group.as_deref().map_or_else(|| "everyone else".to_string(), cell),
        ff.threshold,
        ff.harm_threshold.map(|h| format!(" Harm ratio = a group's rate of the harmful decision ÷ that rate; above {h} is flagged.")).unwrap_or_default()
    );
    let _ =
        writeln!(md, "| Group | Beneficial rate | Impact ratio | Below {} | Harmful rate | Harm ratio |", ff.threshold);
    let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- |");
    for g in &ff.groups {
        let flag = match g.below_threshold {
            // A group too small to judge is never shown as a finding.
            Some(true)
                if a.groups.iter().any(|x| x.group == g.group && x.counts.n < report.config.evidence.min_group) =>
            {
                "yes, but too few to judge"
            }
            Some(true) => "**yes**",
            Some(false) => "no",
            None => "—",
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {flag} | {} | {} |",
            cell(&named(a, &g.group)),
            pct(&g.beneficial_rate),
            num(&g.impact_ratio, 3),
            pct(&g.harmful_rate),
            num(&g.harm_ratio, 2)
        );
    }
    md.push('\n');
    if report.config.outcome == Direction::Harmful {
        let top = ff.comparison_group.as_deref().map_or_else(|| "everyone else".to_string(), str::to_string);
        {
            for g in ff.groups.iter().filter(|g| g.group != top && !crate::tally::names::is_missing_group(&g.group)) {
                if let Some(r) = g.harm_ratio.get() {
                    let _ = writeln!(
                        md,
                        "- {} received the harmful decision {r:.2} times as often as {}.",
                        cell(&named(a, &g.group)),
                        cell(&named(a, &top))
                    );
                }
            }
            md.push('\n');
        }
    }

    verdicts(md, report, a);
    reference_tests(md, report, a);

    let s = &a.summary;
    let _ = writeln!(md, "### Summary criteria (Fairlearn definitions, between groups)\n");
    let mut crit = vec![
        ("Demographic parity difference", &s.demographic_parity_difference),
        ("Demographic parity ratio", &s.demographic_parity_ratio),
    ];
    if labelled {
        crit.extend([
            ("Equalized odds difference", &s.equalized_odds_difference),
            ("Equalized odds ratio", &s.equalized_odds_ratio),
            ("Equal opportunity difference", &s.equal_opportunity_difference),
            ("Equal opportunity ratio", &s.equal_opportunity_ratio),
        ]);
    }
    for (title, c) in crit {
        let between = if c.groups.len() == 2 {
            format!(" (between {} and {})", cell(&c.groups[0]), cell(&c.groups[1]))
        } else {
            String::new()
        };
        let text = c.value.get().map_or_else(
            || format!("undefined: {}", c.value.reason().map(cell).unwrap_or_default()),
            |v| format!("{v:.4}{between}"),
        );
        let _ = writeln!(md, "- {title}: {text}");
    }
    md.push('\n');

    strata(md, report, a);
    indices(md, a);
    scores(md, a);

    let undefined: Vec<String> = a
        .groups
        .iter()
        .flat_map(|g| {
            g.metrics
                .0
                .iter()
                .filter_map(|(k, v)| v.reason().filter(|why| *why != crate::metrics::NO_LABEL).map(|why| (k, why)))
                .map(move |(k, why)| format!("- {} — {k}: {}", cell(&named(a, &g.group)), cell(why)))
        })
        .collect();
    if !undefined.is_empty() {
        let _ = writeln!(md, "### Figures that cannot be computed\n");
        for line in undefined {
            let _ = writeln!(md, "{line}");
        }
        md.push('\n');
    }
}

fn with_interval(v: &Value, interval: Option<&RateEstimate>) -> String {
    match (v.get(), interval) {
        (Some(x), Some(i)) => {
            format!("{:.1}% ({:.1}–{:.1})", x * 100.0, i.lower * 100.0, i.upper * 100.0)
        }
        _ => pct(v),
    }
}

fn figure(o: &Outcome<f64>, places: usize) -> String {
    match o {
        Outcome::Value(v) => format!("{v:.places$}"),
        Outcome::Undefined { undefined } => format!("undefined ({})", cell(undefined)),
    }
}

fn strata(md: &mut String, report: &Report, a: &AttributeReport) {
    if a.by_stratum.is_empty() {
        return;
    }
    let column = report.config.strata.as_deref().map(cell).unwrap_or_default();
    let _ = writeln!(md, "### Selection rate within each {column}\n");
    let strata: Vec<&String> = a.by_stratum.keys().collect();
    let head: Vec<String> = strata.iter().map(|s| cell(s)).collect();
    let _ = writeln!(md, "| Group | {} |", head.join(" | "));
    let _ = writeln!(md, "|{}", " --- |".repeat(strata.len() + 1));
    for g in &a.groups {
        let cells: Vec<String> = strata
            .iter()
            .map(|s| {
                a.by_stratum[*s].iter().find(|x| x.group == g.group).map_or_else(
                    || "—".to_string(),
                    |x| {
                        format!(
                            "{} (n = {})",
                            pct(x.metrics.get("selection_rate").unwrap_or(&Value::Undefined(String::new()))),
                            x.counts.n
                        )
                    },
                )
            })
            .collect();
        let _ = writeln!(md, "| {} | {} |", cell(&named(a, &g.group)), cells.join(" | "));
    }
    md.push('\n');
}

fn indices(md: &mut String, a: &AttributeReport) {
    let i = &a.indices;
    let _ = writeln!(md, "### Inequality and disparity indices (AIF360 definitions)\n");
    if let Some(Outcome::Value(ge)) = &i.generalized_entropy {
        let f = |x: &crate::inequality::Figure| match x {
            crate::inequality::Figure::Defined(v) => format!("{v:.4}"),
            crate::inequality::Figure::Undefined(why) => format!("undefined ({})", cell(why)),
        };
        let _ = writeln!(
            md,
            "- Generalized entropy (α = {}) of the benefit b = ŷ − y + 1: {} (between groups {}, within groups {})",
            ge.alpha,
            f(&ge.total),
            f(&ge.between_groups),
            f(&ge.within_groups)
        );
    }
    if let Some(t) = &i.theil_index {
        let _ = writeln!(md, "- Theil index: {}", figure(t, 4));
    }
    if let Some(c) = &i.coefficient_of_variation {
        let _ = writeln!(md, "- Coefficient of variation: {}", figure(c, 4));
    }
    match &i.differential_fairness {
        Outcome::Value(d) => {
            let _ = writeln!(
                md,
                "- Smoothed empirical differential fairness ε = {:.4} (largest between {} and {}, for {})",
                d.epsilon,
                cell(&d.most_disparate.higher),
                cell(&d.most_disparate.lower),
                match d.most_disparate.outcome {
                    crate::inequality::Outcome::Selected => "being selected",
                    crate::inequality::Outcome::NotSelected => "not being selected",
                }
            );
        }
        Outcome::Undefined { undefined } => {
            let _ = writeln!(md, "- Smoothed empirical differential fairness: undefined ({})", cell(undefined));
        }
    }
    if let Some(Outcome::Value(cdd)) = &i.conditional_demographic_disparity {
        let parts: Vec<String> = cdd
            .groups
            .iter()
            .map(|g| match &g.conditional_demographic_disparity {
                crate::inequality::Figure::Defined(v) => format!("{} {v:+.4}", cell(&named(a, &g.group))),
                crate::inequality::Figure::Undefined(_) => format!("{} undefined", cell(&named(a, &g.group))),
            })
            .collect();
        let _ = writeln!(md, "- Conditional demographic disparity (by stratum): {}", parts.join("; "));
    }
    md.push('\n');
}

fn scores(md: &mut String, a: &AttributeReport) {
    let Some(s) = &a.scores else { return };
    let _ = writeln!(md, "### Scores\n");
    let rates: Vec<(&str, Option<f64>, Option<f64>)> = match &s.scoring_rate {
        Outcome::Value(r) => {
            r.groups.iter().map(|g| (g.group.as_str(), g.scoring_rate.get(), g.impact_ratio.get())).collect()
        }
        Outcome::Undefined { .. } => Vec::new(),
    };
    let _ = writeln!(
        md,
        "| Group | Rows with a score | Mean score | AUC | Brier score | Scoring rate (LL144) | Impact ratio |"
    );
    let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- | --- |");
    for g in &s.groups {
        let rate = rates.iter().find(|r| r.0 == g.group);
        let opt = |v: Option<f64>, pct: bool| match v {
            Some(x) if pct => format!("{:.1}%", x * 100.0),
            Some(x) => format!("{x:.3}"),
            None => "—".into(),
        };
        let short = |o: &Outcome<f64>, places: usize| match o {
            Outcome::Value(v) => format!("{v:.places$}"),
            Outcome::Undefined { .. } => "—".into(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&named(a, &g.group)),
            g.rows,
            short(&g.mean_score, 3),
            short(&g.auc, 3),
            short(&g.brier_score, 4),
            opt(rate.and_then(|r| r.1), true),
            opt(rate.and_then(|r| r.2), false)
        );
    }
    md.push('\n');
    if let Outcome::Value(t) = &s.single_threshold {
        let at = t.threshold.map_or_else(|| "above every score".to_string(), |v| format!("{v}"));
        let _ = writeln!(
            md,
            "- What-if: one threshold for everyone with the lowest cost (FP cost {} × FN): {at}.",
            t.cost_ratio
        );
    }
    for (name, outcome) in &s.group_thresholds {
        if let Outcome::Value(g) = outcome {
            let each: Vec<String> = g
                .groups
                .iter()
                .map(|o| {
                    format!("{} {}", cell(&o.group), o.threshold.map_or_else(|| "none".to_string(), |v| format!("{v}")))
                })
                .collect();
            let allowed = g.tolerance.map_or_else(String::new, |t| format!(", {t} allowed"));
            let _ = writeln!(
                md,
                "- What-if, {}: per-group thresholds {} (remaining gap {:.3}{allowed}; errors {}).",
                name.replace('_', " "),
                each.join(", "),
                g.gap,
                g.total.fp + g.total.fn_
            );
        }
    }
    let _ = writeln!(md, "\nWhat-if thresholds show trade-offs in this data; they are not recommendations, and group-specific thresholds can be unlawful.\n");
}

/// p-values: three decimals, or two significant figures when tiny.
pub fn p_value(p: f64) -> String {
    if p >= 0.001 {
        format!("{p:.3}")
    } else {
        format!("{p:.1e}")
    }
}

fn ratio_ci<T: std::borrow::Borrow<RatioInterval>>(o: &Outcome<T>) -> String {
    match o.value().map(|r| r.borrow()) {
        Some(r) => {
            let point = match r.ratio {
                Estimate::Finite(v) => format!("{v:.2}"),
                Estimate::Infinite => "∞".into(),
                Estimate::Undefined(_) => "—".into(),
            };
            let upper = r.upper.map_or_else(|| "∞".to_string(), |u| format!("{u:.2}"));
            format!("{point} ({:.2}–{upper})", r.lower)
        }
        None => "—".into(),
    }
}

fn verdicts(md: &mut String, report: &Report, a: &AttributeReport) {
    let rows: Vec<(&str, u64, &AdverseImpact)> = a
        .groups
        .iter()
        .filter_map(|g| g.evidence.as_ref()?.adverse_impact.as_ref().map(|ai| (g.group.as_str(), g.counts.n, ai)))
        .collect();
    let Some((_, _, first)) = rows.first() else { return };
    let family = report.evidence.families.iter().find(|f| f.name == first.family);
    let _ = writeln!(
        md,
        "### Verdicts
"
    );
    let _ = writeln!(
        md,
        "Each group against {} on the decision: impact ratio with its interval at the family's level ({}%), Fisher's exact test with p-values adjusted ({}) across the {} tests of this attribute's family, and how many more people would need the beneficial outcome to cross no line or to match the comparison group's rate.\n",
        cell(&named(a, &first.compared_with)),
        family.map_or(report.evidence.options.confidence, |f| f.interval_confidence) * 100.0,
        match report.evidence.options.adjust {
            Adjustment::Holm => "Holm",
            Adjustment::Bh => "Benjamini–Hochberg",
            Adjustment::None => "not adjusted",
        },
        family.map_or(0, |f| f.tests)
    );
    let _ = writeln!(
        md,
        "| Group | n | Impact ratio (CI) | p (adjusted) | Shortfall to line | Shortfall to reference | Finding changes if | Verdict |"
    );
    let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (name, n, ai) in &rows {
        let count = |v: Option<u64>| v.map_or_else(|| "—".to_string(), |v| v.to_string());
        let _ = writeln!(
            md,
            "| {} | {n} | {} | {} | {} | {} | {} | {} |",
            cell(&named(a, name)),
            ratio_ci(&ai.impact_ratio),
            ai.p_value.as_ref().map_or_else(|| "—".to_string(), |p| p_value(p.adjusted)),
            count(ai.shortfall_to_threshold),
            count(ai.shortfall_to_reference),
            if ai.verdict == Verdict::ComparisonGroup { "—".to_string() } else { flips(ai) },
            verdict_text(ai.verdict)
        );
    }
    md.push('\n');
    for (name, _, ai) in &rows {
        let _ = writeln!(md, "- **{}** — {}: {}", cell(&named(a, name)), verdict_text(ai.verdict), cell(&ai.reason));
    }
    md.push('\n');
}

/// Which finding a one- or two-person change would overturn.
fn flips(ai: &AdverseImpact) -> String {
    if ai.group_decisions.effective_size.is_some() {
        return "not checked with weights".to_string();
    }
    let people = |k: u8| if k == 1 { "1 person differs".to_string() } else { format!("{k} people differ") };
    let mut parts = Vec::new();
    if let Some(k) = ai.threshold_changes_with {
        parts.push(format!("line: {}", people(k)));
    }
    if let Some(k) = ai.significance_changes_with {
        parts.push(format!("significance: {}", people(k)));
    }
    if parts.is_empty() {
        "neither, with 1 or 2 people".to_string()
    } else {
        parts.join("; ")
    }
}

/// How the Markdown words a verdict, e.g. "gap to examine".
pub fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::AdverseImpactIndicated => "adverse impact indicated",
        Verdict::PossibleAdverseImpact => "possible adverse impact",
        Verdict::NoAdverseImpactIndicated => "within the lines",
        Verdict::GapWithinThreshold => "gap to examine",
        Verdict::InsufficientEvidence => "not enough evidence either way",
        Verdict::InsufficientData => "too few to judge",
        Verdict::ComparisonGroup => "comparison group",
    }
}

fn reference_tests(md: &mut String, report: &Report, a: &AttributeReport) {
    let rows: Vec<(&str, &str, &Comparison)> = a
        .groups
        .iter()
        .filter_map(|g| g.evidence.as_ref().map(|e| (g.group.as_str(), e)))
        .flat_map(|(name, e)| {
            TESTED_RATES.iter().filter_map(move |r| e.vs_reference.get(r.key()).map(|c| (name, r.key(), c)))
        })
        .collect();
    if rows.is_empty() && a.chi_squared.is_empty() {
        return;
    }
    let _ = writeln!(md, "### Tests against the reference\n");
    if !rows.is_empty() {
        let _ =
            writeln!(md, "| Group | Rate | Ratio (CI) | Difference (CI) | z-test p | Fisher p | Fisher p (adjusted) |");
        let _ = writeln!(md, "| --- | --- | --- | --- | --- | --- | --- |");
        for (name, rate, c) in rows {
            let diff = c.difference.value().map_or_else(
                || "—".to_string(),
                |d| format!("{:+.1} ({:+.1} to {:+.1}) pts", d.estimate * 100.0, d.lower * 100.0, d.upper * 100.0),
            );
            let _ = writeln!(
                md,
                "| {} | {} | {} | {diff} | {} | {} | {} |",
                cell(&named(a, name)),
                rate.replace('_', " "),
                ratio_ci(&c.ratio),
                c.z_test.value().map_or_else(|| "—".to_string(), |z| p_value(z.p_value)),
                c.fisher.value().map_or_else(|| "—".to_string(), |f| p_value(f.p_value)),
                c.p_value.as_ref().map_or_else(|| "—".to_string(), |p| p_value(p.adjusted)),
            );
        }
        md.push('\n');
    }
    for (rate, test) in &a.chi_squared {
        let text = match test.value() {
            Some(t) => format!("χ² = {:.2}, df = {}, p = {}", t.statistic, t.dof, p_value(t.p_value)),
            None => "not computable".to_string(),
        };
        let _ = writeln!(md, "- Chi-squared test of independence across groups, {}: {text}", rate.replace('_', " "));
    }
    md.push('\n');
    if !a.stratified.is_empty() {
        let _ = writeln!(md, "### Stratified by {}\n", report.config.strata.as_deref().map(cell).unwrap_or_default());
        let _ = writeln!(md, "| Group | CMH χ² | CMH p | Common odds ratio (CI) | Breslow–Day p |");
        let _ = writeln!(md, "| --- | --- | --- | --- | --- |");
        for (name, s) in &a.stratified {
            let or = s.common_odds_ratio.value().map_or_else(
                || "—".to_string(),
                |o| match (o.odds_ratio, o.ci) {
                    (Estimate::Finite(v), Some((lo, hi))) => format!("{v:.2} ({lo:.2}–{hi:.2})"),
                    (Estimate::Finite(v), None) => format!("{v:.2}"),
                    _ => "—".to_string(),
                },
            );
            let _ = writeln!(
                md,
                "| {} | {} | {} | {or} | {} |",
                cell(&named(a, name)),
                s.cmh.value().map_or_else(|| "—".to_string(), |c| format!("{:.2}", c.statistic)),
                s.cmh.value().map_or_else(|| "—".to_string(), |c| p_value(c.p_value)),
                s.breslow_day.value().map_or_else(|| "—".to_string(), |b| p_value(b.p_value)),
            );
        }
        md.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_inert() {
        assert_eq!(cell("<script>alert(1)</script>"), "\\<script\\>alert(1)\\</script\\>");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("a|b\nc"), "a\\|b\\u{a}c");
        assert_eq!(cell("\u{202E}abc"), "\\u{202e}abc");
        assert_eq!(cell("see http://x.example or www.x.example"), "see http\\://x.example or www\\.x.example");
        assert_eq!(cell("&amp; & co"), "\\&amp; & co");
        assert_eq!(cell("costs $5 and $10; $5"), "costs \\$5 and \\$10; \\$5");
        assert_eq!(cell("ends with #"), "ends with \\#");
        assert_eq!(cell("C# and _x_ and single_parent"), "C# and \\_x\\_ and single_parent");
    }

    #[test]
    fn prose_keeps_no_backslashes() {
        let prose = "Non-EU (nationality) were given the decision 31.5% of the time against 9.3% for British: 3.39 times as often (range 2.81 to 4.07). Adverse impact indicated.";
        assert_eq!(cell(prose), prose);
    }
}
