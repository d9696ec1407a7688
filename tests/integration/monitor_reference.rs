//! `biasaudit monitor`: a new file against the board's review, on a split of
//! the fraud sample whose later half drifts (one in ten unflagged women
//! flagged), checked against scipy/statsmodels
//! (tests/fixtures/monitor/make_monitor.py), with alerts, new and vanished
//! groups, new decision values and the CLI's exit status.

use biasaudit::report::monitor::{self, AlertLevel, Baseline, MonitorFigure, MonitorReport};
use biasaudit::{audit_bytes, AuditConfig, ErrorCode};
use serde_json::{json, Value as Json};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/monitor").join(name)
}

/// The header and the first 2,500 rows of the fraud sample: what the board reviewed.
fn reviewed_csv() -> String {
    let text = std::fs::read_to_string(root().join("examples/data/fraud_flags.csv")).expect("fraud sample");
    text.lines().take(2501).map(|l| format!("{l}\n")).collect()
}

fn later_csv() -> String {
    std::fs::read_to_string(fixture("fraud_later.csv")).expect("later file")
}

fn config(rest_negative: bool) -> AuditConfig {
    serde_json::from_value(json!({
        "groups": ["nationality", "sex"],
        "decision": {"column": "flagged", "positive": ["1"], "rest_negative": rest_negative},
        "outcome": "harmful"
    }))
    .expect("config")
}

/// The review file the page saves, holding the reviewed report and the board's rules.
fn review_file(rules: Json, rest_negative: bool) -> Json {
    let report = audit_bytes(config(rest_negative), reviewed_csv().as_bytes()).expect("reviewed audit");
    json!({
        "format": "biasaudit-review", "format_version": 1, "id": "0123456789abcdef",
        "dataset": {"name": "fraud_flags_2025H1.csv"},
        "report": serde_json::to_value(report).expect("json"),
        "monitoring": {"rules": rules}
    })
}

fn run(review: &Json, csv: &str) -> biasaudit::error::Result<MonitorReport> {
    let baseline = Baseline::from_json(review)?;
    let report = audit_bytes(baseline.config.clone(), csv.as_bytes())?;
    monitor::compare(&baseline, report)
}

fn board_rules() -> Json {
    json!([
        {"figure": "harm_ratio", "attribute": "nationality", "threshold": 1.25, "notify": "Equality lead"},
        {"figure": "rate_change", "attribute": "sex", "threshold": 0.03, "notify": "Head of counter-fraud"}
    ])
}

#[test]
fn the_changes_match_scipy_and_statsmodels_and_the_board_is_alerted() {
    let expected: Json =
        serde_json::from_str(&std::fs::read_to_string(fixture("monitor_expected.json")).expect("fixture"))
            .expect("json");
    let m = run(&review_file(board_rules(), false), &later_csv()).expect("monitor");
    let close = |what: &str, got: f64, want: f64| {
        assert!((got - want).abs() <= 1e-9 * want.abs().max(1e-12) + 1e-12, "{what}: {got} against {want}")
    };
    for a in &m.attributes {
        let want = &expected["attributes"][&a.column];
        close(
            &format!("{} level", a.column),
            a.changes_family.interval_confidence,
            want["interval_confidence"].as_f64().unwrap(),
        );
        let want_groups = want["groups"].as_array().expect("groups");
        assert_eq!(a.groups.len(), want_groups.len(), "{}", a.column);
        for w in want_groups {
            let g = a.groups.iter().find(|g| g.group == w["group"].as_str().unwrap()).expect("group");
            let what = format!("{} {}", a.column, g.group);
            assert_eq!(
                [g.reviewed.selected, g.reviewed.n],
                [w["reviewed"][0].as_u64().unwrap(), w["reviewed"][1].as_u64().unwrap()],
                "{what}"
            );
            assert_eq!(
                [g.now.selected, g.now.n],
                [w["now"][0].as_u64().unwrap(), w["now"][1].as_u64().unwrap()],
                "{what}"
            );
            let d = g.change.value().expect("change");
            close(&format!("{what} change"), d.estimate, w["change"].as_f64().unwrap());
            close(&format!("{what} lower"), d.lower, w["lower"].as_f64().unwrap());
            close(&format!("{what} upper"), d.upper, w["upper"].as_f64().unwrap());
            close(&format!("{what} p"), *g.p_value.value().expect("p"), w["p_value"].as_f64().unwrap());
            close(&format!("{what} adjusted p"), g.adjusted_p.expect("adjusted"), w["adjusted_p"].as_f64().unwrap());
        }
    }
    // The women's flagged rate rose by 8.3 points (5.0 to 11.7): clearly beyond ±3.
    let female = m.alerts.iter().find(|a| a.group == "Female").expect("an alert for women");
    assert_eq!((female.level, female.figure, female.rule), (AlertLevel::Alert, MonitorFigure::RateChange, 1));
    assert_eq!(female.notify, "Head of counter-fraud");
    assert!(female.sentence.contains("+8.3 points (+5.0 points to +11.7 points)"), "{}", female.sentence);
    assert!(!m.alerts.iter().any(|a| a.group == "Male"), "men's rate barely moved: {:?}", m.alerts);
    // EU and non-EU claimants are flagged over 2.2 times as often as British ones, clearly above 1.25.
    for group in ["EU", "Non-EU"] {
        let a = m.alerts.iter().find(|a| a.group == group).expect("harm-ratio alert");
        assert_eq!((a.level, a.figure), (AlertLevel::Alert, MonitorFigure::HarmRatio));
        assert!(a.value.is_some_and(|v| v > 2.0), "{a:?}");
        assert!(a.sentence.contains("whole range lies above the board's line of 1.25"), "{}", a.sentence);
    }
    assert_eq!(m.alerts.len(), 3, "{:?}", m.alerts);
    assert!(m.alerted());
    assert_eq!(m.summary[0], "3 alerts: a line the board set is clearly crossed.");
    assert_eq!(m.baseline.review_id.as_deref(), Some("0123456789abcdef"));
    assert_eq!(m.baseline.file.as_deref(), Some("fraud_flags_2025H1.csv"));
    assert_eq!((m.baseline.rows, m.rows), (2500, 2500));
    assert!(!m.default_rules);
    let md = biasaudit::markdown::render_monitor(&m);
    assert!(md.starts_with("# Monitoring report\n\n- 3 alerts"), "{}", &md[..200]);
    assert!(md.contains("| Female | 14.8% (13.0–16.8%), n = 1359 | 23.1%"), "{md}");
    assert!(md.contains("# The new file's audit in full"));
}

