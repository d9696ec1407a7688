//! Cells as bytes: trimming, "no value", and plain decimal numbers. Every
//! reader of the file (preview, counting, outcome rules) reads cells this way.

/// Cells that mean "no value". Matched after trimming, ignoring ASCII case.
pub const MISSING_TOKENS: [&str; 5] = ["", "na", "n/a", "null", "nan"];

/// Values recognised as negative without being listed (ASCII case ignored),
/// besides any number equal to zero.
pub const DEFAULT_NEGATIVE_TOKENS: [&str; 6] = ["false", "no", "n", "f", "negative", "neg"];

/// Strips ASCII spaces and tabs around a cell.
pub fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !matches!(b, b' ' | b'\t')).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !matches!(b, b' ' | b'\t')).map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Whether a (trimmed) cell means "no value".
pub fn is_missing(trimmed: &[u8]) -> bool {
    trimmed.len() <= 4 && MISSING_TOKENS.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(trimmed))
}

/// Parses a plain decimal number ("3", "-0.25", "1e-3"); `None` otherwise.
pub fn parse_number(trimmed: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(trimmed).ok()?;
    // Rust also accepts "inf" and "nan"; a data cell saying that is not a number we can use.
    let first = text.bytes().next()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}
