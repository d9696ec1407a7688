//! A table of counts (`--count`): each row stands for that many identical
//! cases, and the report equals the audit of the rows written out one per
//! case, apart from the file's fingerprint. Random data, random settings
//! (labels, scores, weights, strata, intersections, bins, the publication
//! view), in random row order; and the located errors for bad counts.

use biasaudit::{audit_bytes, AuditConfig, ErrorCode};
use proptest::prelude::*;
use serde_json::{json, Value};

/// One distinct case of the data: group values, decision, label, score, weight, stratum.
#[derive(Debug, Clone)]
struct Case {
    g1: &'static str,
    g2: &'static str,
    age: u8,
    decision: &'static str,
    label: &'static str,
    score: &'static str,
    weight: &'static str,
    stratum: &'static str,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(vec!["A", "B", "C", ""]),
        prop::sample::select(vec!["x", "y"]),
        prop::sample::select(vec![20u8, 30, 40, 55, 70]),
        prop::sample::select(vec!["1", "0", "0", ""]),
        prop::sample::select(vec!["1", "0", "1"]),
        prop::sample::select(vec!["0.1", "0.35", "0.5", "0.9", ""]),
        prop::sample::select(vec!["1", "2.5", "0.5"]),
        prop::sample::select(vec!["s1", "s2"]),
    )
        .prop_map(|(g1, g2, age, decision, label, score, weight, stratum)| Case {
            g1,
            g2,
            age,
            decision,
            label,
            score,
            weight,
            stratum,
        })
}

const HEADER: &str = "g1,g2,age,d,y,s,w,st";

fn line(c: &Case) -> String {
    format!("{},{},{},{},{},{},{},{}", c.g1, c.g2, c.age, c.decision, c.label, c.score, c.weight, c.stratum)
}

fn config(options: &Options) -> AuditConfig {
    let mut v = json!({
        "groups": ["g1", "g2", "age"],
        "decision": { "column": "d", "positive": ["1"] },
        "label": { "column": "y", "positive": ["1"] },
        "bins": { "age": { "edges": [30, 50] } },
        "min_cell": options.min_cell,
        "publication": options.publication,
        "reference": options.reference,
    });
    if options.intersect {
        v["intersections"] = json!([["g1", "g2"]]);
    }
    if options.score {
        v["score"] = json!("s");
    }
    if options.weight {
        v["weight"] = json!("w");
    }
    if options.strata {
        v["strata"] = json!("st");
    }
    serde_json::from_value(v).expect("config")
}

#[derive(Debug, Clone)]
struct Options {
    score: bool,
    weight: bool,
    strata: bool,
    intersect: bool,
    publication: bool,
    min_cell: u64,
    reference: &'static str,
}

fn options() -> impl Strategy<Value = Options> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![0u64, 3, 10]),
        prop::sample::select(vec!["largest", "most_favoured", "rest"]),
    )
        .prop_map(|(score, weight, strata, intersect, publication, min_cell, reference)| Options {
            score,
            weight,
            strata,
            intersect,
            publication,
            min_cell,
            reference,
        })
}

/// The report as JSON without what describes the file itself.
fn comparable(report: &biasaudit::Report) -> Value {
    let mut v = serde_json::to_value(report).expect("json");
    v["input"]["sha256"] = Value::Null;
    v["config"]["count"] = Value::Null;
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn a_counts_table_audits_exactly_as_its_rows_written_out(
        distinct in prop::collection::vec((case(), 0u64..6), 1..24),
        options in options(),
        order in any::<u64>(),
    ) {
        // Rows, one per case, in an order the counts table does not keep.
        let mut expanded: Vec<String> = distinct.iter().flat_map(|(c, n)| std::iter::repeat_n(line(c), *n as usize)).collect();
        let k = expanded.len().max(1);
        expanded.rotate_left((order as usize) % k);
        let rows = format!("{HEADER}\n{}\n", expanded.join("\n"));
        let counts = format!("{HEADER},n\n{}\n", distinct.iter().map(|(c, n)| format!("{},{n}", line(c))).collect::<Vec<_>>().join("\n"));

        let plain = audit_bytes(config(&options), rows.as_bytes());
        let mut counted_config = config(&options);
        counted_config.count = Some("n".into());
        let counted = audit_bytes(counted_config, counts.as_bytes());
        match (plain, counted) {
            (Ok(a), Ok(b)) => prop_assert_eq!(comparable(&a), comparable(&b)),
            // No case at all: a table whose every count is 0 says so in its own words.
            (Err(a), Err(b)) if a.code == ErrorCode::InputNoDataRows => prop_assert_eq!(a.code, b.code),
            // Otherwise the same refusal, in the same words (which count cases, not rows of the counts table).
            (Err(a), Err(b)) => prop_assert_eq!((a.code, a.message), (b.code, b.message)),
            (a, b) => prop_assert!(false, "rows: {:?}\ncounts: {:?}", a.map(|_| "a report"), b.map(|_| "a report")),
        }
    }
}