#[test]
fn a_line_crossed_within_its_range_is_a_watch_not_an_alert() {
    let expected: Json =
        serde_json::from_str(&std::fs::read_to_string(fixture("monitor_expected.json")).expect("fixture"))
            .expect("json");
    let female = &expected["attributes"]["sex"]["groups"][0];
    // A line between the range's lower end and the change itself.
    let line = (female["lower"].as_f64().unwrap() + female["change"].as_f64().unwrap()) / 2.0;
    let m = run(
        &review_file(json!([{"figure": "rate_change", "attribute": "sex", "threshold": line}]), false),
        &later_csv(),
    )
    .expect("monitor");
    assert_eq!(m.alerts.len(), 1, "{:?}", m.alerts);
    assert_eq!(m.alerts[0].level, AlertLevel::Watch);
    assert!(
        m.alerts[0].sentence.contains("may") || m.alerts[0].sentence.contains("reaches over"),
        "{}",
        m.alerts[0].sentence
    );
    assert!(!m.alerted());
    assert!(m.summary[0].starts_with("No alert, but 1 figure to watch"), "{}", m.summary[0]);
}

#[test]
fn without_rules_the_engines_verdict_is_the_rule_and_a_bare_report_is_a_baseline() {
    let report = audit_bytes(config(false), reviewed_csv().as_bytes()).expect("reviewed");
    let m = run(&serde_json::to_value(report).expect("json"), &later_csv()).expect("monitor");
    assert!(m.default_rules);
    assert_eq!(m.rules.len(), 1);
    let mut groups: Vec<(&str, AlertLevel)> = m.alerts.iter().map(|a| (a.group.as_str(), a.level)).collect();
    groups.sort_by_key(|(g, _)| *g);
    assert_eq!(groups, [("EU", AlertLevel::Alert), ("Non-EU", AlertLevel::Alert)]);
    assert!(
        m.alerts.iter().all(|a| a.sentence.ends_with("adverse impact is indicated (as at the review).")),
        "{:?}",
        m.alerts
    );
    assert_eq!(m.baseline.review_id, None);
}

