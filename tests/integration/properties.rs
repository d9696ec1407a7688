//! Property tests: the tallies never depend on how the input was chunked,
//! and tallies of two parts add up to the tally of the whole.

use biasaudit::{Audit, AuditConfig, OutcomeColumn, TallySet};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Row {
    group: String,
    decision: bool,
    label: Option<bool>,
    weight: String,
    stratum: String,
}

fn row() -> impl Strategy<Value = Row> {
    (
        // Group values that need quoting: delimiters, quotes, newlines, missing.
        prop::sample::select(vec!["A", "B", "Ünï", "x,y", "say \"hi\"", "two\nlines", "", "NA", " A "]),
        any::<bool>(),
        prop::option::weighted(0.9, any::<bool>()),
        prop::sample::select(vec!["1", "0.5", "2.25", "0", "1e-3", "3"]),
        prop::sample::select(vec!["north", "south", "", "east,west"]),
    )
        .prop_map(|(g, decision, label, w, s)| Row {
            group: g.to_string(),
            decision,
            label,
            weight: w.to_string(),
            stratum: s.to_string(),
        })
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn csv(rows: &[Row], crlf: bool, bom: bool) -> Vec<u8> {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    if bom {
        out.push('\u{feff}');
    }
    out.push_str(&format!("group,decision,label,weight,region{eol}"));
    for r in rows {
        let label = match r.label {
            Some(true) => "1",
            Some(false) => "0",
            None => "",
        };
        let decision = if r.decision { "yes" } else { "no" };
        out.push_str(&format!("{},{decision},{label},{},{}{eol}", quote(&r.group), r.weight, quote(&r.stratum)));
    }
    out.into_bytes()
}

fn config() -> AuditConfig {
    let mut c = AuditConfig::new(
        vec!["group".into()],
        OutcomeColumn { column: "decision".into(), positive: vec!["yes".into()], ..Default::default() },
    );
    c.label = Some(OutcomeColumn { column: "label".into(), positive: vec!["1".into()], ..Default::default() });
    c.weight = Some("weight".into());
    c.strata = Some("region".into());
    c
}

fn tally_in_chunks(bytes: &[u8], cuts: &[usize]) -> TallySet {
    let mut audit = Audit::new(config()).expect("config");
    let mut start = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    for cut in cuts {
        audit.push(&bytes[start..cut]).expect("push");
        start = cut;
    }
    audit.push(&bytes[start..]).expect("push");
    audit.finish_tallies().expect("tallies")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn chunking_never_changes_the_tallies(
        rows in prop::collection::vec(row(), 0..40),
        cuts in prop::collection::vec(any::<usize>(), 0..12),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let bytes = csv(&rows, crlf, bom);
        let whole = tally_in_chunks(&bytes, &[]);
        prop_assert_eq!(tally_in_chunks(&bytes, &cuts), whole.clone());
        prop_assert_eq!(whole.rows_read, rows.len() as u64);
        // Summing each group over strata gives the group's tally.
        for attribute in &whole.attributes {
            for (group, tally) in &attribute.groups {
                let mut sum = biasaudit::tally::GroupTally::default();
                for groups in attribute.strata.values() {
                    if let Some(t) = groups.get(group) {
                        sum += *t;
                    }
                }
                prop_assert_eq!(&sum, tally);
            }
        }
    }

    #[test]
    fn tallies_merge_by_addition(
        rows in prop::collection::vec(row(), 0..60),
        split in any::<usize>(),
    ) {
        let split = split % (rows.len() + 1);
        let (a, b) = rows.split_at(split);
        let mut merged = tally_in_chunks(&csv(a, false, false), &[]);
        merged.merge(&tally_in_chunks(&csv(b, false, false), &[])).expect("same columns");
        prop_assert_eq!(merged, tally_in_chunks(&csv(&rows, false, false), &[]));
    }
}

/// Every split point of a small file, exhaustively (not sampled).
#[test]
fn every_byte_offset_gives_the_same_tallies() {
    let rows = vec![
        Row { group: "x,y".into(), decision: true, label: Some(true), weight: "1.5".into(), stratum: "n".into() },
        Row {
            group: "two\nlines".into(),
            decision: false,
            label: Some(false),
            weight: "2".into(),
            stratum: "s".into(),
        },
        Row { group: "".into(), decision: true, label: None, weight: "1".into(), stratum: "".into() },
        Row {
            group: "say \"hi\"".into(),
            decision: false,
            label: Some(true),
            weight: "0.25".into(),
            stratum: "n".into(),
        },
    ];
    let bytes = csv(&rows, true, true);
    let whole = tally_in_chunks(&bytes, &[]);
    assert_eq!(whole.rows_read, 4);
    assert_eq!(whole.rows_excluded(), 1);
    for a in 0..=bytes.len() {
        assert_eq!(tally_in_chunks(&bytes, &[a]), whole, "split at {a}");
        for b in (a..=bytes.len()).step_by(7) {
            assert_eq!(tally_in_chunks(&bytes, &[a, b]), whole, "splits at {a}, {b}");
        }
    }
}

/// Tallies survive a JSON round trip (how workers will hand them over).
#[test]
fn tallies_round_trip_through_json() {
    let rows = vec![
        Row { group: "A".into(), decision: true, label: Some(true), weight: "0.1".into(), stratum: "n".into() },
        Row { group: "B".into(), decision: false, label: Some(false), weight: "0.2".into(), stratum: "s".into() },
    ];
    let tallies = tally_in_chunks(&csv(&rows, false, false), &[]);
    let json = serde_json::to_string(&tallies).expect("to json");
    let back: TallySet = serde_json::from_str(&json).expect("from json");
    assert_eq!(back, tallies);
    let a = &back.attributes[0].groups["A"];
    assert_eq!(a.weighted.map(|w| w.tp), Some(100_000_000));
}
