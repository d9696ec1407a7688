//! Tallies → figures: rates, comparisons, statistical evidence and verdicts,
//! inequality indices and score analyses. Everything here is a pure function
//! of tallies (and the config).

pub mod disparity;
pub mod evidence;
pub mod exact;
pub mod inequality;
pub mod metrics;
pub mod scores;
pub mod stats;
pub mod undefined;
