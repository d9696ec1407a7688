//! Collects mismatches against a reference fixture so one run reports all of
//! them, with the worst error as a fraction of its tolerance.

#[derive(Default)]
pub struct Checker {
    failures: Vec<String>,
    checks: usize,
    /// Largest error as a fraction of its tolerance, and where (shown with --nocapture).
    worst: (f64, String),
}

impl Checker {
    /// Passes when within `abs` absolutely or `rel` relatively.
    pub fn close(&mut self, what: &str, got: f64, want: f64, abs: f64, rel: f64) {
        self.checks += 1;
        let diff = (got - want).abs();
        let score = diff / abs.max(rel * want.abs());
        if score > self.worst.0 {
            self.worst = (score, format!("{what}: got {got:e}, want {want:e}"));
        }
        if !(got.is_finite() && (diff <= abs || diff <= rel * want.abs())) {
            self.failures.push(format!("{what}: got {got:e}, want {want:e} (diff {diff:e})"));
        }
    }

    /// Intervals, statistics, indices: 1e-9 absolute or relative.
    pub fn value(&mut self, what: &str, got: f64, want: f64) {
        self.close(what, got, want, 1e-9, 1e-9);
    }

    pub fn truth(&mut self, what: &str, ok: bool) {
        self.checks += 1;
        if !ok {
            self.failures.push(what.to_string());
        }
    }

    pub fn finish(self, section: &str) {
        assert!(self.checks > 0, "{section}: no checks ran");
        eprintln!(
            "{section}: {} checks, worst error {:.3e} of tolerance ({})",
            self.checks, self.worst.0, self.worst.1
        );
        assert!(
            self.failures.is_empty(),
            "{section}: {} of {} checks failed:\n{}",
            self.failures.len(),
            self.checks,
            self.failures.join("\n")
        );
    }
}
