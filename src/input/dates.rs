//! Cells → periods: a date or date-time cell read as the month, quarter or
//! year it falls in, or a period column's text taken as written.
//!
//! Dates are read as written, in the record's own time zone: an offset
//! (`Z`, `+01:00`) is checked but does not move the date, so a decision
//! logged at 23:30 on 31 March is in March wherever it was logged from.

use serde::{Deserialize, Serialize};

/// How a period column's cells become periods.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// The calendar month of a date: `2025-03`.
    #[default]
    Month,
    /// The calendar quarter of a date: `2025-Q1` (January to March).
    Quarter,
    /// The calendar year of a date: `2025`.
    Year,
    /// The cell's text as written (trimmed), e.g. `2025-Q3` or `wave 2`;
    /// periods are in the order of their text.
    AsGiven,
}

impl PeriodUnit {
    /// Every unit, in the config schema's order.
    pub const ALL: [PeriodUnit; 4] = [PeriodUnit::Month, PeriodUnit::Quarter, PeriodUnit::Year, PeriodUnit::AsGiven];
}

/// Which part comes first in a date written with slashes, dots or dashes
/// and the year last (`03/04/2025`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Day first, the UK's way: `03/04/2025` is 3 April 2025.
    #[default]
    Dmy,
    /// Month first, the US way: `03/04/2025` is 4 March 2025.
    Mdy,
}

impl DateOrder {
    /// Both orders, in the config schema's order.
    pub const ALL: [DateOrder; 2] = [DateOrder::Dmy, DateOrder::Mdy];
}

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Four digits, 1 to 9999.
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to the month's length.
    pub day: u8,
}

impl Date {
    /// The period this date falls in: `2025-03`, `2025-Q1` or `2025`.
    pub fn period(self, unit: PeriodUnit) -> String {
        match unit {
            PeriodUnit::Month => format!("{:04}-{:02}", self.year, self.month),
            PeriodUnit::Quarter => format!("{:04}-Q{}", self.year, (self.month - 1) / 3 + 1),
            PeriodUnit::Year | PeriodUnit::AsGiven => format!("{:04}", self.year),
        }
    }
}

fn leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in(year: u16, month: u8) -> u8 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date(year: u16, month: u32, day: u32, order_hint: &str) -> Result<Date, String> {
    if year == 0 {
        return Err("year 0000 is not a year".into());
    }
    if !(1..=12).contains(&month) {
        return Err(format!("{month} is not a month (1 to 12){order_hint}"));
    }
    let month = month as u8;
    let last = days_in(year, month);
    if day == 0 || day > u32::from(last) {
        let leap_note = if month == 2 && day == 29 { format!(" ({year} is not a leap year)") } else { String::new() };
        return Err(format!("{} {year} has no day {day}{leap_note}", MONTHS[usize::from(month - 1)]));
    }
    Ok(Date { year, month, day: day as u8 })
}

/// Digits at the start of `s`, at most `max` of them: (value, count).
fn digits(s: &[u8], max: usize) -> (u32, usize) {
    let mut value = 0u32;
    let mut count = 0;
    while count < s.len() && count < max && s[count].is_ascii_digit() {
        value = value * 10 + u32::from(s[count] - b'0');
        count += 1;
    }
    (value, count)
}

/// Exactly `n` digits at the start of `s`.
fn exactly(s: &[u8], n: usize) -> Option<u32> {
    let (value, count) = digits(s, n);
    (count == n && s.get(n).is_none_or(|c| !c.is_ascii_digit())).then_some(value)
}