fn counted(csv: &str) -> Result<biasaudit::Report, biasaudit::Error> {
    let mut c: AuditConfig =
        serde_json::from_value(json!({ "groups": ["g"], "decision": { "column": "d", "positive": ["1"] } }))
            .expect("config");
    c.count = Some("n".into());
    audit_bytes(c, csv.as_bytes())
}

#[test]
fn counts_are_cases_in_the_input_and_in_every_group() {
    let r = counted("g,d,n\nA,1,30\nA,0,70\nB,1,5\nB,0,0\nB,0,15\n").expect("report");
    assert_eq!((r.input.rows_read, r.input.rows_used), (120, 120));
    let a = &r.attributes[0];
    let group = |name: &str| a.groups.iter().find(|g| g.group == name).expect("group");
    assert_eq!((group("A").counts.n, group("A").counts.selected), (100, 30));
    assert_eq!((group("B").counts.n, group("B").counts.selected), (20, 5));
    // A missing decision leaves out the cases of its row.
    let r = counted("g,d,n\nA,1,30\nA,,7\nA,0,70\nB,1,5\nB,0,15\n").expect("report");
    assert_eq!((r.input.rows_read, r.input.rows_excluded, r.input.rows_used), (127, 7, 120));
}

#[test]
fn a_table_whose_every_count_is_zero_says_so() {
    let e = counted("g,d,n\nA,1,0\nB,0,0\n").expect_err("no case");
    assert_eq!(e.code, ErrorCode::InputNoDataRows);
    assert_eq!(e.message, "every count in the file is 0 (or it has no data rows), so there is no case to audit");
}

#[test]
fn a_bad_count_is_a_located_error() {
    for (cell, says) in [
        ("-3", "count -3 is negative"),
        ("2.5", "count 2.5 is not a whole number"),
        ("many", "value \"many\" is not a number"),
        ("", "the count is missing"),
        ("2000000000000", "count 2000000000000 is more than 1000000000000"),
    ] {
        let e = counted(&format!("g,d,n\nA,1,3\nB,0,{cell}\n")).expect_err(cell);
        assert_eq!(e.code, ErrorCode::DataNotANumber, "{cell}");
        assert_eq!(
            (e.location.record, e.location.line, e.location.column.as_deref(), e.field.as_deref()),
            (Some(2), Some(3), Some("n"), Some("count")),
            "{cell}"
        );
        assert!(e.message.contains(says), "{cell}: {}", e.message);
    }
}

#[test]
fn the_count_column_cannot_play_another_part() {
    let mut c: AuditConfig = serde_json::from_value(
        json!({ "groups": ["g"], "decision": { "column": "d", "positive": ["1"] }, "weight": "n" }),
    )
    .expect("config");
    c.count = Some("n".into());
    let e = audit_bytes(c, b"g,d,n\nA,1,3\n").expect_err("conflict");
    assert_eq!(e.code, ErrorCode::ConfigConflict);
    assert!(e.message.contains("cannot be both the count column and another column"), "{}", e.message);
    let mut c: AuditConfig =
        serde_json::from_value(json!({ "groups": ["n"], "decision": { "column": "d", "positive": ["1"] } }))
            .expect("config");
    c.count = Some("n".into());
    assert_eq!(audit_bytes(c, b"g,d,n\nA,1,3\n").expect_err("conflict").code, ErrorCode::ConfigConflict);
}

