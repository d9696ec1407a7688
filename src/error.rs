//! One error type that says what went wrong and where (line, record, column).

use serde::Serialize;
use std::fmt;

/// Where in the input an error was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, schemars::JsonSchema)]
pub struct Location {
    /// 1-based line in the file (the header is line 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based data record (the first row after the header is record 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Column name as written in the header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<Box<str>>,
    /// For a spreadsheet: the sheet, and the cell (`line` is then its row).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub place: Option<Box<SheetPlace>>,
}

impl SheetPlace {
    /// The cell as a spreadsheet writes a reference to it: `Decisions!G17`,
    /// `'Pilot data'!G17` (a name quoted unless a plain word).
    pub fn reference(&self) -> Option<String> {
        // Quoted as Excel quotes: unless a word that starts with a letter and does not read as a cell (A1, XFD9).
        let letters = self.sheet.chars().take_while(char::is_ascii_alphabetic).count();
        let looks_like_cell = (1..=3).contains(&letters)
            && self.sheet.len() > letters
            && self.sheet[letters..].chars().all(|c| c.is_ascii_digit());
        let plain = self.sheet.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && self.sheet.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !looks_like_cell;
        let sheet = if plain { self.sheet.clone() } else { format!("'{}'", self.sheet.replace('\'', "''")) };
        self.cell.as_ref().map(|cell| format!("{sheet}!{cell}"))
    }
}

/// Where in a workbook: boxed, so errors of CSV files stay small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct SheetPlace {
    /// The sheet's name.
    pub sheet: String,
    /// The cell as the sheet names it (`D17`), when the column is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

