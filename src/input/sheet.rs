//! Spreadsheets → records: one sheet of an Excel (`.xlsx`, `.xls`) or
//! OpenDocument (`.ods`) workbook, read by calamine, handed on as the CSV
//! path hands on a file's records, so every rule after this reads a sheet as
//! it reads the same sheet saved as CSV.
//!
//! Typed cells are written as text the way a spreadsheet saves them as CSV:
//! numbers to 15 significant digits (Excel's precision: `0.1 + 0.2` is
//! `0.3`), whole numbers without a decimal point, dates in ISO 8601
//! (`2025-03-31`, `2025-03-31 14:22:09`), booleans as `TRUE` and `FALSE`, and
//! a formula's error as Excel shows it (`#N/A`). Rows with no value in any
//! cell are skipped, as blank lines are in a CSV file.
//!
//! An `.xlsx` sheet is streamed cell by cell, so memory holds one row (and
//! the workbook's table of shared strings), not the sheet; `.xls` (at most
//! 65,536 rows) and `.ods` sheets are read whole.

use crate::error::{quoted, Error, ErrorCode, Result, SheetPlace};
use crate::input::ingest::{Record, RecordSink};
use calamine::{CellErrorType, Data, DataRef, ExcelDateTime, Ods, Reader, Xls, Xlsx};
use std::io::{Read, Seek};

/// Excel's last row: no sheet has more.
pub const MAX_SHEET_ROW: u32 = 1_048_576;

/// Excel's columns, A to XFD: a cell further right is a damaged or crafted file.
pub const MAX_SHEET_COLUMNS: u32 = 16_384;

/// The kinds of workbook read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// Excel 2007 and later (Office Open XML).
    Xlsx,
    /// Excel 97–2003 (BIFF in an OLE container).
    Xls,
    /// OpenDocument (LibreOffice, Google Sheets' download).
    Ods,
}

impl SheetFormat {
    /// The workbook kind these first bytes start, or `None` for anything else
    /// (a CSV file, say): a zip holding an OpenDocument spreadsheet, any
    /// other zip (an Excel workbook), or an OLE container (Excel 97–2003).
    pub fn sniff(start: &[u8]) -> Option<SheetFormat> {
        if start.starts_with(b"PK\x03\x04") {
            // An OpenDocument file starts with its uncompressed "mimetype" entry.
            let ods = start.len() >= 38
                && &start[30..38] == b"mimetype"
                && start[38..].starts_with(b"application/vnd.oasis.opendocument.spreadsheet");
            return Some(if ods { SheetFormat::Ods } else { SheetFormat::Xlsx });
        }
        start.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).then_some(SheetFormat::Xls)
    }

    /// `xlsx`, `xls` or `ods`, as the page and the CLI name the kind.
    pub fn kind(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "xlsx",
            SheetFormat::Xls => "xls",
            SheetFormat::Ods => "ods",
        }
    }

    /// The kind named by [`SheetFormat::kind`].
    pub fn from_kind(kind: &str) -> Option<SheetFormat> {
        Some(match kind {
            "xlsx" => SheetFormat::Xlsx,
            "xls" => SheetFormat::Xls,
            "ods" => SheetFormat::Ods,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "Excel workbook",
            SheetFormat::Xls => "Excel 97-2003 workbook",
            SheetFormat::Ods => "OpenDocument spreadsheet",
        }
    }
}

/// Which sheet, and which of its rows holds the column names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetChoice {
    /// The sheet's name; the first sheet when absent.
    pub sheet: Option<String>,
    /// The 1-based row of the column names: rows above it are skipped.
    pub header_row: u32,
    /// Stop after this many data rows (a preview); all of them when absent.
    pub stop_after: Option<u64>,
}

/// What was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRead {
    /// The sheet read.
    pub sheet: String,
    /// Its data rows handed on (blank rows skipped).
    pub rows: u64,
    /// Whether every row was read (not stopped early).
    pub complete: bool,
    /// Every sheet of the workbook, in its order.
    pub sheets: Vec<String>,
}

