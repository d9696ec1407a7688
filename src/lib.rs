//! biasaudit: fairness metrics and disparate-impact checks on a file of
//! decisions, computed locally — natively or in the browser via WebAssembly.
//!
//! Data flows one way, one module per stage:
//! bytes ([`ingest`]) → rows ([`rows`]) → tallies ([`tally`]) → metrics
//! ([`metrics`]) → disparities ([`disparity`]) → one [`Report`] ([`report`]),
//! rendered by [`markdown`] or serialised as JSON.

pub mod audit;
pub mod binning;
pub mod config;
pub mod disparity;
pub mod error;
pub mod evidence;
pub mod inequality;
pub mod ingest;
mod lookup;
pub mod markdown;
pub mod metrics;
pub mod preview;
pub mod publication;
pub mod report;
pub mod rows;
pub mod schema;
pub mod scores;
pub mod stats;
pub mod tally;

pub use audit::{audit_bytes, Audit};
pub use config::{AuditConfig, Direction, OutcomeColumn, Reference};
pub use error::Error;
pub use report::Report;
pub use tally::TallySet;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(target_arch = "wasm32")]
mod wasm_types;