/// Checks what follows a date: nothing, or a time (`T` or a space, then
/// `HH:MM`, optional `:SS` and fraction, optional `Z` or `±HH[:MM]`).
fn time(rest: &[u8]) -> Result<(), String> {
    if rest.is_empty() {
        return Ok(());
    }
    let bad = || {
        "after the date comes something that is not a time (expected e.g. 2025-03-31T14:05:00, or 31/03/2025 14:05)"
            .to_string()
    };
    let rest = match rest[0] {
        b'T' | b't' | b' ' => &rest[1..],
        _ => return Err(bad()),
    };
    let hour = exactly(rest, 2).ok_or_else(bad)?;
    if rest.get(2) != Some(&b':') {
        return Err(bad());
    }
    let minute = exactly(&rest[3..], 2).ok_or_else(bad)?;
    let mut rest = &rest[5..];
    let mut second = 0;
    if rest.first() == Some(&b':') {
        second = exactly(&rest[1..], 2).ok_or_else(bad)?;
        rest = &rest[3..];
        if rest.first().is_some_and(|&c| c == b'.' || c == b',') {
            let (_, n) = digits(&rest[1..], usize::MAX);
            if n == 0 {
                return Err(bad());
            }
            rest = &rest[1 + n..];
        }
    }
    // 60: a leap second.
    if hour > 23 || minute > 59 || second > 60 {
        return Err(format!("{hour:02}:{minute:02}:{second:02} is not a time of day"));
    }
    match rest {
        [] | [b'Z' | b'z'] => Ok(()),
        [b'+' | b'-', offset @ ..] => {
            // ±HH, ±HHMM or ±HH:MM.
            let two = |s: &[u8]| match s {
                [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                    Some(u32::from(a - b'0') * 10 + u32::from(b - b'0'))
                }
                _ => None,
            };
            let (hours, minutes) = match offset.len() {
                2 => (two(offset), Some(0)),
                4 => (two(&offset[..2]), two(&offset[2..])),
                5 if offset[2] == b':' => (two(&offset[..2]), two(&offset[3..])),
                _ => (None, None),
            };
            let (Some(hours), Some(minutes)) = (hours, minutes) else { return Err(bad()) };
            if hours > 23 || minutes > 59 {
                return Err("the time zone offset is not one (hours 00 to 23, minutes 00 to 59)".into());
            }
            Ok(())
        }
        _ => Err(bad()),
    }
}

