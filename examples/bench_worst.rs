//! The worst cases found for work and memory, each measured on its own:
//! time, the report's size beside the file's, and the process's peak memory.
//!
//!     cargo run --release --example bench_worst            every case, each in its own process
//!     cargo run --release --example bench_worst -- CASE    one case
//!
//! The bounds they stand for are enforced by tests, not here (this is timing):
//! tests/integration/hostile_inputs.rs (groups × strata) and
//! tests/node/settings-fuzz.test.mjs (report size against file size).

use biasaudit::{audit_bytes, AuditConfig};
use std::fmt::Write as _;
use std::time::Instant;

/// splitmix64: deterministic data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

struct Case {
    name: &'static str,
    what: &'static str,
    config: &'static str,
    file: fn() -> String,
}

fn intersection_cells() -> String {
    let mut rng = Rng(1);
    let mut csv = String::from("a,b,d\n");
    for i in 0..95 {
        for j in 0..95 {
            for _ in 0..3 {
                let _ = writeln!(csv, "A{i},B{j},{}", rng.next() % 2);
            }
        }
    }
    csv
}

fn distinct_scores() -> String {
    let mut rng = Rng(2);
    let mut csv = String::from("g,d,y,s\n");
    for i in 0..1_000_000u64 {
        let score = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
        let _ =
            writeln!(csv, "{},{},{},{score:.15}", ["A", "B"][(i % 2) as usize], u8::from(score > 0.5), rng.next() % 2);
    }
    csv
}

fn groups_in_own_strata() -> String {
    let mut csv = String::from("g,d,s\n");
    for i in 0..2_000 {
        let _ = writeln!(csv, "G{i},{},S{i}", i % 2);
    }
    csv
}

fn many_groups_most_favoured() -> String {
    let mut rng = Rng(3);
    let mut csv = String::from("g,d\n");
    for i in 0..3_000 {
        for _ in 0..12 {
            let _ = writeln!(csv, "G{i},{}", rng.next() % 2);
        }
    }
    csv
}

const CASES: [Case; 4] = [
    Case {
        name: "intersection",
        what: "9,025 intersection cells of 3 rows, compared with everyone else",
        config: r#"{"groups":["a","b"],"intersections":[["a","b"]],"decision":{"column":"d","positive":["1"]},"reference":"rest"}"#,
        file: intersection_cells,
    },
    Case {
        name: "scores",
        what: "1,000,000 distinct scores in 2 groups, labelled",
        config: r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"label":{"column":"y","positive":["1"]},"score":"s"}"#,
        file: distinct_scores,
    },
    Case {
        name: "strata",
        what: "2,000 groups, each in its own stratum",
        config: r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"strata":"s","evidence":{"min_group":0}}"#,
        file: groups_in_own_strata,
    },
    Case {
        name: "most-favoured",
        what: "3,000 groups of 12 against the most favoured (4.5 million pairs)",
        config: r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"reference":"most_favoured","evidence":{"min_group":10}}"#,
        file: many_groups_most_favoured,
    },
];

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}

fn run(case: &Case) -> Result<(), String> {
    let csv = (case.file)();
    let config: AuditConfig = serde_json::from_str(case.config).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let report = audit_bytes(config, csv.as_bytes()).map_err(|e| e.to_string())?;
    let json = serde_json::to_vec(&report).map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    // The file is held in memory here, so the peak includes it.
    let peak = peak_rss_mib().map_or("?".into(), |m| format!("{m:.0} MiB"));
    println!(
        "{:<14} {:>7.2} s  file {:>6.1} MB  report {:>6.1} MB ({:>4.0} × the file)  peak {peak}  — {}",
        case.name,
        seconds,
        csv.len() as f64 / 1e6,
        json.len() as f64 / 1e6,
        json.len() as f64 / csv.len() as f64,
        case.what
    );
    Ok(())
}

fn main() -> Result<(), String> {
    if let Some(name) = std::env::args().nth(1) {
        let case = CASES.iter().find(|c| c.name == name).ok_or_else(|| format!("no case {name}"))?;
        return run(case);
    }
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    for case in &CASES {
        let status = std::process::Command::new(&me).arg(case.name).status().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("case {} failed", case.name));
        }
    }
    Ok(())
}
