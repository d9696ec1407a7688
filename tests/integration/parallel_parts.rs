//! Counting a file in parts (as parallel Web Workers do) equals counting it
//! in one pass whenever every part ends at its boundary; a cut inside a
//! quoted field is always detected, so the caller can fall back.

use biasaudit::ingest::{CsvStream, Record, RecordSink};
use biasaudit::{Audit, AuditConfig, OutcomeColumn, TallySet};
use proptest::prelude::*;

fn config() -> AuditConfig {
    let mut c = AuditConfig::new(
        vec!["g".into()],
        OutcomeColumn { column: "d".into(), positive: vec!["1".into()], ..Default::default() },
    );
    c.delimiter = Some(',');
    c
}

fn sequential(bytes: &[u8]) -> TallySet {
    let mut audit = Audit::new(config()).expect("config");
    audit.push(bytes).expect("push");
    audit.finish_tallies().expect("tallies")
}

/// Where records really end (the true safe cut points).
fn record_ends(bytes: &[u8]) -> Vec<u64> {
    struct Ignore;
    impl RecordSink for Ignore {
        fn record(&mut self, _: &Record<'_>) -> Result<(), biasaudit::Error> {
            Ok(())
        }
    }
    let mut ends = Vec::new();
    let mut stream = CsvStream::new(Some(b','));
    for i in 0..bytes.len() {
        stream.feed(&bytes[i..=i], &mut Ignore).expect("feed");
        ends.push(stream.last_record_end());
    }
    ends.dedup();
    ends
}

/// The start of the line after offset `from` (what the page's splitter picks).
fn line_start_after(bytes: &[u8], from: usize) -> Option<usize> {
    bytes[from..].iter().position(|&b| b == b'\n').map(|i| from + i + 1).filter(|&s| s < bytes.len())
}

/// Counts the file in parts cut near `cuts`; `None` if a split was unsafe.
fn in_parts(bytes: &[u8], cuts: &[usize]) -> Option<TallySet> {
    let header_len = {
        let mut p = biasaudit::preview::PreviewBuilder::new(0, Some(b','));
        p.push(bytes).expect("preview");
        p.finish().expect("preview").header_bytes as usize
    };
    let mut starts: Vec<usize> = cuts.iter().filter_map(|&c| line_start_after(bytes, c.max(header_len))).collect();
    starts.sort_unstable();
    starts.dedup();
    starts.retain(|&s| s > header_len);
    let mut bounds = vec![0];
    bounds.extend(starts);
    let mut total: Option<TallySet> = None;
    for (k, &start) in bounds.iter().enumerate() {
        let end = bounds.get(k + 1).map(|&e| e as u64);
        let mut audit = if start == 0 {
            let mut a = Audit::new(config()).expect("config");
            if let Some(e) = end {
                a.set_part_end(e).expect("end");
            }
            a
        } else {
            Audit::for_part(config(), &bytes[..header_len], start as u64, end).expect("part")
        };
        // Feed in small pieces, past the part's end, until the part is done.
        for piece in bytes[start..].chunks(5) {
            audit.push(piece).expect("push");
            if audit.part_done() {
                break;
            }
        }
        let tallies = audit.finish_tallies().expect("tallies");
        if !audit.ended_at_boundary() {
            return None;
        }
        match total.as_mut() {
            Some(t) => t.merge(&tallies).expect("merge"),
            None => total = Some(tallies),
        }
    }
    total
}

fn csv_file(rows: &[(u8, bool, bool)], crlf: bool) -> Vec<u8> {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut s = format!("g,d{eol}");
    for &(g, d, multiline) in rows {
        let group = if multiline { format!("\"grp\n{g}\"") } else { format!("g{g}") };
        s.push_str(&format!("{group},{}{eol}", u8::from(d)));
    }
    s.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parts_equal_one_pass_or_are_refused(
        rows in prop::collection::vec((0u8..4, any::<bool>(), prop::bool::weighted(0.3)), 1..40),
        cuts in prop::collection::vec(any::<usize>(), 1..6),
        crlf in any::<bool>(),
    ) {
        let bytes = csv_file(&rows, crlf);
        let cuts: Vec<usize> = cuts.iter().map(|c| c % bytes.len()).collect();
        let whole = sequential(&bytes);
        let ends = record_ends(&bytes);
        match in_parts(&bytes, &cuts) {
            Some(parts) => prop_assert_eq!(parts, whole),
            None => {
                // Refused: at least one chosen start must not be a true record boundary.
                let starts: Vec<u64> = cuts.iter().filter_map(|&c| line_start_after(&bytes, c)).map(|s| s as u64).collect();
                prop_assert!(starts.iter().any(|s| !ends.contains(s) && !ends.contains(&(s - 1))), "refused a safe split");
            }
        }
    }
}

#[test]
fn a_cut_inside_quotes_is_refused_and_a_safe_cut_accepted() {
    let bytes = b"g,d\n\"a\nb\",1\nc,0\n".to_vec();
    // Offset 5 is inside the quoted field: its next line start (7) is not a record boundary.
    assert!(in_parts(&bytes, &[5]).is_none());
    // Offset 12 is on the record "c,0": the next line start is the end of the file, so one part.
    assert_eq!(in_parts(&bytes, &[12]), Some(sequential(&bytes)));
    // Offset 9 lies in `b",1`; the next line starts at 13, a true boundary.
    assert_eq!(in_parts(&bytes, &[9]), Some(sequential(&bytes)));
}

/// The score histograms are handed over, not copied, so a second call cannot
/// quietly return tallies without them.
#[test]
fn tallies_are_handed_over_once() {
    let config: AuditConfig = serde_json::from_str(
        r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"label":{"column":"y","positive":["1"]},"score":"s"}"#,
    )
    .expect("config");
    let mut audit = Audit::new(config).expect("audit");
    audit.push(b"g,d,y,s\nA,1,1,0.9\nA,0,0,0.2\nB,1,0,0.7\n").expect("push");
    let tallies = audit.finish_tallies().expect("tallies");
    assert_eq!(tallies.attributes[0].scores["A"].len(), 2);
    let again = audit.finish_tallies().expect_err("a second call");
    assert_eq!(again.to_string(), "this audit has already finished; start a new one");
    assert!(audit.push(b"A,1,1,0.5\n").is_err());
}
