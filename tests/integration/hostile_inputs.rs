//! Malformed and hostile input: every case in tests/corpus/manifest.json
//! (made by tests/corpus/make_corpus.py) gives its expected result or an
//! error naming where, whatever the chunking; large inputs stay bounded; and
//! arbitrary bytes never panic (the CI-sized fuzz run; longer runs: fuzz/).

use biasaudit::{Audit, AuditConfig, Report};
use proptest::prelude::*;
use serde_json::Value as Json;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/");

fn audit_in_chunks(config: &AuditConfig, bytes: &[u8], chunk: usize) -> Result<Report, biasaudit::Error> {
    let mut audit = Audit::new(config.clone())?;
    for piece in bytes.chunks(chunk.max(1)) {
        audit.push(piece)?;
    }
    audit.finish()
}

#[test]
fn every_corpus_case_gives_its_expected_outcome() {
    let manifest: Vec<Json> =
        serde_json::from_str(&std::fs::read_to_string(format!("{CORPUS}manifest.json")).expect("manifest"))
            .expect("json");
    assert!(manifest.len() >= 17);
    for case in &manifest {
        let name = case["file"].as_str().expect("file");
        let bytes = std::fs::read(format!("{CORPUS}{name}")).expect(name);
        let config: AuditConfig = serde_json::from_value(case["config"].clone()).expect("config");
        let expect = &case["expect"];
        // A file that starts like a workbook is read as one, as the CLI and the page read it.
        let sheet = biasaudit::input::sheet::SheetFormat::sniff(&bytes);
        let whole = match sheet {
            Some(format) => {
                biasaudit::audit::audit_sheet(config.clone(), format, std::io::Cursor::new(&bytes), &mut |_, _| {})
            }
            None => audit_in_chunks(&config, &bytes, bytes.len()),
        };
        for chunk in [1, 7].into_iter().filter(|_| sheet.is_none()) {
            let same = match (&whole, audit_in_chunks(&config, &bytes, chunk)) {
                (Ok(a), Ok(b)) => serde_json::to_value(a).ok() == serde_json::to_value(b).ok(),
                (Err(a), Err(b)) => a == &b,
                _ => false,
            };
            assert!(same, "{name}: chunks of {chunk} bytes changed the outcome");
        }
        if let Some(prefix) = expect["error"].as_str() {
            let message = match &whole {
                Err(e) => e.to_string(),
                Ok(_) => panic!("{name}: expected an error starting {prefix:?}"),
            };
            assert!(message.starts_with(prefix), "{name}: {message:?} does not start with {prefix:?}");
            continue;
        }
        let report = whole.unwrap_or_else(|e| panic!("{name}: {e}"));
        let groups: Vec<&str> = report.attributes[0].groups.iter().map(|g| g.group.as_str()).collect();
        let want: Vec<&str> = expect["groups"].as_array().expect("groups").iter().filter_map(Json::as_str).collect();
        assert_eq!(groups, want, "{name}");
        if let Some(metric) = expect["undefined_metric"].as_str() {
            for g in &report.attributes[0].groups {
                assert_eq!(g.metrics.get(metric).and_then(|v| v.get()), None, "{name}: {metric} of {}", g.group);
                assert!(
                    g.metrics.get(metric).and_then(|v| v.reason()).is_some_and(|r| !r.is_empty()),
                    "{name}: no reason for {metric}"
                );
            }
        }
    }
}

#[test]
fn a_ten_megabyte_field_is_read() {
    let mut csv = b"g,notes,d\nA,short,1\nB,\"".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 10 << 20));
    csv.extend_from_slice(b"\",0\nA,,0\n");
    let config =
        serde_json::from_str(r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]}}"#).expect("config");
    let report = audit_in_chunks(&config, &csv, 1 << 16).expect("report");
    assert_eq!(report.input.rows_used, 3);
    assert_eq!(report.attributes[0].groups[0].counts.n, 2);
}

