// Each test binary that includes this module uses only part of it.
#![allow(dead_code)]

//! Shared by the COMPAS tests: where the data is, and the audit of it that
//! the reference scripts mirror (race; "Medium" or "High" risk as the harmful
//! positive decision; two-year recidivism as the label; Caucasian reference).

pub mod checker;

use biasaudit::{AuditConfig, Direction, OutcomeColumn, Reference};
use std::path::PathBuf;

fn compas_location() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/compas-scores-two-years.csv")
}

/// True (after saying so) when the COMPAS file is not there: a test that
/// needs it then returns at once, as a skip. The test command runs beside
/// ../shared, so there every COMPAS test runs.
pub fn compas_missing() -> bool {
    let path = compas_location();
    let missing = !path.exists();
    if missing {
        eprintln!(
            "skipped: COMPAS data not found at {} (the shared/ folder must sit beside the repository)",
            path.display()
        );
    }
    missing
}

/// The ProPublica file in ../shared/data (never copied into this repository).
pub fn compas_path() -> PathBuf {
    let path = compas_location();
    assert!(
        path.exists(),
        "COMPAS data not found at {} (the shared/ folder must sit beside the repository)",
        path.display()
    );
    path
}

pub fn compas_bytes() -> Vec<u8> {
    std::fs::read(compas_path()).expect("read COMPAS")
}

pub fn compas_config() -> AuditConfig {
    let mut c = AuditConfig::new(
        vec!["race".into()],
        OutcomeColumn {
            column: "score_text".into(),
            positive: vec!["Medium".into(), "High".into()],
            negative: vec!["Low".into()],
            ..Default::default()
        },
    );
    c.label = Some(OutcomeColumn { column: "two_year_recid".into(), positive: vec!["1".into()], ..Default::default() });
    c.reference = Reference::Group("Caucasian".into());
    c.outcome = Direction::Harmful;
    c
}
