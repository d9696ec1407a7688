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
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::CsvStream;
use crate::report::{self, Report};
use crate::rows::Tallier;
use crate::tally::TallySet;
use sha2::{Digest, Sha256};

#[cfg(not(target_arch = "wasm32"))]
pub mod parallel;

/// Lower-case hexadecimal, as `sha256sum` prints it.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An audit fed with chunks of a file: rows are counted as they arrive, and the
/// report is built at the end. After an error it refuses further input; start a
/// new one.
pub struct Audit {
    stream: CsvStream,
    tallier: Tallier,
    config: AuditConfig,
    failed: bool,
    /// The tallies were handed over: nothing more can be added or taken.
    finished: bool,
    /// File offset of stream offset 0 (negative for a part: its header is prepended).
    shift: i128,
    part_end: Option<u64>,
    /// Fingerprint of the whole input (not kept for parts: they overlap).
    hasher: Option<Sha256>,
}

impl Audit {
    /// Starts an audit of a whole file; fails if the config is invalid or its
    /// delimiter is not ASCII.
    pub fn new(config: AuditConfig) -> Result<Self> {
        let delimiter = match config.delimiter {
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(_) => return Err(Error::new(ErrorCode::ConfigOutOfRange, "the delimiter must be an ASCII character")),
            None => None,
        };
        Ok(Audit {
            stream: CsvStream::new(delimiter),
            tallier: Tallier::new(config.clone())?,
            config,
            failed: false,
            finished: false,
            shift: 0,
            part_end: None,
            hasher: Some(Sha256::new()),
        })
    }

    /// An audit of one part of a file, for parallel counting. `header` is the
    /// file's first bytes up to the end of the header record (a preview's
    /// `header_bytes`); the part's bytes start at file offset `part_start`,
    /// which must be the start of a line; `part_end` is where the next part
    /// starts (`None` for the last part). The config must name the delimiter.
    ///
    /// Feed the part's bytes and keep feeding past `part_end` until
    /// [`Audit::part_done`]; then [`Audit::ended_at_boundary`] says whether the
    /// split was safe. If it was not (a cut fell inside a quoted field), the
    /// caller must count the file in one pass instead.
    pub fn for_part(config: AuditConfig, header: &[u8], part_start: u64, part_end: Option<u64>) -> Result<Self> {
        if config.delimiter.is_none() {
            return Err(Error::new(
                ErrorCode::EngineMisuse,
                "a part of a file needs the delimiter detected from the start of the file",
            ));
        }
        let mut audit = Audit::new(config)?;
        audit.hasher = None;
        audit.shift = i128::from(part_start) - header.len() as i128;
        if let Some(end) = part_end {
            audit.set_part_end(end)?;
        }
        audit.push(header)?;
        Ok(audit)
    }

    /// Stops after the record that straddles `end` (a file offset).
    pub fn set_part_end(&mut self, end: u64) -> Result<()> {
        let in_stream = u64::try_from(i128::from(end) - self.shift)
            .map_err(|_| Error::new(ErrorCode::EngineMisuse, "the part ends before it starts"))?;
        self.stream.stop_at(in_stream);
        self.part_end = Some(end);
        Ok(())
    }

    /// Whether the part has read past its end (later input is ignored).
    pub fn part_done(&self) -> bool {
        self.stream.stopped()
    }

    /// File offset just past the last record counted.
    pub fn last_record_end(&self) -> u64 {
        u64::try_from(i128::from(self.stream.last_record_end()) + self.shift).unwrap_or(0)
    }

    /// Whether the last record ended exactly where the next part starts (a
    /// CRLF's trailing `\n` may be left for the next part, which skips it).
    pub fn ended_at_boundary(&self) -> bool {
        match self.part_end {
            Some(end) => {
                let last = self.last_record_end();
                last == end || last + 1 == end
            }
            None => true,
        }
    }

    /// Feeds the next chunk of the file; chunks may split anywhere.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.guard()?;
        if let Some(h) = self.hasher.as_mut() {
            h.update(chunk);
        }
        let result = self.stream.feed(chunk, &mut self.tallier);
        self.failed = result.is_err();
        result
    }

    /// Bytes pushed so far (for a part, its header included), for progress.
    pub fn bytes_read(&self) -> u64 {
        self.stream.bytes_read()
    }

    /// Data rows read so far (the header not counted), excluded rows included.
    pub fn rows_read(&self) -> u64 {
        self.tallier.rows_read()
    }

    /// Ends the input and returns the tallies (for merging across workers).
    /// The score histograms are moved out, not copied, so the audit is then
    /// finished: any further call is refused.
    pub fn finish_tallies(&mut self) -> Result<TallySet> {
        self.guard()?;
        let result = self.stream.finish(&mut self.tallier).and_then(|()| self.tallier.take_tallies());
        self.failed = true;
        self.finished = result.is_ok();
        result
    }

    /// Ends the input and builds the report.
    pub fn finish(mut self) -> Result<Report> {
        let sha256 = self.hasher.take().map(|h| hex(&h.finalize()));
        self.finish_with_fingerprint(sha256)
    }

    /// Leaves the SHA-256 fingerprint to the caller, who can compute it on
    /// another thread (hashing is as slow as counting on CPUs without SHA
    /// instructions); pass it to [`Audit::finish_with_fingerprint`].
    pub fn skip_fingerprint(&mut self) {
        self.hasher = None;
    }

    /// Ends the input and builds the report with the given fingerprint.
    pub fn finish_with_fingerprint(mut self, sha256: Option<String>) -> Result<Report> {
        let tallies = self.finish_tallies()?;
        report::build(&self.config, &tallies, Some(self.stream.delimiter()), sha256)
    }

    fn guard(&self) -> Result<()> {
        if self.finished {
            Err(Error::new(ErrorCode::EngineMisuse, "this audit has already finished; start a new one"))
        } else if self.failed {
            Err(Error::new(ErrorCode::EngineMisuse, "this audit already stopped at an error; start a new one"))
        } else {
            Ok(())
        }
    }
}

/// Counts one sheet of a workbook (`config.sheet`, the first when absent,
/// its column names on `config.header_row`), calling `progress(rows done,
/// rows in the sheet)` as it goes; returns the tallies and the sheet read.
pub fn count_sheet<RS: std::io::Read + std::io::Seek>(
    config: &AuditConfig,
    format: crate::input::sheet::SheetFormat,
    workbook: RS,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(TallySet, String)> {
    let mut tallier = Tallier::new(config.clone())?;
    let choice = crate::input::sheet::SheetChoice {
        sheet: config.sheet.clone(),
        header_row: config.header_row,
        stop_after: None,
    };
    let read = crate::input::sheet::read_sheet(format, workbook, &choice, &mut tallier, progress)?;
    Ok((tallier.take_tallies()?, read.sheet))
}

/// Audits one sheet of a workbook, as [`count_sheet`] counts it. The
/// report's config names the sheet read; its fingerprint is left to the
/// caller, who has the file's bytes.
pub fn audit_sheet<RS: std::io::Read + std::io::Seek>(
    mut config: AuditConfig,
    format: crate::input::sheet::SheetFormat,
    workbook: RS,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Report> {
    let (tallies, sheet) = count_sheet(&config, format, workbook, progress)?;
    config.sheet = Some(sheet);
    report::build(&config, &tallies, None, None)
}

/// Audits a whole in-memory file.
pub fn audit_bytes(config: AuditConfig, bytes: &[u8]) -> Result<Report> {
    let mut audit = Audit::new(config)?;
    audit.push(bytes)?;
    audit.finish()
}
