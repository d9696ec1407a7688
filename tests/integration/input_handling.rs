//! How the audit treats missing, odd and wrong input: every case either
//! gives a correct, hand-checked result or an error that says where.

use biasaudit::error::ErrorCode;
use biasaudit::report::AttributeReport;
use biasaudit::{audit_bytes, AuditConfig, Direction, OutcomeColumn, Reference, Report};

fn config(positive: &[&str]) -> AuditConfig {
    AuditConfig::new(
        vec!["g".into()],
        OutcomeColumn {
            column: "d".into(),
            positive: positive.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    )
}

fn labelled(positive: &[&str]) -> AuditConfig {
    let mut c = config(positive);
    c.label = Some(OutcomeColumn { column: "y".into(), positive: vec!["1".into()], ..Default::default() });
    c
}

fn attr(report: &Report) -> &AttributeReport {
    &report.attributes[0]
}

fn metric(report: &Report, group: &str, key: &str) -> Option<f64> {
    let g = attr(report).groups.iter().find(|g| g.group == group).expect("group");
    g.metrics.get(key).and_then(|v| v.get())
}

fn error(config: AuditConfig, csv: &str) -> String {
    audit_bytes(config, csv.as_bytes()).expect_err("should fail").to_string()
}

#[test]
fn missing_attribute_values_form_a_visible_group() {
    let csv = "g,d\nA,1\n,1\nNA,0\nnull,1\nB,0\n N/A ,0\nNaN,1\n";
    // One row a group: summaries over groups this small need min_group 0.
    let mut c = config(&["1"]);
    c.evidence.min_group = 0;
    let report = audit_bytes(c, csv.as_bytes()).expect("report");
    let missing = attr(&report).groups.iter().find(|g| g.group == "(missing)").expect("missing group");
    assert!(missing.is_missing);
    assert_eq!(missing.counts.n, 5);
    assert_eq!(missing.counts.selected, 3);
    // It is compared with the reference but never chosen as one, nor summarised.
    assert_eq!(attr(&report).reference.group.as_deref(), Some("A"));
    assert!(missing.disparity.is_some());
    let left_out = &attr(&report).summary.groups_left_out;
    assert!(left_out.iter().any(|l| l.group == "(missing)"));
    // Between A (1.0) and B (0.0) only.
    assert_eq!(attr(&report).summary.demographic_parity_difference.value.get(), Some(1.0));
    assert!(report.notes.iter().any(|n| n.contains("(missing)")));
}

#[test]
fn rows_without_a_decision_or_label_are_excluded_and_counted() {
    let csv = "g,d,y\nA,yes,1\nA,,1\nA,NA,0\nB,no,\nB,yes,0\nB,no,1\n";
    let report = audit_bytes(labelled(&["yes"]), csv.as_bytes()).expect("report");
    assert_eq!(report.input.rows_read, 6);
    assert_eq!(report.input.rows_used, 3);
    assert_eq!(report.input.rows_excluded, 3);
    let reasons: Vec<(String, u64)> = report
        .input
        .exclusions
        .iter()
        .map(|e| (serde_json::to_value(e.reason).expect("json").as_str().unwrap_or("").to_string(), e.rows))
        .collect();
    assert_eq!(reasons, vec![("decision_missing".to_string(), 2), ("label_missing".to_string(), 1)]);
}

#[test]
fn unexpected_decision_value_names_row_column_and_value() {
    let e = audit_bytes(config(&["yes"]), b"g,d\nA,yes\nB,no\nB,maybe\n").expect_err("should fail");
    assert_eq!(
        e.to_string(),
        "line 4 (record 3), column \"d\": value \"maybe\" is neither positive (\"yes\") nor a recognised negative: \
         name the other decision values that count as negative, or count every other value as negative"
    );
    assert_eq!(e.code, ErrorCode::DataUnexpectedValue);
    assert_eq!((e.field.as_deref(), e.value.as_deref()), (Some("decision"), Some("maybe")));
    let mut rest = config(&["yes"]);
    rest.decision.rest_negative = true;
    let report = audit_bytes(rest, b"g,d\nA,yes\nB,no\nB,maybe\n").expect("report");
    assert_eq!(metric(&report, "B", "selection_rate"), Some(0.0));
}

#[test]
fn label_errors_point_at_the_label_column() {
    let e = audit_bytes(labelled(&["yes"]), b"g,d,y\nA,yes,1\nA,no,2\n").expect_err("should fail");
    assert!(e.to_string().starts_with("line 3 (record 2), column \"y\": value \"2\""), "{e}");
    assert_eq!(
        (e.code, e.field.as_deref(), e.value.as_deref()),
        (ErrorCode::DataUnexpectedValue, Some("label"), Some("2"))
    );
}

/// The engine names settings by their config field; the CLI adds its own flags.
#[test]
fn the_command_line_words_errors_with_its_flags() {
    let dir = std::env::temp_dir().join(format!("biasaudit-cli-words-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("d.csv");
    std::fs::write(&file, "g,d,y\nA,yes,1\nB,maybe,2\n").expect("write");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
            .arg("audit")
            .arg(&file)
            .args(args)
            .output()
            .expect("run the CLI");
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let decision = run(&["--group", "g", "--decision", "d", "--positive", "yes"]);
    assert!(decision.ends_with("(--negative maybe, or --rest-negative)\n"), "{decision}");
    let label = run(&[
        "--group",
        "g",
        "--decision",
        "d",
        "--positive",
        "yes",
        "--rest-negative",
        "--label",
        "y",
        "--label-positive",
        "1",
    ]);
    assert!(label.ends_with("(--label-negative 2, or --label-rest-negative)\n"), "{label}");
    let confidence = run(&["--group", "g", "--decision", "d", "--positive", "yes", "--confidence", "0.4"]);
    assert!(
        confidence.contains("confidence level must be between 0.5 and 1") && confidence.ends_with("(--confidence)\n"),
        "{confidence}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn every_config_problem_is_listed_with_its_code_and_field() {
    let mut c = config(&[]);
    c.groups = vec!["g".into(), "g".into()];
    c.evidence.confidence = 0.3;
    c.four_fifths_threshold = 1.5;
    c.bins.insert("age".into(), biasaudit::config::Binning::Quantiles(1));
    let problems: Vec<(ErrorCode, String)> =
        c.problems().into_iter().map(|e| (e.code, e.field.unwrap_or_default().into())).collect();
    assert_eq!(
        problems,
        vec![
            (ErrorCode::ConfigConflict, "groups[1]".to_string()),
            (ErrorCode::ConfigConflict, "bins.age".to_string()),
            (ErrorCode::ConfigOutOfRange, "bins.age.quantiles".to_string()),
            (ErrorCode::ConfigMissing, "decision.positive".to_string()),
            (ErrorCode::ConfigOutOfRange, "four_fifths_threshold".to_string()),
            (ErrorCode::ConfigOutOfRange, "evidence.confidence".to_string()),
        ]
    );
    // validate() gives the first of them, as the CLI and Audit::new report it.
    assert_eq!(c.validate().expect_err("invalid").field.as_deref(), Some("groups[1]"));
    assert!(config(&["1"]).problems().is_empty());
}

/// A column named in the config but absent from the file says which setting named it.
#[test]
fn an_unknown_column_names_the_setting() {
    let mut c = config(&["1"]);
    c.groups.push("nope".into());
    let e = audit_bytes(c, b"g,d\nA,1\n").expect_err("should fail");
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::ConfigUnknownColumn, Some("groups[1]")));
}

#[test]
fn ragged_rows_are_errors_with_their_line() {
    let msg = error(config(&["1"]), "g,d\nA,1\nB\nC,0\n");
    assert_eq!(
        msg,
        "line 3 (record 2): this row has 1 fields but the header has 2; check for an unquoted delimiter or a missing field"
    );
    // A quoted newline moves later line numbers on.
    let msg = error(config(&["1"]), "g,d\n\"A\nA\",1\nB,0,9\n");
    assert!(msg.starts_with("line 4 (record 2)"), "{msg}");
}

#[test]
fn header_problems() {
    let msg = error(config(&["1"]), "group,d\nA,1\n");
    assert!(msg.contains("the group column \"g\" is not in the header; the columns are: \"group\", \"d\""), "{msg}");
    let msg = error(config(&["1"]), "G,d\nA,1\n");
    assert!(msg.contains("did you mean \"G\"?"), "{msg}");
    let msg = error(config(&["1"]), "g,d,d\nA,1,1\n");
    assert!(msg.contains("appears 2 times in the header (columns 2 and 3)"), "{msg}");
    // A duplicated column the audit does not use is harmless.
    assert!(audit_bytes(config(&["1"]), b"g,d,x,x\nA,1,2,3\n").is_ok());
    assert_eq!(error(config(&["1"]), ""), "the file is empty: expected a header row naming the columns");
    assert_eq!(error(config(&["1"]), "g,d\n"), "the file has a header but no data rows");
    assert!(error(config(&["1"]), "g,d\nA,\nB,NA\n")
        .starts_with("all 2 data rows were excluded (2 because the decision is missing)"));
}

#[test]
fn delimiters_are_detected() {
    for (csv, delimiter) in [
        ("g;d\nA;1\nB;0\n", ";"),
        ("g\td\nA\t1\nB\t0\n", "\t"),
        ("g|d\nA|1\nB|0\n", "|"),
        ("g,d\r\nA,1\r\nB,0\r\n", ","),
    ] {
        let report = audit_bytes(config(&["1"]), csv.as_bytes()).expect(csv);
        assert_eq!(report.input.delimiter.as_deref(), Some(delimiter));
        assert_eq!(metric(&report, "A", "selection_rate"), Some(1.0), "{csv:?}");
    }
}

#[test]
fn thresholds_and_decimal_commas() {
    let mut c = config(&[]);
    c.decision.threshold = Some(0.5);
    let report = audit_bytes(c.clone(), b"g;d\nA;0,7\n".as_slice());
    let msg = report.expect_err("decimal comma").to_string();
    assert!(
        msg.contains("value \"0,7\" is not a number (it looks like a decimal comma: use a point, e.g. 1.5)"),
        "{msg}"
    );
    // "1,000" could be a thousand or 1.0: the message says both and guesses neither.
    let report = audit_bytes(c.clone(), b"g;d\nA;1,000\n".as_slice());
    let msg = report.expect_err("a grouped number").to_string();
    assert!(msg.contains("value \"1,000\" is not a number (the comma could be a thousands separator or a decimal comma: write 1000 or 1.5, without commas)"), "{msg}");
    let report = audit_bytes(c, b"g,d\nA,0.5\nA,0.49\nB,7\nB,NA\n").expect("report");
    assert_eq!(metric(&report, "A", "selection_rate"), Some(0.5));
    assert_eq!(metric(&report, "B", "selection_rate"), Some(1.0));
    assert_eq!(report.input.rows_excluded, 1);
}

#[test]
fn bad_weights_are_errors() {
    let mut c = config(&["1"]);
    c.weight = Some("w".into());
    let msg = error(c.clone(), "g,d,w\nA,1,2\nB,0,-1\n");
    assert!(msg.starts_with("line 3 (record 2), column \"w\": weight -1 is not supported"), "{msg}");
    let msg = error(c.clone(), "g,d,w\nA,1,heavy\n");
    assert!(msg.contains("value \"heavy\" is not a number"), "{msg}");
    let report = audit_bytes(c, b"g,d,w\nA,1,3\nA,0,1\nB,0,\n".as_slice()).expect("report");
    assert_eq!(metric(&report, "A", "selection_rate"), Some(0.75));
    assert_eq!(report.input.rows_excluded, 1);
}

#[test]
fn invalid_utf8_group_value_is_located() {
    let bytes = b"g,d\nA,1\nCaf\xE9,0\n";
    let msg = audit_bytes(config(&["1"]), bytes).expect_err("latin-1").to_string();
    assert!(msg.starts_with("line 3 (record 2), column \"g\": this value is not valid UTF-8"), "{msg}");
}

#[test]
fn too_many_groups_looks_like_an_identifier() {
    let mut c = config(&["1"]);
    c.max_groups = 3;
    let msg = error(c, "g,d\na,1\nb,1\nc,1\nd,1\n");
    assert!(msg.starts_with("line 5 (record 4), column \"g\": this column has more than 3 distinct values"), "{msg}");
}

fn combined(max_groups: usize) -> AuditConfig {
    let mut c = AuditConfig::new(
        vec!["a".into(), "b".into()],
        OutcomeColumn { column: "d".into(), positive: vec!["1".into()], ..Default::default() },
    );
    c.intersections = vec![vec!["a".into(), "b".into()]];
    c.max_groups = max_groups;
    c
}

#[test]
fn combination_names_trim_escape_and_name_missing_parts() {
    // " x" and "x" are one value; "p|q" and "p\" are escaped; empty and NA are "(missing)".
    let csv = "a,b,d\nx,1,1\n x ,1,0\np|q,,1\np|q,NA,0\np\\,2,1\nx,2,1\n";
    let report = audit_bytes(combined(100), csv.as_bytes()).expect("report");
    let combo = &report.attributes[2];
    assert_eq!(combo.column, "a|b");
    let mut cells: Vec<(String, u64, f64)> = combo
        .groups
        .iter()
        .map(|g| (g.group.clone(), g.counts.n, g.metrics.get("selection_rate").and_then(|v| v.get()).unwrap_or(-1.0)))
        .collect();
    cells.sort_by(|x, y| x.0.cmp(&y.0));
    let expected = [("p\\\\|2", 1, 1.0), ("p\\|q|(missing)", 2, 0.5), ("x|1", 2, 0.5), ("x|2", 1, 1.0)];
    let expected: Vec<(String, u64, f64)> = expected.iter().map(|(g, n, r)| (g.to_string(), *n, *r)).collect();
    assert_eq!(cells, expected);
}

#[test]
fn combination_errors_name_their_column() {
    let msg = audit_bytes(combined(100), b"a,b,d\nx,1,1\nx,Caf\xE9,0\n".as_slice()).expect_err("latin-1").to_string();
    assert!(msg.starts_with("line 3 (record 2), column \"b\": this value is not valid UTF-8"), "{msg}");
    // 3 values of a and of b are allowed, but their combinations pass 3 on line 5.
    let msg = error(combined(3), "a,b,d\nx,1,1\nx,2,1\ny,1,1\ny,2,1\n");
    assert!(msg.starts_with("line 5 (record 4), column \"a\": this column has more than 3 distinct values"), "{msg}");
}

/// Groups: A 3/4 selected, B 1/4, C 2/2; hand-computed choices of reference.
const THREE_GROUPS: &str = "g,d\nA,1\nA,1\nA,1\nA,0\nB,1\nB,0\nB,0\nB,0\nC,1\nC,1\nB,0\n";

#[test]
fn reference_choices() {
    let pick = |reference: Reference, outcome: Direction| {
        let mut c = config(&["1"]);
        c.reference = reference;
        c.outcome = outcome;
        let report = audit_bytes(c, THREE_GROUPS.as_bytes()).expect("report");
        attr(&report).reference.group.clone()
    };
    assert_eq!(pick(Reference::Largest, Direction::Beneficial).as_deref(), Some("B"));
    assert_eq!(pick(Reference::MostFavoured, Direction::Beneficial).as_deref(), Some("C"));
    assert_eq!(pick(Reference::MostFavoured, Direction::Harmful).as_deref(), Some("B"));
    assert_eq!(pick(Reference::Overall, Direction::Beneficial), None);
    assert_eq!(pick(Reference::Group("A".into()), Direction::Beneficial).as_deref(), Some("A"));
    let mut c = config(&["1"]);
    c.reference = Reference::Group("Z".into());
    let msg = error(c, THREE_GROUPS);
    assert_eq!(msg, "the reference group \"Z\" is not a value of column \"g\"; its groups are: \"A\", \"B\", \"C\"");
}

#[test]
fn disparities_against_reference_and_overall() {
    let mut c = config(&["1"]);
    c.reference = Reference::Group("B".into());
    let report = audit_bytes(c, THREE_GROUPS.as_bytes()).expect("report");
    let a = attr(&report).groups.iter().find(|g| g.group == "A").expect("A");
    let d = a.disparity.as_ref().expect("disparity");
    // A: 3/4, B: 1/5.
    assert_eq!(d.ratio.get("selection_rate").and_then(|v| v.get()), Some(0.75 / 0.2));
    assert_eq!(d.difference.get("selection_rate").and_then(|v| v.get()), Some(0.75 - 0.2));
    // No label: error-rate comparisons are undefined, with the reason beside each and in the notes.
    assert_eq!(d.ratio.get("tpr").and_then(|v| v.get()), None);
    assert_eq!(d.ratio.get("tpr").and_then(|v| v.reason()), Some("no true-outcome (label) column was given"));
    assert!(report.notes.iter().any(|n| n.contains("no true-outcome (label) column")));

    let mut c = config(&["1"]);
    c.reference = Reference::Overall;
    let report = audit_bytes(c, THREE_GROUPS.as_bytes()).expect("report");
    let b = attr(&report).groups.iter().find(|g| g.group == "B").expect("B");
    // B: 1/5 against everyone else's 5/6 (A and C), from the counts: (1 × 6) / (5 × 5).
    let ratio = b.disparity.as_ref().and_then(|d| d.ratio.get("selection_rate")).and_then(|v| v.get());
    assert_eq!(ratio, Some(6.0 / 25.0));
    assert!(attr(&report).overall.is_reference);
}

#[test]
fn four_fifths_beneficial() {
    let mut c = config(&["1"]);
    c.reference = Reference::MostFavoured;
    let report = audit_bytes(c, THREE_GROUPS.as_bytes()).expect("report");
    let ff = &attr(&report).four_fifths;
    // No group has 30 rows, so the most favoured of all is used, with a note.
    assert_eq!(ff.comparison_group.as_deref(), Some("C"));
    assert!(attr(&report).reference.note.as_ref().is_some_and(|n| n.contains("no group has the 30 people")));
    let row = |g: &str| ff.groups.iter().find(|r| r.group == g).expect("row");
    assert_eq!(row("A").impact_ratio.get(), Some(0.75));
    assert_eq!(row("A").below_threshold, Some(true));
    assert_eq!(row("B").impact_ratio.get(), Some(0.2));
    // Harm (not being selected) relative to C, which was never refused: undefined.
    assert_eq!(row("B").harm_ratio.get(), None);
    assert!(row("B").harm_ratio.reason().is_some_and(|r| r.contains("no one in \"C\" had the harmful outcome")));
    assert!(report.notes.iter().any(|n| n.contains("treated as beneficial")));
}

#[test]
fn zero_denominators_flow_through_to_summaries() {
    // Group B has no actual positives: its TPR is undefined.
    let csv = "g,d,y\nA,1,1\nA,0,1\nA,1,0\nA,0,0\nB,1,0\nB,0,0\n";
    let mut c = labelled(&["1"]);
    c.evidence.min_group = 0;
    let report = audit_bytes(c, csv.as_bytes()).expect("report");
    assert_eq!(metric(&report, "B", "tpr"), None);
    let b = attr(&report).groups.iter().find(|g| g.group == "B").expect("B");
    assert_eq!(
        b.metrics.get("tpr").and_then(|v| v.reason()),
        Some("there are no actual positives (tp + fn) to divide by")
    );
    let s = &attr(&report).summary;
    assert!(s.groups_left_out.iter().any(|l| l.group == "B" && l.rate == "tpr"));
    // TPR spread over A alone is 0; FPR: A 0.5, B 0.5 → 0.
    assert_eq!(s.equal_opportunity_difference.value.get(), Some(0.0));
    let json = serde_json::to_value(&report).expect("json");
    let tpr = &json["attributes"][0]["groups"][1]["metrics"]["tpr"];
    assert_eq!(tpr["undefined"], "there are no actual positives (tp + fn) to divide by", "{tpr}");
}

#[test]
fn config_round_trips_as_json() {
    let mut c = labelled(&["yes"]);
    c.reference = Reference::Group("A".into());
    c.outcome = Direction::Harmful;
    let json = serde_json::to_string(&c).expect("json");
    assert!(json.contains("\"reference\":{\"group\":\"A\"}"), "{json}");
    let back: AuditConfig = serde_json::from_str(&json).expect("back");
    assert_eq!(back, c);
    let minimal: AuditConfig = serde_json::from_str(
        r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"reference":"most_favoured"}"#,
    )
    .expect("minimal");
    assert_eq!(minimal.reference, Reference::MostFavoured);
    assert_eq!(minimal.four_fifths_threshold, 0.8);
    let typo = serde_json::from_str::<AuditConfig>(r#"{"groups":["g"],"decison":{}}"#);
    assert!(typo.is_err());
}

#[test]
fn every_metric_is_reported_within_each_stratum() {
    // Stratum p: A 2 of 4 selected, B 1 of 1. Stratum q: A 0 of 2, B 3 of 3.
    let csv = "g,d,s\nA,1,p\nA,1,p\nA,0,p\nA,0,p\nB,1,p\nA,0,q\nA,0,q\nB,1,q\nB,1,q\nB,1,q\n";
    let mut c = config(&["1"]);
    c.strata = Some("s".into());
    let report = audit_bytes(c.clone(), csv.as_bytes()).expect("report");
    let by = &attr(&report).by_stratum;
    let rate = |stratum: &str, group: &str, key: &str| {
        by[stratum].iter().find(|g| g.group == group).and_then(|g| g.metrics.get(key)).and_then(|v| v.get())
    };
    assert_eq!(rate("p", "A", "selection_rate"), Some(0.5));
    assert_eq!(rate("p", "B", "selection_rate"), Some(1.0));
    assert_eq!(rate("q", "A", "selection_rate"), Some(0.0));
    // Share and ppr are within the stratum: A is 4 of 5 rows in p, and 2 of 3 selections there.
    assert_eq!(rate("p", "A", "share"), Some(0.8));
    assert_eq!(rate("p", "A", "ppr"), Some(2.0 / 3.0));
    assert_eq!(rate("q", "A", "ppr"), Some(0.0));
    // The publication view leaves the stratum cells out.
    c.publication = true;
    let published = audit_bytes(c, csv.as_bytes()).expect("publication view");
    assert!(attr(&published).by_stratum.is_empty());
    assert!(published.notes.iter().any(|n| n.contains("per-stratum figures are left out")));
}

#[test]
fn calibration_bins_are_chosen_and_checked() {
    let csv = "g,d,y,s\nA,1,1,0.9\nA,0,0,0.1\nA,1,0,0.6\nA,0,1,0.4\nB,1,1,0.8\nB,0,0,0.2\n";
    let run = |calibration: &str| -> Result<Report, String> {
        let c: AuditConfig = serde_json::from_str(&format!(
            r#"{{"groups":["g"],"decision":{{"column":"d","positive":["1"]}},"label":{{"column":"y","positive":["1"]}},"score":"s","calibration":{calibration}}}"#
        ))
        .map_err(|e| e.to_string())?;
        audit_bytes(c, csv.as_bytes()).map_err(|e| e.to_string())
    };
    let bins = |r: &Report| match &attr(r).scores.as_ref().expect("scores").groups[0].calibration {
        biasaudit::evidence::Outcome::Value(b) => b.len(),
        biasaudit::evidence::Outcome::Undefined { undefined } => panic!("{undefined}"),
    };
    // A's scores 0.1, 0.4, 0.6, 0.9: two equal-width bins hold two each; four quantile bins one each.
    assert_eq!(bins(&run(r#"{"uniform":2}"#).expect("uniform")), 2);
    assert_eq!(bins(&run(r#"{"quantile":4}"#).expect("quantile")), 4);
    assert!(run(r#"{"uniform":0}"#).unwrap_err().contains("calibration bins must be from 1"));
}

#[test]
fn settings_that_contradict_themselves_are_refused_with_their_field() {
    // A group column that is also the decision, the label or the weight.
    let mut c = labelled(&["1"]);
    c.groups = vec!["g".into(), "d".into(), "y".into()];
    c.weight = Some("g".into());
    let problems = c.problems();
    let fields: Vec<&str> = problems.iter().filter_map(|p| p.field.as_deref()).collect();
    assert_eq!(fields, ["decision.column", "label.column", "weight"], "{problems:?}");
    assert_eq!(problems[0].to_string(), "\"d\" cannot be both a group column and the decision column");
    // The same intersection twice, in another order.
    let mut c = config(&["1"]);
    c.groups = vec!["a".into(), "b".into()];
    c.intersections = vec![vec!["a".into(), "b".into()], vec!["b".into(), "a".into()]];
    let problems = c.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field.as_deref(), Some("intersections[1]"));
    assert!(problems[0].to_string().contains("combines the same columns as intersection 1"), "{}", problems[0]);
}

#[test]
fn the_command_line_takes_negative_thresholds_and_never_overwrites_its_input() {
    let dir = std::env::temp_dir().join(format!("biasaudit-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("scores.csv");
    std::fs::write(&file, "g,s\nA,-2\nA,-0.5\nB,-1\nB,3\n").expect("write");
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
            .arg("audit")
            .arg(&file)
            .args(args)
            .output()
            .expect("run the CLI")
    };
    let out = cli(&["--group", "g", "--decision", "s", "--threshold", "-1", "--min-group", "0"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["config"]["decision"]["threshold"], -1.0);
    // A: -2 < -1, -0.5 ≥ -1 → 1 of 2; B: both ≥ -1 → 2 of 2.
    assert_eq!(report["attributes"][0]["groups"][0]["counts"]["selected"], 1);
    assert_eq!(report["attributes"][0]["groups"][1]["counts"]["selected"], 2);
    let before = std::fs::read(&file).expect("read");
    let out = cli(&["--group", "g", "--decision", "s", "--threshold", "0", "-o", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is the input file"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&file).expect("read"), before, "the data file is untouched");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_positive_value_that_never_occurs_is_a_warning() {
    // "2" is listed as positive but no row has it; "1.0" is the positive 1 written as a number.
    let csv = "g,d,y\nA,1.0,1\nA,0,0\nB,1,Yes\nB,0,no\n";
    let mut c = config(&["1", "2"]);
    c.label = Some(OutcomeColumn {
        column: "y".into(),
        positive: vec!["1".into(), "yes".into()],
        rest_negative: true,
        ..Default::default()
    });
    let r = audit_bytes(c, csv.as_bytes()).expect("report");
    assert_eq!(
        r.warnings,
        vec![
            "The positive decision value \"2\" never appears in column \"d\" (it holds \"0\").".to_string(),
            // Text must match exactly, so "Yes" counted as negative: the hint names it.
            "The positive label value \"yes\" never appears in column \"y\"; did you mean \"Yes\"?".to_string(),
        ]
    );
    // Every positive value present: no warning.
    let r = audit_bytes(config(&["1"]), "g,d\nA,1\nA,0\n".as_bytes()).expect("report");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // A period in which no one got the positive decision, with nothing that looks like a typo: a warning, not an error.
    let mut c = config(&["flagged"]);
    c.decision.rest_negative = true;
    let r = audit_bytes(c, "g,d\nA,cleared\nB,cleared\n".as_bytes()).expect("report");
    assert_eq!(
        r.warnings,
        vec!["The positive decision value \"flagged\" never appears in column \"d\" (it holds \"cleared\")."]
    );
}

#[test]
fn with_every_other_value_negative_a_positive_value_that_never_occurs_is_an_error() {
    // --positive yes on data that says Yes: with --rest-negative every decision would silently be negative.
    let mut c = config(&["yes"]);
    c.decision.rest_negative = true;
    let e = audit_bytes(c, "g,d\nA,Yes\nA,No\nB,No\n".as_bytes()).expect_err("refused");
    assert_eq!((e.code, e.field.as_deref()), (ErrorCode::DataUnexpectedValue, Some("decision.positive")));
    assert_eq!(
        e.to_string(),
        "no row of column \"d\" has the positive decision value \"yes\", and every other value counts as negative, so every decision would be negative; did you mean \"Yes\"?"
    );
}

#[test]
fn a_positive_value_with_a_comma_is_written_in_double_quotes() {
    let dir = std::env::temp_dir().join(format!("biasaudit-comma-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("decisions.csv");
    std::fs::write(&file, "g,d\nA,\"Yes, approved\"\nA,No\nB,\"Yes, approved\"\nB,Y\nB,No\n").expect("write");
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
            .arg("audit")
            .arg(&file)
            .args(["--group", "g", "--decision", "d", "--min-group", "0"])
            .args(args)
            .output()
            .expect("run the CLI")
    };
    let selected = |out: &std::process::Output| -> (serde_json::Value, Vec<u64>) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let counts =
            (0..2).map(|i| r["attributes"][0]["groups"][i]["counts"]["selected"].as_u64().unwrap_or(99)).collect();
        (r["config"]["decision"]["positive"].clone(), counts)
    };
    let want = (serde_json::json!(["Yes, approved", "Y"]), vec![1, 2]);
    assert_eq!(selected(&cli(&["--positive", "\"Yes, approved\",Y"])), want);
    // The flag repeated gives the same list.
    assert_eq!(selected(&cli(&["--positive", "\"Yes, approved\"", "--positive", "Y"])), want);
    // Unquoted, the comma splits the value: refused with every other value negative, and the hint says why.
    let out = cli(&["--positive", "Yes, approved", "--rest-negative"]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("has the positive decision value \"Yes\" or \" approved\", and every other value counts as negative, so every decision would be negative; did you mean \"Yes, approved\"? (the value holds a comma, so it must be given whole: on the command line, in double quotes)"),
        "{message}"
    );
    let out = cli(&["--positive", "\"Yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--positive \"\\\"Yes\": a double quote is not closed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn old_mac_line_ends_get_true_line_numbers() {
    // CR-only line ends: the bad value is on line 4, not "line 1".
    let e = audit_bytes(config(&["1"]), "g,d\rA,1\rB,0\rC,maybe\rD,1\r".as_bytes()).expect_err("refused");
    assert_eq!((e.location.line, e.location.record), (Some(4), Some(3)), "{e:?}");
    // A ragged row, after a quoted value that spans an old-Mac line end (lines 2 and 3).
    let e = audit_bytes(config(&["1"]), "g,d\r\"A\rB\",1\rC,0,extra\r".as_bytes()).expect_err("refused");
    assert_eq!(e.location.line, Some(4), "{e:?}");
    assert_eq!(e.code, ErrorCode::InputRaggedRow);
    // An unclosed quote is placed on the line where it opens.
    let e = audit_bytes(config(&["1"]), "g,d\rA,1\r\"B,0\rC,1\r".as_bytes()).expect_err("refused");
    assert_eq!((e.code, e.location.line), (ErrorCode::InputUnclosedQuote, Some(3)), "{e:?}");
    // Windows line ends are unchanged: CR LF is one line end.
    let e = audit_bytes(config(&["1"]), "g,d\r\nA,1\r\nC,maybe\r\n".as_bytes()).expect_err("refused");
    assert_eq!(e.location.line, Some(3), "{e:?}");
}

#[test]
fn a_weight_too_large_is_quoted_as_written() {
    let mut c = config(&["1"]);
    c.weight = Some("w".into());
    let message = error(c, "g,d,w\nA,1,1e300\nB,0,1\n");
    assert_eq!(
        message,
        "line 2 (record 1), column \"w\": weight 1e300 is not supported: weights must be 0 or from 0.000000001 \
         up to 1e15 (kept to 9 decimal places), never negative"
    );
}