/// Reads the chosen sheet into `sink`, the header row first, calling
/// `progress(rows done, rows in the sheet)` every few thousand rows. An
/// error from the sink is located at the sheet's cell (`Decisions!D17`).
pub fn read_sheet<RS: Read + Seek>(
    format: SheetFormat,
    rs: RS,
    choice: &SheetChoice,
    sink: &mut dyn RecordSink,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<SheetRead> {
    if !(1..=MAX_SHEET_ROW).contains(&choice.header_row) {
        return Err(Error::new(
            ErrorCode::ConfigOutOfRange,
            format!("the header row must be from 1 to {MAX_SHEET_ROW}, the rows a sheet can have"),
        )
        .for_field("header_row"));
    }
    let mut sheets = Vec::new();
    let mut pick = |names: Vec<String>| -> Result<String> {
        sheets.clone_from(&names);
        match &choice.sheet {
            None => {
                names.into_iter().next().ok_or_else(|| Error::new(ErrorCode::InputEmpty, "the workbook has no sheets"))
            }
            Some(wanted) if names.contains(wanted) => Ok(wanted.clone()),
            Some(wanted) => Err(Error::new(
                ErrorCode::ConfigInvalid,
                format!(
                    "the workbook has no sheet called {}; its sheets are: {}",
                    quoted(wanted),
                    names.iter().map(|n| quoted(n)).collect::<Vec<_>>().join(", ")
                ),
            )
            .for_field("sheet")),
        }
    };
    let mut rows = Rows::new(choice.header_row - 1, choice.stop_after);
    let sheet = match format {
        SheetFormat::Xlsx => {
            let mut book = Xlsx::new(rs).map_err(|e| unreadable(format, e))?;
            let sheet = pick(book.sheet_names())?;
            let mut cells = book.worksheet_cells_reader(&sheet).map_err(|e| unreadable(format, e))?;
            let total = u64::from(cells.dimensions().end.0) + 1;
            rows.sheet = sheet.clone();
            while !rows.stopped {
                let Some(cell) = cells.next_cell().map_err(|e| unreadable(format, e))? else { break };
                let (row, column) = cell.get_position();
                rows.cell(row, column, &Cell::of_ref(cell.get_value()), sink, &mut |done| progress(done, total))?;
            }
            sheet
        }
        SheetFormat::Xls | SheetFormat::Ods => {
            let (sheet, range) = match format {
                SheetFormat::Xls => whole_sheet::<Xls<RS>, RS>(format, rs, &mut pick)?,
                _ => whole_sheet::<Ods<RS>, RS>(format, rs, &mut pick)?,
            };
            rows.sheet = sheet;
            let (top, left) = range.start().unwrap_or((0, 0));
            if range.width() > MAX_SHEET_COLUMNS as usize || range.height() > MAX_SHEET_ROW as usize {
                return Err(Error::new(
                    ErrorCode::InputUnreadableSheet,
                    format!(
                        "the sheet {} is larger than a sheet can be ({} rows by {} columns); open it in a spreadsheet program and save it again",
                        quoted(&rows.sheet),
                        range.height(),
                        range.width()
                    ),
                ));
            }
            let total = range.end().map_or(0, |(bottom, _)| u64::from(bottom) + 1);
            for (i, values) in range.rows().enumerate() {
                if rows.stopped {
                    break;
                }
                for (j, value) in values.iter().enumerate() {
                    let at = (top + i as u32, left + j as u32);
                    rows.cell(at.0, at.1, &Cell::of(value), sink, &mut |done| progress(done, total))?;
                }
            }
            rows.sheet.clone()
        }
    };
    rows.end_row(sink)?;
    if rows.header.is_none() {
        return Err(Error::new(
            ErrorCode::InputEmpty,
            format!("the sheet {} has nothing on row {} or below it", quoted(&sheet), choice.header_row),
        )
        .for_field("header_row"));
    }
    Ok(SheetRead { sheet, rows: rows.records, complete: !rows.stopped, sheets })
}

fn unreadable(format: SheetFormat, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::InputUnreadableSheet,
        format!("this {} could not be read ({e}); open it in a spreadsheet program and save it again", format.name()),
    )
}