#[test]
fn new_and_vanished_groups_are_listed() {
    let renamed = later_csv().replace(",EU,", ",European,");
    let m = run(&review_file(json!([]), false), &renamed).expect("monitor");
    let nationality = m.attributes.iter().find(|a| a.column == "nationality").expect("nationality");
    let names = |list: &[monitor::GroupCount]| list.iter().map(|g| (g.group.clone(), g.n)).collect::<Vec<_>>();
    assert_eq!(names(&nationality.new_groups), [("European".to_string(), 247)]);
    assert_eq!(names(&nationality.vanished_groups), [("EU".to_string(), 251)]);
    assert!(
        m.summary.contains(&"New in nationality since the review: European (247 rows).".to_string()),
        "{:?}",
        m.summary
    );
    assert!(m.summary.contains(&"No longer in nationality: EU (251 rows).".to_string()), "{:?}", m.summary);
    // The new group is still judged by the verdict rule.
    assert!(
        m.alerts.iter().any(|a| a.group == "European" && a.sentence.contains("was not in the reviewed file")),
        "{:?}",
        m.alerts
    );
}

#[test]
fn a_new_kind_of_decision_or_a_missing_column_is_an_error_naming_it() {
    // The second data row's flagged value 0 becomes 2.
    let later = later_csv();
    let mut lines: Vec<String> = later.lines().map(str::to_string).collect();
    let cells: Vec<&str> = lines[1].split(',').collect();
    let mut changed: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    changed[7] = "2".into();
    lines[1] = changed.join(",");
    let odd = lines.join("\n") + "\n";
    // Without rest_negative the audit itself refuses the value.
    let e = run(&review_file(json!([]), false), &odd).expect_err("unexpected value");
    assert_eq!(e.code, ErrorCode::DataUnexpectedValue);
    assert!(e.to_string().contains("\"2\""), "{e}");
    // With rest_negative the review counted every other value as not flagged; a value it never saw is refused.
    let e = run(&review_file(json!([]), true), &odd).expect_err("new value");
    assert_eq!(e.code, ErrorCode::DataUnexpectedValue);
    assert_eq!(e.location.column.as_deref(), Some("flagged"));
    assert!(e.message.contains("now holds \"2\", which the reviewed file did not (it held \"1\", \"0\")"), "{e}");
    // A column of the review's settings that the new file lacks.
    let without_sex: String = later
        .lines()
        .map(|l| {
            let mut c: Vec<&str> = l.split(',').collect();
            c.remove(2);
            c.join(",") + "\n"
        })
        .collect();
    let e = run(&review_file(json!([]), false), &without_sex).expect_err("missing column");
    assert_eq!(e.code, ErrorCode::ConfigUnknownColumn);
    assert!(e.to_string().contains("sex"), "{e}");
}

#[test]
fn rules_that_cannot_be_checked_are_refused() {
    let later = later_csv();
    let e = run(&review_file(json!([{"figure": "rate_change", "threshold": 5}]), false), &later).expect_err("5");
    assert!(
        e.message.starts_with(
            "monitoring rule 1: a change in selection rate needs a line above 0 and below 100 percentage points"
        ),
        "{e}"
    );
    assert_eq!(e.field.as_deref(), Some("monitoring.rules[0].threshold"));
    // Every problem at once, each at its field, for the page's form.
    let rules: Vec<monitor::MonitorRule> = serde_json::from_value(json!([
        {"figure": "harm_ratio", "attribute": "age", "threshold": 0}, {"figure": "verdict"}, {"figure": "rate_change"}
    ]))
    .expect("rules");
    let fields: Vec<String> = monitor::rule_problems(&rules, &["sex", "nationality"], true)
        .into_iter()
        .filter_map(|e| e.field.map(String::from))
        .collect();
    assert_eq!(
        fields,
        ["monitoring.rules[0].attribute", "monitoring.rules[0].threshold", "monitoring.rules[2].threshold"]
    );
    let e = run(&review_file(json!([{"figure": "verdict"}, {"figure": "verdict", "attribute": "age"}]), false), &later)
        .expect_err("age");
    assert!(e.message.contains("monitoring rule 2: the characteristic \"age\" is not one the review audited"), "{e}");
    let e = run(&review_file(json!([{"figure": "impact_ratio"}]), false), &later).expect_err("no line");
    assert!(e.message.contains("the impact ratio needs a line above 0"), "{e}");
    let e = Baseline::from_json(&json!({"format": "biasaudit-review", "report": null})).expect_err("no report");
    assert!(e.message.contains("holds no results"), "{e}");
}

