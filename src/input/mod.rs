//! Bytes → records → cells: reading the file. Nothing here knows what a
//! group or a metric is.

pub mod cells;
pub mod dates;
pub mod ingest;
pub(crate) mod lookup;
pub mod preview;
pub mod sheet;