/// A sheet read whole (`.xls`, `.ods`), chosen by `pick` from the workbook's sheets.
fn whole_sheet<R: Reader<RS>, RS: Read + Seek>(
    format: SheetFormat,
    rs: RS,
    pick: &mut dyn FnMut(Vec<String>) -> Result<String>,
) -> Result<(String, calamine::Range<Data>)>
where
    R::Error: std::fmt::Display,
{
    let mut book = R::new(rs).map_err(|e| unreadable(format, e))?;
    let sheet = pick(book.sheet_names())?;
    let range = book.worksheet_range(&sheet).map_err(|e| unreadable(format, e))?;
    Ok((sheet, range))
}

/// A cell's value, borrowed from either of calamine's cell types.
enum Cell<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    DateTime(ExcelDateTime),
    Iso(&'a str),
    Error(&'a CellErrorType),
}

impl<'a> Cell<'a> {
    fn of(value: &'a Data) -> Self {
        match value {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::Text(s),
            Data::Int(i) => Cell::Int(*i),
            Data::Float(f) => Cell::Float(*f),
            Data::Bool(b) => Cell::Bool(*b),
            Data::DateTime(d) => Cell::DateTime(*d),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Iso(s),
            Data::Error(e) => Cell::Error(e),
        }
    }

    fn of_ref(value: &'a DataRef<'a>) -> Self {
        match value {
            DataRef::Empty => Cell::Empty,
            DataRef::String(s) => Cell::Text(s),
            DataRef::SharedString(s) => Cell::Text(s),
            DataRef::Int(i) => Cell::Int(*i),
            DataRef::Float(f) => Cell::Float(*f),
            DataRef::Bool(b) => Cell::Bool(*b),
            DataRef::DateTime(d) => Cell::DateTime(*d),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Iso(s),
            DataRef::Error(e) => Cell::Error(e),
        }
    }

    /// Appends the cell as a spreadsheet saves it as CSV; false for an empty cell.
    fn write(&self, out: &mut Vec<u8>) -> bool {
        use std::io::Write;
        let _ = match self {
            Cell::Empty => return false,
            Cell::Text(s) => {
                out.extend_from_slice(s.as_bytes());
                return !s.is_empty();
            }
            Cell::Int(i) => write!(out, "{i}"),
            Cell::Float(f) => write!(out, "{}", number_text(*f)),
            Cell::Bool(b) => write!(out, "{}", if *b { "TRUE" } else { "FALSE" }),
            Cell::DateTime(d) if d.is_datetime() => write!(out, "{}", date_text(d)),
            Cell::DateTime(d) => write!(out, "{}", number_text(d.as_f64())),
            // OpenDocument writes dates as ISO 8601 already; its `T` becomes a space, as for Excel's dates.
            Cell::Iso(s) => match s.as_bytes().get(10) {
                Some(b'T') if s.len() > 11 => write!(out, "{} {}", &s[..10], &s[11..]),
                _ => write!(out, "{s}"),
            },
            Cell::Error(e) => write!(out, "{e}"),
        };
        true
    }
}

/// A number to 15 significant digits, as Excel shows and saves it, in its
/// shortest form: `0.1 + 0.2` is `0.3`, `3.0` is `3`, `1/3` is `0.333333333333333`.
pub fn number_text(v: f64) -> String {
    let rounded: f64 = format!("{v:.14e}").parse().unwrap_or(v);
    let text = format!("{rounded}");
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None if text == "-0" => "0".to_string(),
        None => text,
    }
}