/// What went wrong, as a stable code: each surface words it for its own
/// users (the CLI names its flags, the page its fields) and decides where to
/// point from the code, never from the wording. The part before the dot is
/// the kind: `input` (the file's bytes), `config` (the settings), `data` (a
/// value in the file), `engine` (the API used out of order, or a fault).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum ErrorCode {
    /// The file is empty: no header row.
    #[serde(rename = "input.empty")]
    InputEmpty,
    /// A header but no data rows.
    #[serde(rename = "input.no_data_rows")]
    InputNoDataRows,
    /// Not a text CSV file: zipped (Excel), NUL bytes, or UTF-16.
    #[serde(rename = "input.not_csv")]
    InputNotCsv,
    /// A quoted value is never closed.
    #[serde(rename = "input.unclosed_quote")]
    InputUnclosedQuote,
    /// One row is longer than the engine accepts.
    #[serde(rename = "input.row_too_long")]
    InputRowTooLong,
    /// Text that is not valid UTF-8.
    #[serde(rename = "input.not_utf8")]
    InputNotUtf8,
    /// A row with more or fewer fields than the header.
    #[serde(rename = "input.ragged_row")]
    InputRaggedRow,
    /// A spreadsheet (.xlsx, .xls, .ods) that cannot be read: damaged, or
    /// protected with a password.
    #[serde(rename = "input.unreadable_sheet")]
    InputUnreadableSheet,
    /// The settings could not be read (an unknown field, a wrong type).
    #[serde(rename = "config.invalid")]
    ConfigInvalid,
    /// A setting that must be given is missing.
    #[serde(rename = "config.missing")]
    ConfigMissing,
    /// A number outside its allowed range.
    #[serde(rename = "config.out_of_range")]
    ConfigOutOfRange,
    /// Settings that contradict each other (a column named twice, both
    /// positive values and a threshold, …).
    #[serde(rename = "config.conflict")]
    ConfigConflict,
    /// A column named in the settings is not in the file's header.
    #[serde(rename = "config.unknown_column")]
    ConfigUnknownColumn,
    /// A column named in the settings appears more than once in the header.
    #[serde(rename = "config.ambiguous_column")]
    ConfigAmbiguousColumn,
    /// The named reference group cannot be used.
    #[serde(rename = "config.unknown_reference")]
    ConfigUnknownReference,
    /// A decision or label value that is neither positive nor negative.
    #[serde(rename = "data.unexpected_value")]
    DataUnexpectedValue,
    /// A cell that must be a number (a weight, a banded value) is not one, or is out of range.
    #[serde(rename = "data.not_a_number")]
    DataNotANumber,
    /// A cell of the period column that is not a date (or not a real one).
    #[serde(rename = "data.not_a_date")]
    DataNotADate,
    /// More distinct groups than the limit.
    #[serde(rename = "data.too_many_groups")]
    DataTooManyGroups,
    /// Nothing left to compare (every row excluded, or only missing values).
    #[serde(rename = "data.nothing_to_compare")]
    DataNothingToCompare,
    /// The API was used out of order (input after the end, an audit already stopped, bad tallies).
    #[serde(rename = "engine.misuse")]
    EngineMisuse,
    /// A fault inside the engine or its host.
    #[serde(rename = "engine.internal")]
    EngineInternal,
    /// The memory the file needs could not be had (in a browser, about 4 GB at most).
    #[serde(rename = "engine.out_of_memory")]
    EngineOutOfMemory,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 23] = [
        ErrorCode::InputEmpty,
        ErrorCode::InputNoDataRows,
        ErrorCode::InputNotCsv,
        ErrorCode::InputUnclosedQuote,
        ErrorCode::InputRowTooLong,
        ErrorCode::InputNotUtf8,
        ErrorCode::InputRaggedRow,
        ErrorCode::InputUnreadableSheet,
        ErrorCode::ConfigInvalid,
        ErrorCode::ConfigMissing,
        ErrorCode::ConfigOutOfRange,
        ErrorCode::ConfigConflict,
        ErrorCode::ConfigUnknownColumn,
        ErrorCode::ConfigAmbiguousColumn,
        ErrorCode::ConfigUnknownReference,
        ErrorCode::DataUnexpectedValue,
        ErrorCode::DataNotANumber,
        ErrorCode::DataNotADate,
        ErrorCode::DataTooManyGroups,
        ErrorCode::DataNothingToCompare,
        ErrorCode::EngineMisuse,
        ErrorCode::EngineInternal,
        ErrorCode::EngineOutOfMemory,
    ];

    /// The code as written in JSON and on the wasm error, e.g. `input.unclosed_quote`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InputEmpty => "input.empty",
            ErrorCode::InputNoDataRows => "input.no_data_rows",
            ErrorCode::InputNotCsv => "input.not_csv",
            ErrorCode::InputUnclosedQuote => "input.unclosed_quote",
            ErrorCode::InputRowTooLong => "input.row_too_long",
            ErrorCode::InputNotUtf8 => "input.not_utf8",
            ErrorCode::InputRaggedRow => "input.ragged_row",
            ErrorCode::InputUnreadableSheet => "input.unreadable_sheet",
            ErrorCode::ConfigInvalid => "config.invalid",
            ErrorCode::ConfigMissing => "config.missing",
            ErrorCode::ConfigOutOfRange => "config.out_of_range",
            ErrorCode::ConfigConflict => "config.conflict",
            ErrorCode::ConfigUnknownColumn => "config.unknown_column",
            ErrorCode::ConfigAmbiguousColumn => "config.ambiguous_column",
            ErrorCode::ConfigUnknownReference => "config.unknown_reference",
            ErrorCode::DataUnexpectedValue => "data.unexpected_value",
            ErrorCode::DataNotANumber => "data.not_a_number",
            ErrorCode::DataNotADate => "data.not_a_date",
            ErrorCode::DataTooManyGroups => "data.too_many_groups",
            ErrorCode::DataNothingToCompare => "data.nothing_to_compare",
            ErrorCode::EngineMisuse => "engine.misuse",
            ErrorCode::EngineInternal => "engine.internal",
            ErrorCode::EngineOutOfMemory => "engine.out_of_memory",
        }
    }

    /// `input`, `config`, `data` or `engine`.
    pub fn kind(self) -> &'static str {
        let code = self.as_str();
        code.split_once('.').map_or(code, |(kind, _)| kind)
    }
}

