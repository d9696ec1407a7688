//! Group names: the "(missing)" group, and intersection names joined with `|`.

/// Name shown for the group of rows whose protected attribute is missing.
pub const MISSING_GROUP: &str = "(missing)";

/// Whether a group name stands for rows with no value (or, in an
/// intersection, with no value in one of its columns).
pub fn is_missing_group(name: &str) -> bool {
    name == MISSING_GROUP || (name.contains('|') && split_parts(name).iter().any(|part| part == MISSING_GROUP))
}

/// Joins intersection parts with `|`, escaping `|` and `\` inside values.
pub fn join_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        for c in part.chars() {
            if c == '|' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Splits an intersection group name into its parts (undoing [`join_parts`]).
pub fn split_parts(name: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in name.chars() {
        match (escaped, c) {
            (false, '\\') => escaped = true,
            (false, '|') => parts.push(String::new()),
            (_, c) => {
                escaped = false;
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts
}
