#![warn(missing_docs)]
//! biasaudit: fairness metrics and disparate-impact checks on a file of
//! decisions, computed locally — natively or in the browser via WebAssembly.
//!
//! Data flows one way, one folder per stage (see `docs/architecture.md`):
//!
//! ```text
//! input (bytes → records → cells) → tally (rows → mergeable counts)
//!   → analysis (metrics, disparities, evidence, indices, scores) → report (Report, publication view, Markdown, schemas)
//! ```
//!
//! [`config`] says what to count and compare; [`audit`] runs the whole
//! pipeline; [`error`] is the one error type. The command line and the
//! WebAssembly API are thin surfaces over these.

pub mod analysis;
pub mod audit;
pub mod config;
pub mod error;
pub mod input;
pub mod report;
pub mod tally;

// Each stage's modules, also at the top for short paths.
pub use analysis::{disparity, evidence, exact, inequality, metrics, scores, stats};
pub use input::{ingest, preview};
pub use report::{markdown, publication, schema};
pub use tally::{binning, rows};

pub use audit::{audit_bytes, Audit};
pub use config::{AuditConfig, Direction, OutcomeColumn, Reference};
pub use error::{Error, ErrorCode};
pub use report::Report;
pub use tally::TallySet;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(target_arch = "wasm32")]
mod wasm_types;
