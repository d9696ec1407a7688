//! Fuzzes the whole audit: bytes → report → JSON and Markdown. The first
//! byte picks the settings and the chunk size; the rest is the file.
//! Run with scripts/fuzz (see docs/security.md).
#![no_main]

use biasaudit::{markdown, Audit, AuditConfig};
use libfuzzer_sys::fuzz_target;

const CONFIGS: [&str; 4] = [
    r#"{"groups":["a"],"decision":{"column":"b","positive":["1"]}}"#,
    r#"{"groups":["a","c"],"decision":{"column":"b","positive":["1"],"rest_negative":true},"label":{"column":"c","positive":["x"],"rest_negative":true},"weight":"b","strata":"a","reference":"most_favoured","outcome":"harmful"}"#,
    r#"{"groups":["c"],"decision":{"column":"a","threshold":0.5},"reference":{"group":"x"},"evidence":{"min_group":1,"adjust":"bh","interval":"clopper_pearson","yates":true}}"#,
    r#"{"groups":["g"],"decision":{"column":"d","positive":["1"]},"label":{"column":"y","positive":["1"]},"reference":"overall"}"#,
];

fuzz_target!(|data: &[u8]| {
    let Some((&control, bytes)) = data.split_first() else { return };
    let Ok(config) = serde_json::from_str::<AuditConfig>(CONFIGS[usize::from(control) % CONFIGS.len()]) else {
        return;
    };
    let chunk = 1 + usize::from(control / 4) % 64;
    let Ok(mut audit) = Audit::new(config) else { return };
    for piece in bytes.chunks(chunk) {
        if audit.push(piece).is_err() {
            return;
        }
    }
    if let Ok(report) = audit.finish() {
        let _ = serde_json::to_string(&report);
        let _ = markdown::render(&report);
    }
});
