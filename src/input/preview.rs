//! Bytes → a column preview: what a person needs to configure an audit
//! (header names, the first rows, the delimiter, and for each column its
//! distinct values with counts when there are few, and whether it is numeric).

use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{CsvStream, Record, RecordSink};
use crate::input::cells::{is_missing, parse_number, trim};
use serde::Serialize;
use std::collections::HashMap;

/// Columns with more distinct values than this are reported as high-cardinality.
pub const MAX_DISTINCT: usize = 50;

/// A column preview of a file (or of its start), for configuring an audit.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
// Named apart from the wasm API's `Preview` class, which returns it.
#[schemars(rename = "PreviewResult")]
pub struct Preview {
    /// The delimiter used (detected unless one was given), as a
    /// one-character string.
    pub delimiter: String,
    /// One per header cell, in header order.
    pub columns: Vec<ColumnSummary>,
    /// The first rows, as text (invalid UTF-8 shown with replacement characters).
    pub rows: Vec<Vec<String>>,
    /// Data rows seen by the preview.
    pub rows_scanned: u64,
    /// Bytes seen by the preview.
    pub bytes_scanned: u64,
    /// The exact bytes of the header record, as a count from the start of the
    /// file (BOM included): parallel workers prepend them to their part.
    pub header_bytes: u64,
    /// For a spreadsheet: its sheets and the one shown (`delimiter` is then
    /// empty and `header_bytes` 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workbook: Option<WorkbookPreview>,
}

/// The workbook a preview was read from.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct WorkbookPreview {
    /// `xlsx`, `xls` or `ods`.
    pub kind: String,
    /// Every sheet, in the workbook's order.
    pub sheets: Vec<String>,
    /// The sheet previewed.
    pub sheet: String,
    /// The row of its column names, as asked for (1 for the first).
    pub header_row: u32,
    /// Whether the preview read every row of the sheet.
    pub complete: bool,
}

/// The rows a preview of a sheet reads at most (a CSV preview reads the
/// first 16 MB): enough for the columns' values, quick on any sheet.
pub const SHEET_PREVIEW_ROWS: u64 = 100_000;

/// A preview of one sheet of a workbook, its column names on `header_row`.
pub fn preview_sheet<RS: std::io::Read + std::io::Seek>(
    format: crate::input::sheet::SheetFormat,
    workbook: RS,
    sheet: Option<String>,
    header_row: u32,
    max_rows: usize,
) -> Result<Preview> {
    let mut sink = Sink::new(max_rows);
    let choice = crate::input::sheet::SheetChoice { sheet, header_row, stop_after: Some(SHEET_PREVIEW_ROWS) };
    let read = crate::input::sheet::read_sheet(format, workbook, &choice, &mut sink, &mut |_, _| {})?;
    let columns = sink.columns.iter().map(|c| summarise(c, &sink.columns)).collect();
    Ok(Preview {
        delimiter: String::new(),
        columns,
        rows: sink.rows,
        rows_scanned: sink.rows_scanned,
        bytes_scanned: 0,
        header_bytes: 0,
        workbook: Some(WorkbookPreview {
            kind: format.kind().to_string(),
            sheets: read.sheets,
            sheet: read.sheet,
            header_row,
            complete: read.complete,
        }),
    })
}

/// One column as the preview saw it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ColumnSummary {
    /// The header cell, trimmed.
    pub name: String,
    /// Whether every non-missing value parses as a number (false when there
    /// is none).
    pub numeric: bool,
    /// Cells that mean "no value" (empty, `na`, `n/a`, `null` or `nan`, in any
    /// case).
    pub missing: u64,
    /// Distinct values and their counts, most frequent first; `null` when the
    /// column has more than [`MAX_DISTINCT`] distinct values.
    pub values: Option<Vec<ValueCount>>,
    /// At least this many distinct values (exact when `values` is present).
    pub distinct: usize,
    /// The smallest number, for numeric columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The largest number, for numeric columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// How many times the name appears in the header (more than 1: ambiguous).
    pub name_count: usize,
}

/// One distinct value of a column and how often it occurs.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ValueCount {
    /// The value, trimmed (invalid UTF-8 shown with replacement characters).
    pub value: String,
    /// Rows with this value.
    pub count: u64,
}

#[derive(Default)]
struct ColumnState {
    name: String,
    numeric: bool,
    missing: u64,
    values: Option<HashMap<Box<[u8]>, u64>>,
    distinct: usize,
    min: Option<f64>,
    max: Option<f64>,
}

/// Streaming preview builder; feed chunks like an [`crate::Audit`].
pub struct PreviewBuilder {
    stream: CsvStream,
    sink: Sink,
}

struct Sink {
    max_rows: usize,
    columns: Vec<ColumnState>,
    rows: Vec<Vec<String>>,
    rows_scanned: u64,
    header_end_line: Option<u64>,
    header_seen: bool,
}

impl PreviewBuilder {
    /// `max_rows`: how many rows to keep as text for display.
    pub fn new(max_rows: usize, delimiter: Option<u8>) -> Self {
        PreviewBuilder { stream: CsvStream::new(delimiter), sink: Sink::new(max_rows) }
    }

