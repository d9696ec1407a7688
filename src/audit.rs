//! The pipeline in one object: feed bytes, get tallies or a report.
//!
//! ```
//! use biasaudit::{Audit, AuditConfig, OutcomeColumn};
//!
//! let decision = OutcomeColumn { column: "hired".into(), positive: vec!["yes".into()], ..Default::default() };
//! let mut audit = Audit::new(AuditConfig::new(vec!["sex".into()], decision)).unwrap();
//! audit.push(b"sex,hired\nF,yes\nF,no\nM,ye").unwrap();
//! audit.push(b"s\nM,yes\n").unwrap();
//! let report = audit.finish().unwrap();
//! let women = &report.attributes[0].groups[0];
//! assert_eq!(women.group, "F");
//! assert_eq!(women.metrics.get("selection_rate").and_then(|v| v.get()), Some(0.5));
//! ```

use crate::config::AuditConfig;
use crate::error::{Error, Result};
use crate::ingest::CsvStream;
use crate::report::{self, Report};
use crate::rows::Tallier;
use crate::tally::TallySet;

pub struct Audit {
    stream: CsvStream,
    tallier: Tallier,
    config: AuditConfig,
    failed: bool,
}

impl Audit {
    pub fn new(config: AuditConfig) -> Result<Self> {
        let delimiter = match config.delimiter {
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(_) => return Err(Error::new("the delimiter must be an ASCII character")),
            None => None,
        };
        Ok(Audit { stream: CsvStream::new(delimiter), tallier: Tallier::new(config.clone())?, config, failed: false })
    }

    /// Feeds the next chunk of the file; chunks may split anywhere.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.guard()?;
        let result = self.stream.feed(chunk, &mut self.tallier);
        self.failed = result.is_err();
        result
    }

    pub fn bytes_read(&self) -> u64 {
        self.stream.bytes_read()
    }

    pub fn rows_read(&self) -> u64 {
        self.tallier.rows_read()
    }

    /// Ends the input and returns the tallies (for merging across workers).
    pub fn finish_tallies(&mut self) -> Result<TallySet> {
        self.guard()?;
        let result = self.stream.finish(&mut self.tallier).and_then(|()| self.tallier.tallies());
        self.failed = result.is_err();
        result
    }

    /// Ends the input and builds the report.
    pub fn finish(mut self) -> Result<Report> {
        let tallies = self.finish_tallies()?;
        report::build(&self.config, &tallies, Some(self.stream.delimiter()))
    }

    fn guard(&self) -> Result<()> {
        if self.failed {
            Err(Error::new("this audit already stopped at an error; start a new one"))
        } else {
            Ok(())
        }
    }
}

/// Audits a whole in-memory file.
pub fn audit_bytes(config: AuditConfig, bytes: &[u8]) -> Result<Report> {
    let mut audit = Audit::new(config)?;
    audit.push(bytes)?;
    audit.finish()
}
