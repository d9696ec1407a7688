//! Benchmark of the score layer on 1,000,000 rows in 6 groups.
//!
//! Run: `cargo run --release --example bench_scores` (optionally with a row
//! count as the first argument). For each of two score variants (rounded to 4
//! decimals, and full-precision continuous), prints the time to count the
//! histograms (and to merge two halves, as parallel workers would), to build
//! the threshold sweeps, the mean time of one threshold lookup over 1e6
//! lookups, the times of the figures computed from them, and the peak memory
//! (VmHWM from /proc/self/status).

use biasaudit::scores::{
    auc, calibration, group_thresholds, roc_curve, scoring_rate, single_threshold_min_cost, CalibrationBins,
    FairnessCriterion, ScoreHistogram, ThresholdSweep,
};
use std::hint::black_box;
use std::time::Instant;

const GROUPS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

/// splitmix64: small, deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn ms(t: Instant) -> String {
    format!("{:>9.1} ms", t.elapsed().as_secs_f64() * 1e3)
}

fn run(label: &str, rows: usize, round4: bool) {
    println!("== {label}: {rows} rows, {} groups", GROUPS.len());
    let mut rng = Rng(0x5EED_0000 + u64::from(round4));
    // Generate the rows first so that counting is timed alone.
    let data: Vec<(usize, f64, bool)> = (0..rows)
        .map(|_| {
            let g = (rng.next_u64() % GROUPS.len() as u64) as usize;
            let shift = g as f64 * 0.03;
            let mut s = (rng.unit() * 0.9 + shift).min(1.0);
            if round4 {
                s = (s * 1e4).round() / 1e4;
            }
            let y = rng.unit() < s;
            (g, s, y)
        })
        .collect();

    let t = Instant::now();
    let mut hs: Vec<ScoreHistogram> = GROUPS.iter().map(|_| ScoreHistogram::new()).collect();
    for &(g, s, y) in &data {
        hs[g].add(s, Some(y)).expect("finite score");
    }
    println!("count histograms (one pass)     {}", ms(t));
    let distinct: usize = hs.iter().map(ScoreHistogram::len).sum();
    println!("distinct scores over all groups  {distinct:>9}");

    // Two "workers" over the two halves, then merged.
    let t = Instant::now();
    let half = data.len() / 2;
    let mut parts: Vec<Vec<ScoreHistogram>> = Vec::new();
    for chunk in [&data[..half], &data[half..]] {
        let mut p: Vec<ScoreHistogram> = GROUPS.iter().map(|_| ScoreHistogram::new()).collect();
        for &(g, s, y) in chunk {
            p[g].add(s, Some(y)).expect("finite score");
        }
        parts.push(p);
    }
    let count_parts = t.elapsed();
    let t = Instant::now();
    let (first, rest) = parts.split_at_mut(1);
    for (a, b) in first[0].iter_mut().zip(&rest[0]) {
        a.merge(b).expect("merge");
    }
    println!(
        "count two halves + merge         {:>9.1} ms (merge alone {})",
        (count_parts + t.elapsed()).as_secs_f64() * 1e3,
        ms(t).trim()
    );
    assert!(first[0] == hs, "merged halves equal the one-pass histograms");
    drop(parts);
    drop(data);

    let t = Instant::now();
    let sweeps: Vec<ThresholdSweep> = hs.iter().map(|h| ThresholdSweep::build(h).expect("labelled")).collect();
    println!("build 6 threshold sweeps         {}", ms(t));

    let lookups = 1_000_000usize;
    let probes: Vec<f64> = (0..lookups).map(|_| rng.unit() * 1.1 - 0.05).collect();
    let t = Instant::now();
    let mut acc = 0u64;
    for (i, &p) in probes.iter().enumerate() {
        let c = black_box(&sweeps[i % sweeps.len()]).at(black_box(p));
        acc = acc.wrapping_add(c.tp ^ c.fp);
    }
    let per = t.elapsed().as_secs_f64() * 1e9 / lookups as f64;
    black_box(acc);
    println!("threshold lookup (avg of 1e6)    {per:>9.1} ns");

    let t = Instant::now();
    for h in &hs {
        black_box(auc(h).expect("auc"));
    }
    println!("AUC, 6 groups                    {}", ms(t));
    let t = Instant::now();
    for h in &hs {
        black_box(roc_curve(h).expect("roc").len());
    }
    println!("ROC curves, 6 groups             {}", ms(t));
    let t = Instant::now();
    for h in &hs {
        black_box(calibration(h, CalibrationBins::Quantile(10)).expect("calibration"));
        black_box(calibration(h, CalibrationBins::Uniform(10)).expect("calibration"));
    }
    println!("calibration (quantile+uniform)   {}", ms(t));

    let groups: Vec<(&str, &ThresholdSweep)> = GROUPS.iter().copied().zip(sweeps.iter()).collect();
    let t = Instant::now();
    let single = single_threshold_min_cost(&groups, 0.5).expect("single");
    println!("single threshold (min cost)      {}  threshold {:?}", ms(t), single.threshold);
    for crit in
        [FairnessCriterion::DemographicParity, FairnessCriterion::EqualOpportunity, FairnessCriterion::EqualAccuracy]
    {
        let t = Instant::now();
        let r = group_thresholds(&groups, crit, 0.5).expect("group thresholds");
        println!("group thresholds {:<17} {}  gap {:.3e}", format!("{crit:?}"), ms(t), r.gap);
    }
    let hg: Vec<(&str, &ScoreHistogram)> = GROUPS.iter().copied().zip(hs.iter()).collect();
    let t = Instant::now();
    let ll = scoring_rate(&hg).expect("ll144");
    println!("LL144 scoring rates              {}  median {}", ms(t), ll.median);
    println!("peak memory so far (VmHWM)       {:>12}", peak_memory());
}

fn main() {
    let rows = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    run("scores rounded to 4 decimals", rows, true);
    run("full-precision continuous scores", rows, false);
}
