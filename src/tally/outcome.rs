//! How a decision or label cell reads (positive, negative, missing, or not
//! recognised), compiled once from an [`OutcomeColumn`] for matching raw bytes.

use crate::config::OutcomeColumn;
use crate::input::cells::{is_missing, parse_number, trim, DEFAULT_NEGATIVE_TOKENS};

/// How one cell of a decision or label column reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The cell counts as positive.
    Positive,
    /// The cell counts as negative.
    Negative,
    /// The cell means "no value".
    Missing,
    /// Neither positive nor a recognised negative.
    Unrecognised,
    /// A threshold column holding something that is not a number.
    NotNumeric,
}

/// An [`OutcomeColumn`] compiled for fast matching on raw bytes.
#[derive(Debug, Clone)]
pub struct OutcomeRule {
    positive: Vec<Vec<u8>>,
    positive_numbers: Vec<f64>,
    negative: Vec<Vec<u8>>,
    negative_numbers: Vec<f64>,
    threshold: Option<f64>,
    rest_negative: bool,
}

impl OutcomeRule {
    /// Compiles `column`'s rule (values trimmed and numbers parsed once).
    pub fn new(column: &OutcomeColumn) -> Self {
        let trimmed = |v: &Vec<String>| v.iter().map(|s| trim(s.as_bytes()).to_vec()).collect::<Vec<_>>();
        let numbers = |v: &Vec<String>| v.iter().filter_map(|s| parse_number(trim(s.as_bytes()))).collect();
        OutcomeRule {
            positive: trimmed(&column.positive),
            positive_numbers: numbers(&column.positive),
            negative: trimmed(&column.negative),
            negative_numbers: numbers(&column.negative),
            threshold: column.threshold,
            rest_negative: column.rest_negative,
        }
    }

    /// Which listed positive value (by position) a cell matches, as
    /// [`OutcomeRule::read`] would: the same text, or the same number.
    pub fn positive_index(&self, raw: &[u8]) -> Option<usize> {
        let cell = trim(raw);
        if self.threshold.is_some() {
            return None;
        }
        if let Some(i) = self.positive.iter().position(|p| p == cell) {
            return Some(i);
        }
        let v = parse_number(cell)?;
        self.positive.iter().position(|p| parse_number(p) == Some(v))
    }

    /// How a raw cell reads, after trimming (docs/metrics.md, "Positive or
    /// negative").
    pub fn read(&self, raw: &[u8]) -> Reading {
        let cell = trim(raw);
        if is_missing(cell) {
            return Reading::Missing;
        }
        if let Some(t) = self.threshold {
            return match parse_number(cell) {
                Some(v) if v >= t => Reading::Positive,
                Some(_) => Reading::Negative,
                None => Reading::NotNumeric,
            };
        }
        if self.positive.iter().any(|p| p == cell) {
            return Reading::Positive;
        }
        let number = parse_number(cell);
        if let Some(v) = number {
            if self.positive_numbers.contains(&v) {
                return Reading::Positive;
            }
        }
        if self.rest_negative
            || self.negative.iter().any(|n| n == cell)
            || number.is_some_and(|v| v == 0.0 || self.negative_numbers.contains(&v))
            || DEFAULT_NEGATIVE_TOKENS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(cell))
        {
            return Reading::Negative;
        }
        Reading::Unrecognised
    }
}