/// A user-facing error; its `Display` is the located message shown by the
/// CLI, thrown by the wasm API and listed in the page's error summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[schemars(rename = "EngineError")]
pub struct Error {
    /// What went wrong, as a stable code: decide what to do from this, never
    /// from the message.
    pub code: ErrorCode,
    /// What went wrong, in plain English, without the location (which `line`,
    /// `record` and `column` give).
    pub message: String,
    /// The setting the problem is in, as a path into the config: `groups[1]`,
    /// `decision.positive`, `evidence.confidence`, `bins.age`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Box<str>>,
    /// The value from the file the problem is about (trimmed), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Box<str>>,
    /// Where in the file the problem is, when known.
    #[serde(flatten)]
    pub location: Location,
}

impl Error {
    /// An error with this code and message, not yet located.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), field: None, value: None, location: Location::default() }
    }

    /// The setting the problem is in (a path into the config).
    pub fn for_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into().into_boxed_str());
        self
    }

    /// The value from the file the problem is about.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into().into_boxed_str());
        self
    }

    /// Sets the 1-based line of the file where it was found.
    pub fn at_line(mut self, line: u64) -> Self {
        self.location.line = Some(line);
        self
    }

    /// Sets the 1-based data record where it was found.
    pub fn at_record(mut self, record: u64) -> Self {
        self.location.record = Some(record);
        self
    }

    /// Sets the column where it was found, named as in the header.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.location.column = Some(column.into().into_boxed_str());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        let mut parts = Vec::new();
        if let Some(place) = loc.place.as_deref() {
            parts.push(match (place.reference(), loc.line) {
                (Some(reference), _) => format!("cell {}", quoted(&reference)),
                (None, Some(line)) => format!("sheet {}, row {line}", quoted(&place.sheet)),
                (None, None) => format!("sheet {}", quoted(&place.sheet)),
            });
        } else if let Some(line) = loc.line {
            parts.push(match loc.record {
                Some(record) => format!("line {line} (record {record})"),
                None => format!("line {line}"),
            });
        } else if let Some(record) = loc.record {
            parts.push(format!("record {record}"));
        }
        if let Some(column) = &loc.column {
            parts.push(format!("column {}", quoted(column)));
        }
        if parts.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", parts.join(", "), self.message)
        }
    }
}

impl std::error::Error for Error {}

/// Quotes a user-supplied value for a message, escaping control characters
/// so a hostile value cannot rewrite the terminal or break the line.
pub fn quoted(value: &str) -> String {
    const MAX_CHARS: usize = 80;
    let mut out = String::from("\"");
    for (i, c) in value.chars().enumerate() {
        if i == MAX_CHARS {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters that reorder displayed text (a "Trojan source" trick).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A result whose error is the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_line_record_and_column() {
        let e = Error::new(ErrorCode::DataUnexpectedValue, "value \"x\" is not allowed")
            .at_line(7)
            .at_record(6)
            .in_column("score_text");
        assert_eq!(e.to_string(), "line 7 (record 6), column \"score_text\": value \"x\" is not allowed");
        assert_eq!(Error::new(ErrorCode::EngineInternal, "plain").to_string(), "plain");
        assert_eq!(e.code.kind(), "data");
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).ok(), Some(serde_json::json!(code.as_str())), "{code:?}");
        }
    }

    #[test]
    fn quoting_neutralises_control_and_bidi_characters() {
        assert_eq!(quoted("a\"b\n\u{202E}c"), "\"a\\\"b\\u{a}\\u{202e}c\"");
        let long = "x".repeat(100);
        assert_eq!(quoted(&long).chars().count(), 80 + 3);
    }
}