#[test]
fn the_command_line_exits_with_3_on_an_alert() {
    let dir = std::env::temp_dir().join(format!("biasaudit-monitor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let review = dir.join("review.json");
    std::fs::write(&review, serde_json::to_string(&review_file(json!([]), false)).expect("json")).expect("write");
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
            .arg("monitor")
            .arg("--baseline")
            .arg(&review)
            .arg(fixture("fraud_later.csv"))
            .args(args)
            .output()
            .expect("run the CLI")
    };
    // The review's verdict rule: EU and non-EU flagged far more often.
    let out = cli(&[]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let m: Json = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(m["alerts"].as_array().map(Vec::len), Some(2));
    // Only a line the data does not cross (it takes the place of the default rule): status 0.
    let out = cli(&["--rule", "harm_ratio=10@nationality", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# Monitoring report\n\n- No monitoring rule fired"));
    let out = cli(&["--rule", "nonsense=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"nonsense\" is not one of verdict"));
}

#[test]
fn the_new_file_must_be_audited_with_the_reviews_settings() {
    let baseline = Baseline::from_json(&review_file(json!([]), false)).expect("baseline");
    let mut other = baseline.config.clone();
    other.evidence.min_group = 5;
    let report = audit_bytes(other, later_csv().as_bytes()).expect("audit");
    let e = monitor::compare(&baseline, report).expect_err("other settings");
    assert_eq!(e.code, ErrorCode::ConfigConflict);
    // A period column may be added.
    let mut dated = baseline.config.clone();
    dated.period = Some(biasaudit::config::PeriodColumn {
        column: "region".into(),
        unit: biasaudit::config::PeriodUnit::AsGiven,
        date_order: Default::default(),
        baseline: None,
    });
    let report = audit_bytes(dated, later_csv().as_bytes()).expect("audit");
    let m = monitor::compare(&baseline, report).expect("a period column is allowed");
    assert!(m.covered.is_some_and(|c| c.contains(" to ")));
}

#[test]
fn the_new_file_is_compared_with_the_reviews_comparison_groups() {
    // Without 400 of the women, men are the larger group in the new file.
    let later = later_csv();
    let sex = later.lines().next().and_then(|h| h.split(',').position(|c| c == "sex")).expect("sex column");
    let mut women = 0;
    let fewer: String = later
        .lines()
        .filter(|line| {
            let female = line.split(',').nth(sex) == Some("Female");
            women += usize::from(female);
            !(female && women <= 400)
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let alone = audit_bytes(config(false), fewer.as_bytes()).expect("the file on its own");
    let largest = alone.attributes.iter().find(|a| a.column == "sex").and_then(|a| a.reference.group.clone());
    assert_eq!(largest.as_deref(), Some("Male"), "on its own the largest group is men");
    let m = run(&review_file(json!([]), false), &fewer).expect("monitor");
    let by_sex = m.attributes.iter().find(|a| a.column == "sex").expect("sex");
    assert_eq!(by_sex.compared_with.as_deref(), Some("Female"));
    assert_eq!(by_sex.reviewed_compared_with.as_deref(), Some("Female"));
    assert_eq!(m.report.config.references.get("sex").map(String::as_str), Some("Female"));
    assert_eq!(m.report.config.references.get("nationality").map(String::as_str), Some("British"));
    // Men's harm ratio is still against women.
    let male = by_sex.groups.iter().find(|g| g.group == "Male").expect("men");
    let ratio = male.now.harm_ratio.as_ref().and_then(|r| r.value()).expect("a harm ratio");
    let biasaudit::stats::Estimate::Finite(got) = ratio.ratio else { panic!("{ratio:?}") };
    let women_now = by_sex.groups.iter().find(|g| g.group == "Female").expect("women").now.clone();
    let want = (137.0 / 1138.0) / (women_now.selected as f64 / women_now.n as f64);
    assert_eq!(women_now.n, 1362 - 400);
    assert!((got - want).abs() < 1e-12, "{got} against {want}");
    // A comparison group for an attribute that is not audited is refused.
    let mut bad = config(false);
    bad.references.insert("age".into(), "30".into());
    let e = audit_bytes(bad, fewer.as_bytes()).expect_err("age is not audited");
    assert!(e.message.contains("a comparison group is given for \"age\", which is not an audited attribute"), "{e}");
}

#[test]
fn a_period_without_the_reviews_comparison_group_is_not_compared_rather_than_an_error() {
    let config = |period: bool| -> AuditConfig {
        let mut c: AuditConfig = serde_json::from_value(json!({
            "groups": ["sex"], "decision": {"column": "flagged", "positive": ["1"], "negative": ["0"]}, "outcome": "harmful"
        }))
        .expect("config");
        if period {
            c.period = serde_json::from_value(json!({"column": "month", "unit": "as_given"})).expect("period");
        }
        c
    };
    let rows = |spec: &[(&str, &str, usize, usize)]| -> String {
        let mut out = String::from("sex,flagged,month\n");
        for &(sex, month, flagged, n) in spec {
            for i in 0..n {
                out.push_str(&format!("{sex},{},{month}\n", u8::from(i < flagged)));
            }
        }
        out
    };
    // Reviewed: more women than men, so women are the comparison group.
    let reviewed =
        audit_bytes(config(false), rows(&[("F", "m1", 10, 60), ("M", "m1", 10, 40)]).as_bytes()).expect("review");
    let review = json!({"format": "biasaudit-review", "format_version": 1, "report": serde_json::to_value(reviewed).expect("json")});
    let baseline = Baseline::from_json(&review).expect("baseline");
    let mut settings = baseline.config.clone();
    settings.period = config(true).period;
    // In the new file, February has only men.
    let later = rows(&[("F", "2025-01", 10, 60), ("M", "2025-01", 10, 40), ("M", "2025-02", 20, 40)]);
    let report = audit_bytes(settings, later.as_bytes()).expect("a month without women still audits");
    let periods = report.periods.as_ref().expect("periods");
    let february = periods.attributes[0].periods.iter().find(|p| p.period == "2025-02").expect("February");
    assert_eq!(february.not_compared.as_deref(), Some("the comparison group \"F\" has no one in this period"));
    assert_eq!(february.compared_with, None);
    let january = periods.attributes[0].periods.iter().find(|p| p.period == "2025-01").expect("January");
    assert_eq!(january.compared_with.as_deref(), Some("F"));
    monitor::compare(&baseline, report).expect("monitor");
}

#[test]
fn a_handful_of_people_cannot_raise_an_alert_and_lines_must_be_ones_the_figure_can_cross() {
    let csv = |spec: &[(&str, usize, usize)]| -> String {
        let mut out = String::from("group,flagged\n");
        for &(group, flagged, n) in spec {
            for i in 0..n {
                out.push_str(&format!("{group},{}\n", u8::from(i < flagged)));
            }
        }
        out
    };
    let config: AuditConfig = serde_json::from_value(json!({
        "groups": ["group"], "decision": {"column": "flagged", "positive": ["1"], "negative": ["0"]}, "outcome": "harmful"
    }))
    .expect("config");
    let reviewed = audit_bytes(config, csv(&[("A", 20, 200), ("B", 0, 6)]).as_bytes()).expect("review");
    let review = |rules: Json| json!({"format": "biasaudit-review", "format_version": 1, "report": serde_json::to_value(&reviewed).expect("json"), "monitoring": {"rules": rules}});
    // B goes from 0 of 6 to 4 of 4: +100 points, but four people are too few to judge.
    let later = csv(&[("A", 20, 200), ("B", 4, 4)]);
    let m = run(&review(json!([{"figure": "rate_change", "threshold": 0.05}])), &later).expect("monitor");
    let b = m.alerts.iter().find(|a| a.group == "B").expect("a watch for B");
    assert_eq!(b.level, AlertLevel::Watch, "{b:?}");
    assert!(b.sentence.contains("too few to judge now (4 in it), so this is a watch, not an alert"), "{}", b.sentence);
    assert!(!m.alerted());
    // With no lines, the verdicts are the rule, and a quiet result says so.
    let m = run(&review(json!([])), &csv(&[("A", 20, 200), ("B", 1, 10)])).expect("monitor");
    assert!(m.default_rules && m.alerts.is_empty(), "{:?}", m.alerts);
    assert!(
        m.summary[0].starts_with("No alert: the board set no lines, and the check's verdicts find no adverse impact"),
        "{}",
        m.summary[0]
    );
    // A line of 80 is a percentage typed as a ratio; 0.8 on a harm ratio could never be crossed upwards.
    let rules: Vec<monitor::MonitorRule> = serde_json::from_value(json!([
        {"figure": "impact_ratio", "threshold": 80}, {"figure": "harm_ratio", "threshold": 0.8}, {"figure": "harm_ratio", "threshold": 1.25}
    ]))
    .expect("rules");
    let messages: Vec<String> =
        monitor::rule_problems(&rules, &["group"], true).into_iter().map(|e| e.message).collect();
    assert_eq!(
        messages,
        [
            "monitoring rule 1: the impact ratio needs a line above 0 and at most 1, like 0.8",
            "monitoring rule 2: the harm ratio needs a line of at least 1, like 1.25"
        ]
    );
    // A harm ratio is not formed for a decision that helps the person.
    let beneficial = monitor::rule_problems(&rules[2..], &["group"], false);
    assert_eq!(beneficial[0].field.as_deref(), Some("monitoring.rules[0].figure"));
    assert!(
        beneficial[0].message.contains("only formed when the decision harms the person"),
        "{}",
        beneficial[0].message
    );
}
