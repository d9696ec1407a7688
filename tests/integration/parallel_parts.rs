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

/// A file in the temporary folder, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let dir = std::env::temp_dir().join(format!("biasaudit-parallel-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// The native count in parts (the CLI's) gives the one-pass tallies, and
    /// sends a file back to one pass only when a quoted field spans lines.
    #[test]
    fn a_file_counted_on_threads_equals_one_pass(
        rows in prop::collection::vec((0u8..4, any::<bool>(), prop::bool::weighted(0.1)), 1..400),
        parts in 1usize..6,
        crlf in any::<bool>(),
        case in any::<u32>(),
    ) {
        use biasaudit::audit::parallel::{count_file, PartsFailure};
        let bytes = csv_file(&rows, crlf);
        let file = TempFile::new(&format!("p{case}.csv"), &bytes);
        match count_file(&config(), &file.0, parts) {
            Ok(counted) => {
                prop_assert_eq!(counted.tallies, sequential(&bytes));
                prop_assert_eq!(counted.delimiter, b',');
                // Cuts far apart compared with a line: every part asked for is counted.
                if rows.len() >= 50 * parts {
                    prop_assert_eq!(counted.parts, parts);
                }
            }
            Err(PartsFailure::CountInOnePass) => prop_assert!(rows.iter().any(|r| r.2), "a file without quoted line breaks was refused"),
            Err(PartsFailure::Io(e)) => prop_assert!(false, "{e}"),
        }
    }
}

/// The CLI's figures do not depend on how many threads counted the file: a
/// file with labels, scores, weights, intersections and quoted line breaks
/// gives the same report byte for byte, and a bad value early or late in the
/// file the one-pass error, located by its line.
#[test]
fn the_command_line_gives_the_same_report_on_any_number_of_threads() {
    let mut text = String::from("id,race,sex,score,label,decision,w\n");
    let mut seed = 7u64;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    for i in 0..60_000 {
        let race = ["A", "B", "C"][(next() % 3) as usize];
        let sex = ["F", "M"][(next() % 2) as usize];
        let score = (next() % 1000) as f64 / 1000.0;
        let label = u8::from(next() % 1000 < (score * 800.0) as u64);
        let decision = if score >= 0.5 { "yes" } else { "no" };
        // A quoted line break in the middle of the file, where two or three parts are cut.
        let id = if i == 30_000 || i == 20_000 { format!("\"{i}\nsecond line\"") } else { i.to_string() };
        text.push_str(&format!("{id},{race},{sex},{score},{label},{decision},{}\n", 1 + next() % 3));
    }
    let good = TempFile::new("cli-good.csv", text.as_bytes());
    let bad = TempFile::new("cli-bad.csv", text.replacen(",yes,", ",perhaps,", 1).as_bytes());
    let bad_late = {
        let mut lines: Vec<&str> = text.lines().collect();
        let line = lines[50_000].replace(",yes,", ",perhaps,").replace(",no,", ",perhaps,");
        lines[50_000] = &line;
        TempFile::new("cli-bad-late.csv", format!("{}\n", lines.join("\n")).as_bytes())
    };
    let run = |file: &TempFile, threads: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_biasaudit"))
            .arg("audit")
            .arg(&file.0)
            .args(["--group", "race", "--group", "sex", "--intersect", "race,sex", "--decision", "decision"])
            .args(["--positive", "yes", "--negative", "no", "--label", "label", "--label-positive", "1"])
            .args(["--score", "score", "--weight", "w", "--outcome", "harmful", "--threads", threads])
            .output()
            .expect("run the CLI")
    };
    let one = run(&good, "1");
    assert!(one.status.success(), "{}", String::from_utf8_lossy(&one.stderr));
    let report: serde_json::Value = serde_json::from_slice(&one.stdout).expect("json");
    assert_eq!(report["input"]["rows_read"], 60_000);
    for threads in ["2", "3", "5"] {
        let many = run(&good, threads);
        assert!(many.status.success(), "{}", String::from_utf8_lossy(&many.stderr));
        assert!(one.stdout == many.stdout, "{threads} threads gave another report");
    }
    for file in [&bad, &bad_late] {
        let one = run(file, "1");
        assert_eq!(one.status.code(), Some(2));
        let error = String::from_utf8_lossy(&one.stderr).into_owned();
        assert!(error.contains("perhaps") && error.contains("line"), "{error}");
        for threads in ["2", "4"] {
            let many = run(file, threads);
            assert_eq!(
                (many.status.code(), String::from_utf8_lossy(&many.stderr).into_owned()),
                (Some(2), error.clone())
            );
        }
    }
}

/// A cut just after a CRLF header's line end would leave the first part
/// without a data row (the preview's header ends before the `\n`): no part
/// starts there, so a file of one row is counted whole, not sent back.
#[test]
fn a_crlf_header_is_not_a_part_of_its_own() {
    use biasaudit::audit::parallel::{count_file, plan_parts};
    let bytes = csv_file(&[(0, false, false)], true);
    let file = TempFile::new("crlf-one-row.csv", &bytes);
    let counted = count_file(&config(), &file.0, 3).expect("counted");
    assert_eq!((counted.parts, counted.tallies), (1, sequential(&bytes)));
    // "g,d\r\n" + "g0,0\r\n": the header record ends at 4, its "\n" is byte 4, the data row ends at 11.
    let line_start_after =
        |offset: u64| Ok(bytes[offset as usize..].iter().position(|&b| b == b'\n').map(|i| offset + i as u64 + 1));
    assert_eq!(plan_parts(bytes.len() as u64, 3, 4, line_start_after).expect("plan"), vec![0]);
    let two_rows = csv_file(&[(0, false, false), (1, true, false)], true);
    let line_start_after =
        |offset: u64| Ok(two_rows[offset as usize..].iter().position(|&b| b == b'\n').map(|i| offset + i as u64 + 1));
    assert_eq!(plan_parts(two_rows.len() as u64, 2, 4, line_start_after).expect("plan"), vec![0, 11]);
}