    /// Feeds the next chunk; chunks may split anywhere.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.stream.feed(chunk, &mut self.sink)
    }

    /// Ends a preview of the whole file; fails if the file is empty or cannot
    /// be read (it ends inside a quoted value, say).
    pub fn finish(self) -> Result<Preview> {
        self.finish_as(true)
    }

    /// Ends a preview of only the start of a file: the last record may be
    /// cut short (even inside quotes), so it is dropped rather than read.
    pub fn finish_truncated(self) -> Result<Preview> {
        self.finish_as(false)
    }

    fn finish_as(mut self, whole_file: bool) -> Result<Preview> {
        if whole_file {
            self.stream.finish(&mut self.sink)?;
        } else {
            self.stream.flush_held(&mut self.sink)?;
        }
        if !self.sink.header_seen {
            return Err(Error::new(
                ErrorCode::InputEmpty,
                "the file is empty: expected a header row naming the columns",
            ));
        }
        let columns = self.sink.columns.iter().map(|c| summarise(c, &self.sink.columns)).collect();
        Ok(Preview {
            delimiter: (self.stream.delimiter() as char).to_string(),
            columns,
            rows: self.sink.rows,
            rows_scanned: self.sink.rows_scanned,
            bytes_scanned: self.stream.bytes_read(),
            header_bytes: self.stream.header_end(),
            workbook: None,
        })
    }
}

fn summarise(c: &ColumnState, all: &[ColumnState]) -> ColumnSummary {
    let values = c.values.as_ref().map(|map| {
        let mut v: Vec<ValueCount> = map
            .iter()
            .map(|(k, &count)| ValueCount { value: String::from_utf8_lossy(k).into_owned(), count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        v
    });
    ColumnSummary {
        name: c.name.clone(),
        numeric: c.numeric && c.min.is_some(),
        missing: c.missing,
        values,
        distinct: c.distinct,
        min: c.min.filter(|_| c.numeric),
        max: c.max.filter(|_| c.numeric),
        name_count: all.iter().filter(|o| o.name == c.name).count(),
    }
}

impl Sink {
    fn new(max_rows: usize) -> Self {
        Sink {
            max_rows,
            columns: Vec::new(),
            rows: Vec::new(),
            rows_scanned: 0,
            header_end_line: None,
            header_seen: false,
        }
    }
}

impl RecordSink for Sink {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        let text = |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned();
        if !self.header_seen {
            self.header_seen = true;
            self.header_end_line = Some(record.line);
            self.columns = (0..record.len())
                .map(|i| ColumnState {
                    name: String::from_utf8_lossy(trim(record.get(i).unwrap_or_default())).into_owned(),
                    numeric: true,
                    values: Some(HashMap::new()),
                    ..Default::default()
                })
                .collect();
            return Ok(());
        }
        self.rows_scanned += 1;
        if self.rows.len() < self.max_rows {
            self.rows.push((0..record.len()).map(text).collect());
        }
        for (i, column) in self.columns.iter_mut().enumerate() {
            let cell = trim(record.get(i).unwrap_or_default());
            if is_missing(cell) {
                column.missing += 1;
                continue;
            }
            match parse_number(cell) {
                Some(v) if column.numeric => {
                    column.min = Some(column.min.map_or(v, |m| m.min(v)));
                    column.max = Some(column.max.map_or(v, |m| m.max(v)));
                }
                Some(_) => {}
                None => column.numeric = false,
            }
            if let Some(values) = column.values.as_mut() {
                if let Some(count) = values.get_mut(cell) {
                    *count += 1;
                } else if values.len() < MAX_DISTINCT {
                    values.insert(cell.into(), 1);
                    column.distinct = values.len();
                } else {
                    column.values = None;
                    column.distinct = MAX_DISTINCT + 1;
                }
            }
        }
        Ok(())
    }
}

/// Previews a whole in-memory file (or its first part).
pub fn preview_bytes(bytes: &[u8], max_rows: usize) -> Result<Preview> {
    let mut p = PreviewBuilder::new(max_rows, None);
    p.push(bytes)?;
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises_columns() {
        let csv = b"\xEF\xBB\xBFsex;score;d;d\nF;1,5;yes;1\nM;2;no;2\nF;NA;yes;3\n";
        let p = preview_bytes(csv, 2).expect("preview");
        assert_eq!(p.delimiter, ";");
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows_scanned, 3);
        // BOM (3) + "sex;score;d;d\n" (14).
        assert_eq!(p.header_bytes, 17);
        let sex = &p.columns[0];
        let values: Vec<(&str, u64)> =
            sex.values.as_ref().map(|v| v.iter().map(|c| (c.value.as_str(), c.count)).collect()).unwrap_or_default();
        assert_eq!(values, vec![("F", 2), ("M", 1)]);
        assert!(!sex.numeric);
        let score = &p.columns[1];
        assert!(!score.numeric, "a decimal comma is not a number");
        assert_eq!(score.missing, 1);
        let last = &p.columns[3];
        assert!(last.numeric);
        assert_eq!((last.min, last.max), (Some(1.0), Some(3.0)));
        assert_eq!(last.name_count, 2);
    }

    #[test]
    fn a_preview_cut_inside_quotes_drops_the_partial_record() {
        let csv = b"g,d\nA,1\n\"B\nstill quoted";
        let mut p = PreviewBuilder::new(5, None);
        p.push(csv).expect("push");
        let preview = p.finish_truncated().expect("truncated preview");
        assert_eq!(preview.rows, vec![vec!["A".to_string(), "1".to_string()]]);
        let mut whole = PreviewBuilder::new(5, None);
        whole.push(csv).expect("push");
        assert!(whole.finish().is_err(), "the whole file does have an unclosed quote");
    }

    #[test]
    fn many_values_are_not_listed() {
        let mut csv = String::from("id,g\n");
        for i in 0..60 {
            csv.push_str(&format!("{i},a\n"));
        }
        let p = preview_bytes(csv.as_bytes(), 5).expect("preview");
        assert!(p.columns[0].values.is_none());
        assert_eq!(p.columns[0].distinct, MAX_DISTINCT + 1);
        assert_eq!(p.columns[1].distinct, 1);
    }
}