#[test]
fn every_option_at_once_counted_equals_written_out() {
    let options = Options {
        score: true,
        weight: true,
        strata: true,
        intersect: true,
        publication: true,
        min_cell: 3,
        reference: "rest",
    };
    let cases = [
        (Case { g1: "A", g2: "x", age: 20, decision: "1", label: "1", score: "0.9", weight: "1", stratum: "s1" }, 40),
        (Case { g1: "A", g2: "y", age: 40, decision: "0", label: "0", score: "0.1", weight: "2.5", stratum: "s2" }, 35),
        (Case { g1: "B", g2: "x", age: 55, decision: "1", label: "0", score: "0.5", weight: "0.5", stratum: "s1" }, 12),
        (Case { g1: "B", g2: "y", age: 70, decision: "0", label: "1", score: "0.35", weight: "1", stratum: "s2" }, 50),
        (Case { g1: "C", g2: "x", age: 30, decision: "0", label: "1", score: "", weight: "1", stratum: "s1" }, 2),
        (Case { g1: "", g2: "y", age: 30, decision: "", label: "1", score: "0.5", weight: "1", stratum: "s1" }, 4),
    ];
    let rows = format!(
        "{HEADER}\n{}\n",
        cases.iter().flat_map(|(c, n)| std::iter::repeat_n(line(c), *n)).collect::<Vec<_>>().join("\n")
    );
    let counts = format!(
        "{HEADER},n\n{}\n",
        cases.iter().map(|(c, n)| format!("{},{n}", line(c))).collect::<Vec<_>>().join("\n")
    );
    let a = audit_bytes(config(&options), rows.as_bytes()).expect("rows");
    let mut c = config(&options);
    c.count = Some("n".into());
    let b = audit_bytes(c, counts.as_bytes()).expect("counts");
    assert_eq!(comparable(&a), comparable(&b));
    // The checks ran: scores, strata, the publication view and the intersection are all in the report.
    let v = comparable(&a);
    assert!(v.to_string().contains("\"auc\""), "scores were analysed");
    assert_eq!(v["attributes"].as_array().map(Vec::len), Some(4), "g1, g2, age and g1 × g2");
    assert_eq!(a.input.rows_read, 143);
}

/// COMPAS as a table of counts (tests/fixtures/counts/make_compas_counts.py,
/// 672 rows for 7,214 defendants): the same report as the file itself, with
/// race, sex, age, race × sex, the violence decile score and the true outcome.
#[test]
fn compas_as_a_table_of_counts_gives_the_same_report() {
    if crate::common::compas_missing() {
        return;
    }
    let settings = json!({
        "groups": ["race", "sex", "age_cat"],
        "intersections": [["race", "sex"]],
        "decision": { "column": "score_text", "positive": ["Medium", "High"], "negative": ["Low"] },
        "label": { "column": "two_year_recid", "positive": ["1"] },
        "score": "v_decile_score",
        "reference": { "group": "Caucasian" },
        "outcome": "harmful",
        "publication": false,
    });
    let direct = audit_bytes(serde_json::from_value(settings.clone()).expect("config"), &crate::common::compas_bytes())
        .expect("direct");
    let table = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/counts/compas_counts.csv"))
        .expect("fixture");
    let mut config: AuditConfig = serde_json::from_value(settings).expect("config");
    config.count = Some("n".into());
    let counted = audit_bytes(config, &table).expect("counted");
    assert_eq!(comparable(&direct), comparable(&counted));
    // The 3,696 African-American defendants are 3,696 cases, not the rows that hold them.
    let group = counted.attributes[0].groups.iter().find(|g| g.group == "African-American").expect("group");
    assert_eq!(group.counts.n, 3696);
    assert_eq!(counted.input.rows_read, 7214);
}