/// A date (`2025-03-31`), a date and time (`2025-03-31 14:22:09`, with
/// milliseconds when it has them), or a time of day (`14:22:09`). The time
/// is the serial's fraction of a day rounded to the millisecond, carried into
/// the date at midnight (calamine's own split can give 21:51:25.1000 for
/// 21:51:26).
fn date_text(d: &ExcelDateTime) -> String {
    const DAY_MS: i64 = 86_400_000;
    let value = d.as_f64();
    let is_1904 = *d == ExcelDateTime::new(value, calamine::ExcelDateTimeType::DateTime, true);
    // Excel's dates end in 9999 (serial 2,958,465): far inside i64 milliseconds.
    let total = (value * DAY_MS as f64).round() as i64;
    let (days, ms) = (total.div_euclid(DAY_MS), total.rem_euclid(DAY_MS));
    let (year, month, day, ..) =
        ExcelDateTime::new(days as f64, calamine::ExcelDateTimeType::DateTime, is_1904).to_ymd_hms_milli();
    let (hour, minute, second, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    let time = if milli > 0 {
        format!("{hour:02}:{minute:02}:{second:02}.{milli:03}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    };
    if (0.0..1.0).contains(&value) {
        time
    } else if ms == 0 {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {time}")
    }
}

/// `A` for column 0, `Z` for 25, `AA` for 26: a column as a spreadsheet names it.
pub fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Cells, arriving in row order, gathered into records.
struct Rows {
    sheet: String,
    header_at: u32,
    /// The header's width: cells to its right must be empty.
    header: Option<Vec<String>>,
    row: Option<u32>,
    fields: Vec<u8>,
    ends: Vec<usize>,
    filled: bool,
    records: u64,
    rows_seen: u64,
    stop_after: Option<u64>,
    /// Enough rows were read (a preview's).
    stopped: bool,
}

/// Progress is reported every this many rows.
const PROGRESS_EVERY: u64 = 4096;

impl Rows {
    fn new(header_at: u32, stop_after: Option<u64>) -> Self {
        Rows {
            sheet: String::new(),
            header_at,
            header: None,
            row: None,
            fields: Vec::new(),
            ends: Vec::new(),
            filled: false,
            records: 0,
            rows_seen: 0,
            stop_after,
            stopped: false,
        }
    }

    fn cell(
        &mut self,
        row: u32,
        column: u32,
        value: &Cell<'_>,
        sink: &mut dyn RecordSink,
        progress: &mut dyn FnMut(u64),
    ) -> Result<()> {
        if row < self.header_at {
            return Ok(());
        }
        if self.row != Some(row) {
            self.end_row(sink)?;
            self.row = Some(row);
            self.rows_seen += 1;
            if self.rows_seen.is_multiple_of(PROGRESS_EVERY) {
                progress(u64::from(row) + 1);
            }
        }
        if column >= MAX_SHEET_COLUMNS {
            return Err(self.locate(
                Error::new(
                    ErrorCode::InputUnreadableSheet,
                    format!("the sheet has a cell beyond column XFD, the last a sheet can have ({MAX_SHEET_COLUMNS} columns)"),
                ),
                row,
                Some(column),
            ));
        }
        let column = column as usize;
        if let Some(header) = &self.header {
            if column >= header.len() {
                let mut probe = Vec::new();
                if value.write(&mut probe) {
                    return Err(self
                        .locate(Error::new(
                            ErrorCode::InputRaggedRow,
                            format!(
                                "this cell holds {} but its column has no name in the header row (row {}); name the column, or clear the cell",
                                quoted(&String::from_utf8_lossy(&probe)),
                                self.header_at + 1
                            ),
                        ), row, Some(column as u32)));
                }
                return Ok(());
            }
        }
        // Cells skipped in this row are empty fields.
        while self.ends.len() < column {
            self.ends.push(self.fields.len());
        }
        if self.ends.len() == column {
            self.filled |= value.write(&mut self.fields);
            self.ends.push(self.fields.len());
        }
        Ok(())
    }

    fn end_row(&mut self, sink: &mut dyn RecordSink) -> Result<()> {
        let Some(row) = self.row.take() else { return Ok(()) };
        if self.stopped {
            return Ok(());
        }
        let filled = std::mem::take(&mut self.filled);
        if filled {
            match &self.header {
                None => {
                    // The header is as wide as its last named column.
                    let mut names: Vec<String> = (0..self.ends.len())
                        .map(|i| {
                            let start = if i == 0 { 0 } else { self.ends[i - 1] };
                            String::from_utf8_lossy(&self.fields[start..self.ends[i]]).into_owned()
                        })
                        .collect();
                    while names.last().is_some_and(|n| n.trim().is_empty()) {
                        names.pop();
                    }
                    self.ends.truncate(names.len());
                    self.emit(row, 0, sink)?;
                    self.header = Some(names);
                }
                Some(header) => {
                    let width = header.len();
                    while self.ends.len() < width {
                        self.ends.push(self.fields.len());
                    }
                    self.records += 1;
                    self.emit(row, self.records, sink)?;
                    self.stopped = self.stop_after.is_some_and(|n| self.records >= n);
                }
            }
        }
        self.fields.clear();
        self.ends.clear();
        Ok(())
    }

    fn emit(&self, row: u32, index: u64, sink: &mut dyn RecordSink) -> Result<()> {
        let record = Record::from_fields(index, u64::from(row) + 1, &self.fields, &self.ends);
        sink.record(&record).map_err(|e| self.relocate(e, row))
    }

    /// The sink's error, located at its cell of the sheet.
    fn relocate(&self, mut e: Error, row: u32) -> Error {
        if matches!(e.code, ErrorCode::ConfigUnknownColumn | ErrorCode::ConfigAmbiguousColumn) {
            e.message.push_str(&format!(
                ". These are the names on row {} of the sheet {}: if the data is on another sheet, or below a title, choose that sheet and the row of its column names",
                row + 1,
                quoted(&self.sheet)
            ));
        }
        let column = e
            .location
            .column
            .as_ref()
            .and_then(|name| self.header.as_ref().and_then(|h| h.iter().position(|n| n.trim() == name.trim())));
        self.locate(e, row, column.map(|c| c as u32))
    }

    /// `e` located at the sheet's row, and at its cell when the column is known.
    fn locate(&self, mut e: Error, row: u32, column: Option<u32>) -> Error {
        e.location.line = Some(u64::from(row) + 1);
        let cell = column.map(|c| format!("{}{}", column_letters(c), row + 1));
        e.location.place = Some(Box::new(SheetPlace { sheet: self.sheet.clone(), cell }));
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    fn date(serial: f64, is_1904: bool) -> String {
        date_text(&ExcelDateTime::new(serial, ExcelDateTimeType::DateTime, is_1904))
    }

    #[test]
    fn dates_are_written_in_iso_8601() {
        assert_eq!(date(45943.0, false), "2025-10-13");
        assert_eq!(date(45943.541, false), "2025-10-13 12:59:02.400");
        assert_eq!(date(45943.5, false), "2025-10-13 12:00:00");
        assert_eq!(date(0.75, false), "18:00:00", "a time of day alone");
        assert_eq!(date(44481.0, true), "2025-10-13", "the 1904 date system");
        assert_eq!(date(61.0, false), "1900-03-01", "after Excel's 29 February 1900");
    }

    #[test]
    fn a_time_is_rounded_to_the_millisecond_before_it_is_split() {
        // 2024-05-25 21:51:26 as openpyxl writes it: calamine's own split says 21:51:25 and 1000 ms.
        assert_eq!(date(45437.91071759259, false), "2024-05-25 21:51:26");
        assert_eq!(date(45_437.999_999_999, false), "2024-05-26", "half a millisecond before midnight is midnight");
        assert_eq!(date(0.999_999_999_9, false), "00:00:00");
    }

    #[test]
    fn cells_are_referenced_as_a_spreadsheet_writes_them() {
        let at = |sheet: &str| SheetPlace { sheet: sheet.into(), cell: Some("G17".into()) }.reference();
        assert_eq!(at("Decisions").as_deref(), Some("Decisions!G17"));
        assert_eq!(at("Pilot data").as_deref(), Some("'Pilot data'!G17"));
        assert_eq!(at("2024").as_deref(), Some("'2024'!G17"));
        assert_eq!(at("A1").as_deref(), Some("'A1'!G17"));
        assert_eq!(at("Bob's").as_deref(), Some("'Bob''s'!G17"));
        assert_eq!(at("Q1_2024").as_deref(), Some("Q1_2024!G17"));
    }

    #[test]
    fn workbooks_are_told_apart_by_their_first_bytes() {
        let mut ods = b"PK\x03\x04".to_vec();
        ods.resize(30, 0);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(SheetFormat::sniff(&ods), Some(SheetFormat::Ods));
        assert_eq!(SheetFormat::sniff(b"PK\x03\x04rest"), Some(SheetFormat::Xlsx));
        assert_eq!(SheetFormat::sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Some(SheetFormat::Xls));
        assert_eq!(SheetFormat::sniff(b"a,b\n1,2\n"), None);
    }
}
