//! Counting a file on several threads, as the page counts it in Web
//! Workers: the file is cut near equal offsets at line starts, each part is
//! counted by [`Audit::for_part`] with a copy of the header, and the parts'
//! tallies are merged by addition ([`TallySet::merge`]). A cut that fell
//! inside a quoted field, or a part that met bad data, gives `None`: the
//! caller counts the file again in one pass, which locates any error by its
//! row exactly as a one-pass count does.

use super::Audit;
use crate::config::AuditConfig;
use crate::preview::PreviewBuilder;
use crate::tally::TallySet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// How far past a cut to look for the next line start, and how much of the
/// file's start to read for its header (the page uses the same window).
pub const LINE_SEARCH_BYTES: usize = 1024 * 1024;
const CHUNK_BYTES: usize = 256 * 1024;

/// A file counted in parts: the merged tallies and the delimiter found.
#[derive(Debug)]
pub struct Counted {
    /// The parts' tallies, merged.
    pub tallies: TallySet,
    /// The delimiter detected at the start of the file (or the config's).
    pub delimiter: u8,
    /// How many parts were counted (1 when the file was too small to cut).
    pub parts: usize,
}

/// Why a count in parts gave no tallies.
#[derive(Debug)]
pub enum PartsFailure {
    /// The file could not be read.
    Io(std::io::Error),
    /// A cut fell inside a quoted field, or a part met bad data: count in one pass.
    CountInOnePass,
}

impl From<std::io::Error> for PartsFailure {
    fn from(e: std::io::Error) -> Self {
        PartsFailure::Io(e)
    }
}

/// Byte offsets where the parts start: 0, then the first line start after
/// each of `parts - 1` equal cuts, past the header and in increasing order.
pub fn plan_parts(
    file_len: u64,
    parts: usize,
    header_bytes: u64,
    mut line_start_after: impl FnMut(u64) -> std::io::Result<Option<u64>>,
) -> std::io::Result<Vec<u64>> {
    let mut starts = vec![0u64];
    for k in 1..parts as u64 {
        let target = header_bytes.max((u128::from(file_len) * u128::from(k) / parts as u128) as u64);
        if let Some(start) = line_start_after(target)? {
            // Past the header's own line end too (a CRLF header's `\n` is after `header_bytes`):
            // the first part must hold a data row.
            if start > *starts.last().unwrap_or(&0) && start > header_bytes + 1 && start < file_len {
                starts.push(start);
            }
        }
    }
    Ok(starts)
}

fn read_at(file: &mut File, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(len);
    file.take(len as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Counts the file at `path` in up to `parts` parts on as many threads.
pub fn count_file(config: &AuditConfig, path: &Path, parts: usize) -> std::result::Result<Counted, PartsFailure> {
    let mut file = File::open(path)?;
    let file_len = file.metadata()?.len();
    let delimiter = match config.delimiter {
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(_) => return Err(PartsFailure::CountInOnePass),
        None => None,
    };
    let start = read_at(&mut file, 0, LINE_SEARCH_BYTES)?;
    let mut preview = PreviewBuilder::new(0, delimiter);
    let preview = preview.push(&start).and_then(|()| preview.finish_truncated());
    let Ok(preview) = preview else { return Err(PartsFailure::CountInOnePass) };
    let header_bytes = preview.header_bytes;
    let delimiter = preview.delimiter.bytes().next().ok_or(PartsFailure::CountInOnePass)?;
    // A header that does not end within the window cannot be copied to the parts.
    if header_bytes == 0 || header_bytes as usize > start.len() {
        return Err(PartsFailure::CountInOnePass);
    }
    let header = start[..header_bytes as usize].to_vec();
    let starts = plan_parts(file_len, parts.max(1), header_bytes, |offset| {
        let window = read_at(&mut file, offset, LINE_SEARCH_BYTES)?;
        Ok(memchr::memchr(b'\n', &window).map(|i| offset + i as u64 + 1))
    })?;
    let mut part_config = config.clone();
    part_config.delimiter = Some(delimiter as char);
    let results: Vec<std::result::Result<Option<TallySet>, PartsFailure>> = std::thread::scope(|scope| {
        let handles: Vec<_> = starts
            .iter()
            .enumerate()
            .map(|(k, &start)| {
                let end = starts.get(k + 1).copied();
                let header: &[u8] = if start == 0 { &[] } else { &header };
                let config = part_config.clone();
                scope.spawn(move || count_part(config, path, header, start, end))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(Err(PartsFailure::CountInOnePass))).collect()
    });
    let mut merged: Option<TallySet> = None;
    for result in results {
        let Some(part) = result? else { return Err(PartsFailure::CountInOnePass) };
        match merged.as_mut() {
            Some(m) => m.merge(&part).map_err(|_| PartsFailure::CountInOnePass)?,
            None => merged = Some(part),
        }
    }
    let tallies = merged.ok_or(PartsFailure::CountInOnePass)?;
    Ok(Counted { tallies, delimiter, parts: starts.len() })
}

/// One part's tallies; `None` when it did not end where the next part starts
/// or met bad data.
fn count_part(
    config: AuditConfig,
    path: &Path,
    header: &[u8],
    start: u64,
    end: Option<u64>,
) -> std::result::Result<Option<TallySet>, PartsFailure> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let Ok(mut audit) = Audit::for_part(config, header, start, end) else { return Ok(None) };
    let mut buf = vec![0u8; CHUNK_BYTES];
    while !audit.part_done() {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if audit.push(&buf[..n]).is_err() {
            return Ok(None);
        }
    }
    // As the page's workers do: end the input, then ask where the last record ended.
    let tallies = audit.finish_tallies().ok();
    Ok(tallies.filter(|_| audit.ended_at_boundary()))
}

/// The threads to count on by default: the machine's cores, at most 8 (as the page's workers).
pub fn default_parts() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(8)
}