/// Reads a trimmed date or date-time cell: ISO 8601 (`2025-03-31`,
/// `2025-03-31T23:30:00+01:00`, `2025-03`), year first with slashes
/// (`2025/03/31`), or day and month with a four-digit year, in `order`
/// (`31/03/2025`, `31.03.2025`, `31-03-2025`), each with an optional time.
/// A two-digit year is refused: it could be any century.
pub fn parse_date(cell: &[u8], order: DateOrder) -> Result<Date, String> {
    let text = String::from_utf8_lossy(cell);
    let shown: String = text.chars().take(40).collect();
    let fail = |why: String| Err(format!("{shown:?} is not a date: {why}"));
    // Year first: 2025-03-31, 2025/03/31 or 2025-03 (a month).
    if let Some(year) = exactly(cell, 4) {
        let sep = match cell.get(4) {
            Some(&c @ (b'-' | b'/')) => c,
            _ => return fail("expected a date such as 2025-03-31 or 31/03/2025".into()),
        };
        let (month, m) = digits(&cell[5..], 2);
        if m == 0 {
            return fail("expected a month after the year".into());
        }
        let after_month = &cell[5 + m..];
        if sep == b'-' && after_month.is_empty() {
            return date(year as u16, month, 1, "").or_else(fail);
        }
        if after_month.first() != Some(&sep) {
            return fail("expected year, month and day, such as 2025-03-31".into());
        }
        let (day, d) = digits(&after_month[1..], 2);
        if d == 0 {
            return fail("expected a day after the month".into());
        }
        let found = date(year as u16, month, day, "").or_else(fail)?;
        return time(&after_month[1 + d..]).map(|_| found).or_else(fail);
    }
    // Day and month first, then a four-digit year.
    let (first, a) = digits(cell, 2);
    let sep = match cell.get(a) {
        Some(&c @ (b'/' | b'.' | b'-')) if a > 0 => c,
        _ => return fail("expected a date such as 2025-03-31 or 31/03/2025".into()),
    };
    let (second, b) = digits(&cell[a + 1..], 2);
    if b == 0 || cell.get(a + 1 + b) != Some(&sep) {
        return fail("expected day, month and year, such as 31/03/2025".into());
    }
    let rest = &cell[a + 2 + b..];
    let (year, y) = digits(rest, usize::MAX);
    if y == 2 {
        return fail("the year has two digits, so its century is unknown; write years in full (2025)".into());
    }
    if y != 4 {
        return fail("expected a four-digit year".into());
    }
    let (day, month, hint) = match order {
        DateOrder::Dmy => (first, second, "; dates are read day first (31/03/2025): if this file writes the month first, set the date order to month first (mdy)"),
        DateOrder::Mdy => (second, first, "; dates are read month first (03/31/2025): if this file writes the day first, set the date order to day first (dmy)"),
    };
    let found = date(year as u16, month, day, hint).or_else(fail)?;
    time(&rest[4..]).map(|_| found).or_else(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<Date, String> {
        parse_date(s.as_bytes(), DateOrder::Dmy)
    }

    fn ymd(s: &str) -> (u16, u8, u8) {
        let d = read(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (d.year, d.month, d.day)
    }

    #[test]
    fn iso_dates_and_times() {
        assert_eq!(ymd("2025-03-31"), (2025, 3, 31));
        assert_eq!(ymd("2025-03-31T23:30:00"), (2025, 3, 31));
        assert_eq!(ymd("2025-03-31 23:30"), (2025, 3, 31));
        assert_eq!(ymd("2025-03-31T23:30:00.123456Z"), (2025, 3, 31));
        assert_eq!(ymd("2013-08-14 00:00:00"), (2013, 8, 14));
        assert_eq!(ymd("2025/03/31"), (2025, 3, 31));
        assert_eq!(ymd("2025-03"), (2025, 3, 1));
    }

    /// An offset is checked but the date stays as written.
    #[test]
    fn offsets_do_not_move_the_date() {
        assert_eq!(ymd("2025-03-31T23:30:00-05:00"), (2025, 3, 31));
        assert_eq!(ymd("2025-04-01T00:30:00+01:00"), (2025, 4, 1));
        assert_eq!(ymd("2025-04-01T00:30:00+0100"), (2025, 4, 1));
        assert_eq!(ymd("2025-04-01T00:30+01"), (2025, 4, 1));
        assert!(read("2025-04-01T00:30:00+25:00").unwrap_err().contains("offset"));
        assert!(read("2025-04-01T00:30:00+01:0").is_err());
        assert!(read("2025-04-01T00:30:00 BST").is_err());
    }

    #[test]
    fn leap_days() {
        assert_eq!(ymd("2024-02-29"), (2024, 2, 29));
        assert_eq!(ymd("29/02/2000"), (2000, 2, 29));
        let e = read("2023-02-29").unwrap_err();
        assert!(e.contains("February 2023 has no day 29 (2023 is not a leap year)"), "{e}");
        assert!(read("29/02/1900").unwrap_err().contains("1900 is not a leap year"));
        assert!(read("2025-04-31").unwrap_err().contains("April 2025 has no day 31"));
    }

    #[test]
    fn day_first_and_month_first() {
        assert_eq!(ymd("03/04/2025"), (2025, 4, 3));
        assert_eq!(ymd("3/4/2025"), (2025, 4, 3));
        assert_eq!(ymd("31.03.2025"), (2025, 3, 31));
        assert_eq!(ymd("31-03-2025 14:05"), (2025, 3, 31));
        let us = parse_date(b"03/04/2025", DateOrder::Mdy).map(|d| (d.month, d.day));
        assert_eq!(us, Ok((3, 4)));
        // A US date read day first names the fix.
        let e = read("12/25/2024").unwrap_err();
        assert!(e.contains("25 is not a month") && e.contains("month first (mdy)"), "{e}");
        assert!(read("31/03-2025").is_err(), "mixed separators");
    }

    #[test]
    fn two_digit_years_and_rubbish_are_refused() {
        let e = read("31/03/25").unwrap_err();
        assert!(e.contains("two digits"), "{e}");
        for bad in [
            "2025",
            "25-03-31",
            "March 2025",
            "2025-13-01",
            "2025-00-10",
            "0000-01-01",
            "31/03/20255",
            "2025-03-31X",
            "2025-03-31T25:00",
            "20250331",
            "2025-03-31T12",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn periods() {
        let d = Date { year: 2025, month: 3, day: 31 };
        assert_eq!(d.period(PeriodUnit::Month), "2025-03");
        assert_eq!(d.period(PeriodUnit::Quarter), "2025-Q1");
        assert_eq!(Date { month: 10, ..d }.period(PeriodUnit::Quarter), "2025-Q4");
        assert_eq!(d.period(PeriodUnit::Year), "2025");
    }
}
