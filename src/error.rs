//! One error type that says what went wrong and where (line, record, column).

use serde::Serialize;
use std::fmt;

/// Where in the input an error was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Location {
    /// 1-based line in the file (the header is line 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based data record (the first row after the header is record 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Column name as written in the header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

/// A user-facing error; its `Display` is the located message shown by the
/// CLI, thrown by the wasm API and listed in the page's error summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    pub message: String,
    #[serde(flatten)]
    pub location: Location,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error { message: message.into(), location: Location::default() }
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.location.line = Some(line);
        self
    }

    pub fn at_record(mut self, record: u64) -> Self {
        self.location.record = Some(record);
        self
    }

    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.location.column = Some(column.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        let mut parts = Vec::new();
        if let Some(line) = loc.line {
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

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_line_record_and_column() {
        let e = Error::new("value \"x\" is not allowed").at_line(7).at_record(6).in_column("score_text");
        assert_eq!(e.to_string(), "line 7 (record 6), column \"score_text\": value \"x\" is not allowed");
        assert_eq!(Error::new("plain").to_string(), "plain");
    }

    #[test]
    fn quoting_neutralises_control_and_bidi_characters() {
        assert_eq!(quoted("a\"b\n\u{202E}c"), "\"a\\\"b\\u{a}\\u{202e}c\"");
        let long = "x".repeat(100);
        assert_eq!(quoted(&long).chars().count(), 80 + 3);
    }
}