#[test]
fn a_million_distinct_groups_is_refused_early_and_clearly() {
    let mut csv = String::from("id,d\n");
    for i in 0..1_000_000 {
        csv.push_str(&format!("{i},1\n"));
    }
    let config =
        serde_json::from_str(r#"{"groups":["id"],"decision":{"column":"d","positive":["1"]}}"#).expect("config");
    let err = audit_in_chunks(&config, csv.as_bytes(), 1 << 16).expect_err("too many groups");
    assert!(
        err.to_string()
            .starts_with("line 10002 (record 10001), column \"id\": this column has more than 10000 distinct values"),
        "{err}"
    );
}

#[test]
fn an_unmatched_quote_cannot_take_unbounded_memory() {
    // Over 64 MiB inside one quoted value: refused, not buffered without end.
    let mut csv = b"g,d\n\"".to_vec();
    csv.extend(std::iter::repeat_n(b'y', 70 << 20));
    let config =
        serde_json::from_str(r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]}}"#).expect("config");
    let err = audit_in_chunks(&config, &csv, 1 << 20).expect_err("too long");
    assert!(err.to_string().contains("a single row is longer than 64 MiB"), "{err}");
}

fn fuzz_configs() -> Vec<AuditConfig> {
    [
        r#"{"groups":["a"],"decision":{"column":"b","positive":["1"]}}"#,
        r#"{"groups":["a","c"],"decision":{"column":"b","positive":["1"],"rest_negative":true},"label":{"column":"c","positive":["x"],"rest_negative":true},"weight":"b","strata":"a","reference":"most_favoured","outcome":"harmful"}"#,
        r#"{"groups":["c"],"decision":{"column":"a","threshold":0.5},"reference":{"group":"x"},"evidence":{"min_group":1,"adjust":"bh","interval":"clopper_pearson","yates":true}}"#,
    ]
    .iter()
    .map(|c| serde_json::from_str(c).expect("config"))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Arbitrary bytes, biased towards CSV-like text: never a panic.
    #[test]
    fn arbitrary_input_never_panics(
        header in prop::sample::select(vec!["a,b,c\n", "a;b;c\r\n", "\u{feff}a,b,c\n", "", "a,b\n"]),
        body in prop::collection::vec(
            prop_oneof![
                3 => prop::sample::select(vec![b'a', b'b', b'x', b'1', b'0', b'.', b'5', b',', b';', b'"', b'\n', b'\r', b' ']),
                1 => any::<u8>(),
            ],
            0..300,
        ),
        chunk in 1usize..40,
        which in 0usize..3,
    ) {
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend(body);
        let config = &fuzz_configs()[which];
        // Either a report or a located error; a panic fails the test.
        if let Ok(report) = audit_in_chunks(config, &bytes, chunk) {
            prop_assert!(serde_json::to_string(&report).is_ok());
            let _ = biasaudit::markdown::render(&report);
        }
    }
}

/// A file of k groups, each in its own stratum: the report must grow with k,
/// not with k × strata (it was 3.2 GB for k = 2,000 from a 25 KB file).
#[test]
fn the_report_grows_with_the_data_not_with_groups_times_strata() {
    let report_bytes = |k: usize| {
        let mut csv = String::from("g,d,s\n");
        for i in 0..k {
            csv.push_str(&format!("G{i},{},S{i}\n", i % 2));
        }
        let config: biasaudit::AuditConfig = serde_json::from_str(
            r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"strata":"s","evidence":{"min_group":0}}"#,
        )
        .expect("config");
        let report = biasaudit::audit_bytes(config, csv.as_bytes()).expect("report");
        (csv.len(), serde_json::to_vec(&report).expect("json").len())
    };
    let (small_in, small) = report_bytes(200);
    let (large_in, large) = report_bytes(800);
    // Four times the groups and strata: about four times the report (sixteen if quadratic).
    let growth = large as f64 / small as f64;
    assert!(growth < 5.0, "200 → 800 groups: report {small} → {large} bytes (× {growth:.1})");
    // And a bound in the size of the input: under 2,500 bytes of report per byte of file.
    assert!(large < 2_500 * large_in, "{large} bytes of report from {large_in} bytes of data");
    assert!(small < 2_500 * small_in);
}
