//! Throughput and memory benchmark for native ingest + tally + report.
//!
//!     cargo run --release --example bench -- [ROWS | FILE] [RUNS]
//!
//! Writes a synthetic CSV (3 group columns, a score, a label, a decision) to
//! a temporary file (or reads FILE, of the same columns), then streams it through the audit in 256 KiB chunks, as
//! the CLI does. Prints MB/s, rows/s and the process's peak resident memory,
//! which stays flat as the file grows: memory is bounded by the tallies.

use biasaudit::{Audit, AuditConfig, Direction, OutcomeColumn};
use std::io::{BufWriter, Read, Write};
use std::time::Instant;

/// xorshift64*: deterministic data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn generate(path: &std::path::Path, rows: u64) -> std::io::Result<u64> {
    const RACES: [&str; 6] = ["African-American", "Caucasian", "Hispanic", "Asian", "Native American", "Other"];
    const SEXES: [&str; 2] = ["Female", "Male"];
    const AGES: [&str; 5] = ["18-24", "25-34", "35-44", "45-64", "65+"];
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    writeln!(out, "id,race,sex,age_band,score,label,decision")?;
    for id in 0..rows {
        let race = (rng.next() % 6) as usize;
        let score = (rng.unit() + race as f64 * 0.03).min(1.0);
        let label = u8::from(rng.unit() < score * 0.8);
        let decision = if score >= 0.5 { "yes" } else { "no" };
        writeln!(
            out,
            "{id},{},{},{},{score:.4},{label},{decision}",
            RACES[race],
            SEXES[(rng.next() % 2) as usize],
            AGES[(rng.next() % 5) as usize]
        )?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn config() -> AuditConfig {
    let mut c = AuditConfig::new(
        vec!["race".into(), "sex".into(), "age_band".into()],
        OutcomeColumn { column: "decision".into(), positive: vec!["yes".into()], ..Default::default() },
    );
    c.label = Some(OutcomeColumn { column: "label".into(), positive: vec!["1".into()], ..Default::default() });
    c.outcome = Direction::Harmful;
    c
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_else(|| "1000000".into());
    let runs: u32 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(3);
    // A number of rows to generate, or a file someone else generated.
    let (path, generated) = match first.parse::<u64>() {
        Ok(rows) => {
            let path = std::env::temp_dir().join(format!("biasaudit-bench-{rows}.csv"));
            generate(&path, rows)?;
            (path, true)
        }
        Err(_) => (std::path::PathBuf::from(first), false),
    };
    let bytes = std::fs::metadata(&path)?.len();

    let mut best = f64::INFINITY;
    let mut rows = 0;
    for run in 1..=runs {
        let start = Instant::now();
        let mut file = std::fs::File::open(&path)?;
        let mut audit = Audit::new(config())?;
        // The CLI and the page hash on another thread or worker; this measures counting.
        audit.skip_fingerprint();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            audit.push(&buf[..n])?;
        }
        let counted = start.elapsed().as_secs_f64();
        let report = audit.finish_with_fingerprint(None)?;
        let secs = start.elapsed().as_secs_f64();
        if run == 1 {
            println!("file: {} rows, {:.1} MB ({})", report.input.rows_used, bytes as f64 / 1e6, path.display());
        }
        rows = report.input.rows_used;
        println!("  counting {counted:.3} s, report (evidence, indices) {:.3} s", secs - counted);
        best = best.min(secs);
        println!(
            "run {run}: {secs:.3} s  {:.1} MB/s  {:.2} M rows/s",
            bytes as f64 / 1e6 / secs,
            rows as f64 / 1e6 / secs
        );
    }
    println!(
        "best: {:.1} MB/s, {:.2} M rows/s (ingest + tally of 3 attributes + report, one thread)",
        bytes as f64 / 1e6 / best,
        rows as f64 / 1e6 / best
    );
    match peak_rss_kib() {
        Some(kib) => println!("peak resident memory: {:.1} MB", kib as f64 / 1024.0),
        None => println!("peak resident memory: unavailable on this platform"),
    }
    if generated {
        std::fs::remove_file(&path)?;
    }
    Ok(())
}
