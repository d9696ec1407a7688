//! The one `GROUP BY` query that counts, where the data lives, what an audit
//! with these settings needs: a table of counts for `--count`. No row leaves
//! the database. The query works out in the database what would otherwise
//! bring back a row for nearly every case (a band of ages, a decision at a
//! threshold on a score, the month of a date-time), writing each as a value
//! the engine reads exactly as it reads the original; everything else
//! (listed values, missing values, names) is grouped as stored, so the
//! engine applies its own rules to the counts as it would to the rows.

use crate::config::{bin_labels, edge_text, AuditConfig, Binning, PeriodUnit};
use crate::error::{Error, ErrorCode, Result};

/// The SQL dialects the query is written for: they differ in how names are quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB.
    DuckDb,
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
    /// Apache Spark SQL (and Databricks).
    Spark,
    /// Google BigQuery.
    BigQuery,
    /// Snowflake.
    Snowflake,
    /// Microsoft SQL Server (T-SQL).
    TSql,
}

impl Dialect {
    /// The dialect named as the CLI names it.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "duckdb" => Dialect::DuckDb,
            "postgres" => Dialect::Postgres,
            "sqlite" => Dialect::Sqlite,
            "spark" => Dialect::Spark,
            "bigquery" => Dialect::BigQuery,
            "snowflake" => Dialect::Snowflake,
            "tsql" => Dialect::TSql,
            _ => return None,
        })
    }

    /// A name quoted so the database reads it exactly as written (case, spaces, quotes).
    pub fn quote(self, name: &str) -> String {
        match self {
            Dialect::Spark | Dialect::BigQuery => format!("`{}`", name.replace('`', "``")),
            Dialect::TSql => format!("[{}]", name.replace(']', "]]")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }
}

/// The name given to the count column: `n`, or a name no audited column has.
pub fn count_column(config: &AuditConfig) -> String {
    let used = columns(config);
    let mut name = String::from("n");
    while used.contains(&name) {
        name.insert_str(0, "count_");
    }
    name
}

/// The columns the audit reads, each once, in the order the settings name them.
fn columns(config: &AuditConfig) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |c: &String| {
        if !out.contains(c) {
            out.push(c.clone());
        }
    };
    for attribute in config.attributes() {
        for c in &attribute {
            add(c);
        }
    }
    add(&config.decision.column);
    for c in [
        config.label.as_ref().map(|l| &l.column),
        config.score.as_ref(),
        config.strata.as_ref(),
        config.period.as_ref().map(|p| &p.column),
        config.weight.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        add(c);
    }
    out
}

/// How the query writes one audited column.
#[derive(Debug, Clone, PartialEq)]
enum Written {
    /// As stored: the engine applies its rule to the counts.
    AsStored,
    /// The score rounded to this many decimal places.
    Rounded(u32),
    /// A numeric characteristic as the label of its band (`[25, 45)`).
    Banded(Vec<f64>),
    /// A decision or outcome read at a threshold, as one number at or above
    /// it and one below it.
    AtThreshold(f64),
    /// A date as the first month of its period (`2025-04` for 2025-Q2).
    Period(PeriodUnit),
}

/// What the database works out for `column`, so that fewer rows come back:
/// bands, thresholds and periods, each only for a column read in that one
/// role (a band of a score would change the score).
fn written(config: &AuditConfig, column: &str, score_digits: Option<u32>) -> Written {
    let roles = roles_of(config, column);
    let only = |role: &str| roles == [role];
    if let (Some(d), true) = (score_digits, config.score.as_deref() == Some(column)) {
        return Written::Rounded(d);
    }
    if let (true, Some(Binning::Edges(edges))) = (only("protected characteristic"), config.bins.get(column)) {
        return Written::Banded(edges.clone());
    }
    if let (true, Some(t)) = (only("decision"), config.decision.threshold) {
        return Written::AtThreshold(t);
    }
    if let (true, Some(t)) = (only("true outcome"), config.label.as_ref().and_then(|l| l.threshold)) {
        return Written::AtThreshold(t);
    }
    match &config.period {
        Some(p) if p.column == column && only("period") && p.unit != PeriodUnit::AsGiven => Written::Period(p.unit),
        _ => Written::AsStored,
    }
}

/// The query for `table` (a name, or parts separated by `.` such as
/// `schema.table`), with the score rounded to `score_digits` decimal places
/// when given. Audit its result with the same settings and `--count` set to
/// [`count_column`].
pub fn counts_query(config: &AuditConfig, table: &str, dialect: Dialect, score_digits: Option<u32>) -> Result<String> {
    config.validate()?;
    if config.count.is_some() {
        return Err(Error::new(
            ErrorCode::ConfigConflict,
            "the settings already name a count column: the query counts rows, so leave --count out of it",
        )
        .for_field("count"));
    }
    if table.trim().is_empty() || table.split('.').any(|p| p.trim().is_empty()) {
        return Err(Error::new(
            ErrorCode::ConfigInvalid,
            format!("the table name {table:?} is empty or has an empty part"),
        ));
    }
    if score_digits.is_some_and(|d| d > 15) {
        return Err(Error::new(ErrorCode::ConfigOutOfRange, "the score can be rounded to at most 15 decimal places"));
    }
    if let (Some(_), Some(score)) = (score_digits, config.score.as_deref()) {
        if let Some(role) = roles_of(config, score).into_iter().find(|r| *r != "score") {
            return Err(Error::new(
                ErrorCode::ConfigConflict,
                format!(
                    "the score column {} is also the {role}: rounding it in the query would change the {role} too \
                     (a decision made at a threshold, say, for scores just below it). Leave out --score-digits, or \
                     round a copy of the score in a view (ROUND(score, 2) AS score_rounded) and audit with \
                     --score score_rounded",
                    crate::error::quoted(score)
                ),
            )
            .for_field("score"));
        }
    }
    let q = |name: &str| dialect.quote(name);
    let table = table.split('.').map(q).collect::<Vec<_>>().join(".");
    let count = count_column(config);
    let columns = columns(config);
    let mut inner = Vec::new();
    let mut notes = String::new();
    for c in &columns {
        let how = written(config, c, score_digits);
        let name = q(c);
        inner.push(match &how {
            Written::AsStored => name.clone(),
            Written::Rounded(d) => format!("{} AS {name}", round(dialect, &name, *d)),
            Written::Banded(edges) => format!("{} AS {name}", banded(dialect, &name, edges)),
            Written::AtThreshold(t) => format!("{} AS {name}", at_threshold(dialect, &name, *t)),
            Written::Period(unit) => format!("{} AS {name}", period(dialect, &name, *unit)),
        });
        if let Some(note) = note(&how, c) {
            notes.push_str(&format!("--   {note}\n"));
        }
    }
    if !notes.is_empty() {
        notes.insert_str(
            0,
            "-- Worked out in the database, so that fewer rows come back (a value it\n\
             -- cannot read as a number or a date is kept as written, for biasaudit):\n",
        );
    }
    let outer = columns.iter().map(|c| q(c)).collect::<Vec<_>>().join(",\n  ");
    // Columns worked out in the database are worked out once, in a subquery, and grouped by name.
    let from = if notes.is_empty() {
        table
    } else {
        format!("(\n  SELECT\n    {}\n  FROM {table}\n) AS {}", inner.join(",\n    "), q("audited"))
    };
    Ok(format!(
        "-- Counts for biasaudit: one row per combination of the audited columns,\n\
         -- and in {count} how many cases have it. Save the result as CSV (with a\n\
         -- header row) and audit it with the same settings and --count {count}.\n\
         {notes}\
         SELECT\n  {outer},\n  COUNT(*) AS {}\nFROM {from}\nGROUP BY\n  {outer}\n",
        q(&count),
    ))
}

/// The header line that says what the database works out for `column`.
fn note(how: &Written, column: &str) -> Option<String> {
    Some(match how {
        Written::AsStored => return None,
        Written::Rounded(d) => format!("{column}: rounded to {d} decimal places"),
        Written::Banded(edges) => format!("{column}: its band, {}", bin_labels(edges).join(" ")),
        Written::AtThreshold(t) => {
            let (at_or_above, below) = threshold_values(*t);
            format!(
                "{column}: {} where it is at least {}, {} where it is below",
                edge_text(at_or_above),
                edge_text(*t),
                edge_text(below)
            )
        }
        Written::Period(unit) => match unit {
            PeriodUnit::Quarter => format!("{column}: the first month of its quarter (from the date as written)"),
            PeriodUnit::Year => format!("{column}: January of its year (from the date as written)"),
            _ => format!("{column}: its month (from the date as written)"),
        },
    })
}

/// The largest finite double, written so every dialect reads it as a number.
const LARGEST: &str = "1.7976931348623157e308";

/// `column` as a double, for the comparisons, read from its text as an
/// export writes it, as the engine reads it: a single-precision 0.7 is
/// written `0.7`, and compared as 0.7, not as 0.699999988 (its exact
/// widening). SQLite stores doubles only; BigQuery and Snowflake have no
/// single precision; SQL Server writes a float as text to 6 digits, so there
/// the value is widened (a REAL column: cast it to FLOAT in a view).
fn as_double(dialect: Dialect, column: &str) -> String {
    match dialect {
        Dialect::Sqlite => column.to_string(),
        Dialect::Postgres => format!("CAST({} AS DOUBLE PRECISION)", as_text(dialect, column)),
        Dialect::DuckDb | Dialect::Spark => format!("CAST({} AS DOUBLE)", as_text(dialect, column)),
        Dialect::BigQuery => format!("CAST({column} AS FLOAT64)"),
        Dialect::Snowflake => format!("CAST({column} AS DOUBLE)"),
        Dialect::TSql => format!("CAST({column} AS FLOAT)"),
    }
}

/// `column` as text, as it would be written out.
fn as_text(dialect: Dialect, column: &str) -> String {
    match dialect {
        Dialect::Sqlite => column.to_string(),
        Dialect::Postgres => format!("CAST({column} AS TEXT)"),
        Dialect::Spark | Dialect::BigQuery => format!("CAST({column} AS STRING)"),
        Dialect::TSql => format!("CAST({column} AS NVARCHAR(4000))"),
        _ => format!("CAST({column} AS VARCHAR)"),
    }
}

/// A date column as text, as it would be written out (SQL Server: ISO 8601,
/// style 126, where its default style is `Mar 31 2025 11:30PM`).
fn date_as_text(dialect: Dialect, column: &str) -> String {
    match dialect {
        Dialect::TSql => format!("CONVERT(NVARCHAR(4000), {column}, 126)"),
        _ => as_text(dialect, column),
    }
}

/// A string literal (SQL Server: Unicode, for `≥`).
fn text_literal(dialect: Dialect, text: &str) -> String {
    let quoted = text.replace('\'', "''");
    match dialect {
        Dialect::TSql => format!("N'{quoted}'"),
        _ => format!("'{quoted}'"),
    }
}

/// Whether `column` holds a finite number: NaN and infinities are kept as
/// written, for the engine to read as it would (missing, or not a number).
/// SQLite compares text with a number as text, so there only stored numbers
/// are compared.
fn finite_number(dialect: Dialect, column: &str) -> String {
    let between = format!("{} BETWEEN -{LARGEST} AND {LARGEST}", as_double(dialect, column));
    match dialect {
        Dialect::Sqlite => format!("typeof({column}) IN ('integer', 'real') AND {between}"),
        // SQL Server reads '' and '  ' as the number 0; the engine reads them as missing.
        Dialect::TSql => format!("{} <> N'' AND {between}", as_text(dialect, column)),
        _ => between,
    }
}

/// A numeric characteristic as the engine's label of its band.
fn banded(dialect: Dialect, column: &str, edges: &[f64]) -> String {
    let x = as_double(dialect, column);
    let labels = bin_labels(edges);
    let cases: String = edges
        .iter()
        .zip(&labels)
        .map(|(e, label)| format!("        WHEN {x} < {} THEN {}\n", edge_text(*e), text_literal(dialect, label)))
        .collect();
    let last = labels.last().map(|l| text_literal(dialect, l)).unwrap_or_default();
    format!(
        "CASE\n      WHEN {} THEN CASE\n{cases}        ELSE {last}\n      END\n      ELSE {}\n    END",
        finite_number(dialect, column),
        as_text(dialect, column)
    )
}

/// The values written for a case at or above the threshold `t` and below it:
/// 1 and 0 when `t` is in (0, 1], else values the same threshold reads the
/// same way.
fn threshold_values(t: f64) -> (f64, f64) {
    let at_or_above = if t <= 1.0 { 1.0 } else { t };
    let below = if t > 0.0 {
        0.0
    } else if t - 1.0 < t {
        t - 1.0
    } else {
        // Too large for t − 1 to differ from t; nothing is below −f64::MAX.
        (t * 2.0).max(-f64::MAX)
    };
    (at_or_above, below)
}

/// A decision or outcome at a threshold, as one value at or above it and one below.
fn at_threshold(dialect: Dialect, column: &str, t: f64) -> String {
    let (at_or_above, below) = threshold_values(t);
    format!(
        "CASE\n      WHEN {} THEN CASE WHEN {} >= {} THEN {} ELSE {} END\n      ELSE {}\n    END",
        finite_number(dialect, column),
        as_double(dialect, column),
        edge_text(t),
        text_literal(dialect, &edge_text(at_or_above)),
        text_literal(dialect, &edge_text(below)),
        as_text(dialect, column)
    )
}

/// A date or date-time as the first month of its period (`2025-04`), read
/// from its first ten characters as written (`2025-04-30`), as the engine
/// reads it: a time zone offset does not move the date. Anything else is
/// kept as written.
fn period(dialect: Dialect, column: &str, unit: PeriodUnit) -> String {
    let text = date_as_text(dialect, column);
    let part = |from: u32, len: u32| match dialect {
        Dialect::TSql => format!("SUBSTRING({text}, {from}, {len})"),
        _ => format!("SUBSTR({text}, {from}, {len})"),
    };
    let join = |a: String, b: String| match dialect {
        Dialect::TSql => format!("CONCAT({a}, {b})"),
        _ => format!("{a} || {b}"),
    };
    let day = part(1, 10);
    let month = part(6, 2);
    let first_month = match unit {
        PeriodUnit::Quarter => join(
            part(1, 5),
            format!("CASE WHEN {month} < '04' THEN '01' WHEN {month} < '07' THEN '04' WHEN {month} < '10' THEN '07' ELSE '10' END"),
        ),
        PeriodUnit::Year => join(part(1, 4), "'-01'".into()),
        _ => part(1, 7),
    };
    let digits = "[0-9]{4}-[0-9]{2}-[0-9]{2}";
    let like = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]";
    // Shaped like a date first, then a real date: in that order, so no database is asked to read rubbish as a date.
    let (shaped, real) = match dialect {
        Dialect::DuckDb => {
            (format!("regexp_full_match({day}, '{digits}')"), format!("TRY_CAST({day} AS DATE) IS NOT NULL"))
        }
        Dialect::Postgres => (format!("{day} ~ '^{digits}$'"), format!("CAST({day} AS DATE) IS NOT NULL")),
        Dialect::Sqlite => {
            (format!("typeof({column}) = 'text' AND {day} GLOB '{like}'"), format!("date({day}) = {day}"))
        }
        Dialect::Spark => (format!("{day} RLIKE '^{digits}$'"), format!("to_date({day}, 'yyyy-MM-dd') IS NOT NULL")),
        Dialect::BigQuery => {
            (format!("REGEXP_CONTAINS({day}, '^{digits}$')"), format!("SAFE.PARSE_DATE('%Y-%m-%d', {day}) IS NOT NULL"))
        }
        Dialect::Snowflake => {
            (format!("REGEXP_LIKE({day}, '{digits}')"), format!("TRY_TO_DATE({day}, 'YYYY-MM-DD') IS NOT NULL"))
        }
        Dialect::TSql => (format!("{day} LIKE '{like}'"), format!("TRY_CONVERT(DATE, {day}, 23) IS NOT NULL")),
    };
    format!(
        "CASE\n      WHEN {shaped} THEN CASE\n        WHEN {real}\n        THEN {first_month}\n        ELSE {text}\n      END\n      ELSE {text}\n    END"
    )
}

/// Every role in which the audit reads `column`.
fn roles_of(config: &AuditConfig, column: &str) -> Vec<&'static str> {
    let is = |c: Option<&String>| c.is_some_and(|c| c == column);
    [
        ("protected characteristic", config.attributes().iter().flatten().any(|c| c == column)),
        ("decision", is(Some(&config.decision.column))),
        ("true outcome", is(config.label.as_ref().map(|l| &l.column))),
        ("score", is(config.score.as_ref())),
        ("stratum", is(config.strata.as_ref())),
        ("period", is(config.period.as_ref().map(|p| &p.column))),
        ("weight", is(config.weight.as_ref())),
    ]
    .into_iter()
    .filter_map(|(role, yes)| yes.then_some(role))
    .collect()
}

/// A score rounded to `digits` places, as a number.
fn round(dialect: Dialect, column: &str, digits: u32) -> String {
    match dialect {
        Dialect::Sqlite => format!("ROUND(CAST({column} AS REAL), {digits})"),
        Dialect::TSql => format!("ROUND(CAST({column} AS FLOAT), {digits})"),
        Dialect::BigQuery => format!("ROUND(CAST({column} AS FLOAT64), {digits})"),
        Dialect::Postgres => format!("ROUND(CAST({column} AS NUMERIC), {digits})"),
        _ => format!("ROUND(CAST({column} AS DOUBLE), {digits})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::OutcomeColumn;

    fn config() -> AuditConfig {
        serde_json::from_value(serde_json::json!({
            "groups": ["race", "sex"],
            "intersections": [["race", "sex"]],
            "decision": { "column": "score text", "positive": ["High"] },
            "label": { "column": "recid", "positive": ["1"] },
            "score": "decile",
            "strata": "n",
        }))
        .expect("config")
    }

    #[test]
    fn names_are_quoted_for_each_dialect_and_the_count_avoids_a_column_called_n() {
        let sql = counts_query(&config(), "main.cases", Dialect::Postgres, Some(2)).expect("sql");
        let listed = "\"race\",\n  \"sex\",\n  \"score text\",\n  \"recid\",\n  \"decile\",\n  \"n\"";
        let expected = format!(
            "SELECT\n  {listed},\n  COUNT(*) AS \"count_n\"\nFROM (\n  SELECT\n    \"race\",\n    \"sex\",\n    \"score text\",\n    \
             \"recid\",\n    ROUND(CAST(\"decile\" AS NUMERIC), 2) AS \"decile\",\n    \"n\"\n  FROM \"main\".\"cases\"\n\
             ) AS \"audited\"\nGROUP BY\n  {listed}\n"
        );
        assert!(sql.ends_with(&expected), "{sql}");
        assert!(sql.contains("--   decile: rounded to 2 decimal places\n"), "{sql}");
        assert!(counts_query(&config(), "t", Dialect::Spark, None).expect("sql").contains("`score text`"));
        assert!(counts_query(&config(), "t", Dialect::TSql, None).expect("sql").contains("[score text]"));
        assert_eq!(Dialect::TSql.quote("a]b"), "[a]]b]");
        assert_eq!(Dialect::Sqlite.quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::BigQuery.quote("a`b"), "`a``b`");
    }

    #[test]
    fn a_bad_table_name_or_a_count_column_is_refused() {
        assert_eq!(
            counts_query(&config(), "a..b", Dialect::DuckDb, None).expect_err("empty part").code,
            ErrorCode::ConfigInvalid
        );
        let mut c = config();
        c.count = Some("k".into());
        assert_eq!(counts_query(&c, "t", Dialect::DuckDb, None).expect_err("count").code, ErrorCode::ConfigConflict);
    }

    fn reduced() -> AuditConfig {
        serde_json::from_value(serde_json::json!({
            "groups": ["age", "sex"],
            "intersections": [["age", "sex"]],
            "bins": { "age": { "edges": [25, 45.5] }, "sex": { "quantiles": 2 } },
            "decision": { "column": "priority", "threshold": 0.6 },
            "label": { "column": "found", "threshold": -2 },
            "period": { "column": "decided at", "unit": "quarter" },
        }))
        .expect("config")
    }

    /// Bands, thresholds and periods are worked out in the database as values
    /// the same settings read the same way (checked on real engines by
    /// tests/sql/check_engines.py).
    #[test]
    fn bands_thresholds_and_periods_are_worked_out_in_the_database() {
        let sql = counts_query(&reduced(), "t", Dialect::DuckDb, None).expect("sql");
        let x = "CAST(CAST(\"age\" AS VARCHAR) AS DOUBLE)";
        assert!(
            sql.contains(&format!(
                "    CASE\n      WHEN {x} BETWEEN -{LARGEST} AND {LARGEST} THEN CASE\n        WHEN {x} < 25 THEN '< 25'\n        \
                 WHEN {x} < 45.5 THEN '[25, 45.5)'\n        ELSE '≥ 45.5'\n      END\n      ELSE CAST(\"age\" AS VARCHAR)\n    \
                 END AS \"age\",\n"
            )),
            "{sql}"
        );
        assert!(sql.contains("--   age: its band, < 25 [25, 45.5) ≥ 45.5\n"), "{sql}");
        // Quantile bins need the data's own cut points: grouped as stored.
        assert!(sql.contains("    \"sex\",\n"), "{sql}");
        assert!(sql.contains(">= 0.6 THEN '1' ELSE '0' END"), "{sql}");
        assert!(sql.contains("--   priority: 1 where it is at least 0.6, 0 where it is below\n"), "{sql}");
        assert!(sql.contains(">= -2 THEN '1' ELSE '-3' END"), "{sql}");
        let day = "SUBSTR(CAST(\"decided at\" AS VARCHAR), 1, 10)";
        assert!(sql.contains(&format!("      WHEN regexp_full_match({day}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') THEN CASE\n        WHEN TRY_CAST({day} AS DATE) IS NOT NULL\n        THEN SUBSTR(CAST(\"decided at\" AS VARCHAR), 1, 5) || CASE WHEN SUBSTR(CAST(\"decided at\" AS VARCHAR), 6, 2) < '04' THEN '01'")), "{sql}");
        assert!(sql.contains("--   decided at: the first month of its quarter (from the date as written)\n"), "{sql}");
        let tsql = counts_query(&reduced(), "t", Dialect::TSql, None).expect("sql");
        assert!(
            tsql.contains("N'≥ 45.5'")
                && tsql.contains("TRY_CONVERT(DATE, SUBSTRING(CONVERT(NVARCHAR(4000), [decided at], 126), 1, 10), 23)"),
            "{tsql}"
        );
        let sqlite = counts_query(&reduced(), "t", Dialect::Sqlite, None).expect("sql");
        assert!(sqlite.contains("typeof(\"age\") IN ('integer', 'real') AND \"age\" BETWEEN"), "{sqlite}");
    }

    #[test]
    fn a_column_read_in_two_roles_is_grouped_as_stored() {
        let mut c = reduced();
        c.score = Some("priority".into());
        c.strata = Some("found".into());
        let sql = counts_query(&c, "t", Dialect::Postgres, None).expect("sql");
        assert!(sql.contains("    \"priority\",\n    \"found\",\n"), "{sql}");
        assert!(!sql.contains("at least"), "{sql}");
        let mut c = reduced();
        c.period.as_mut().expect("period").unit = PeriodUnit::AsGiven;
        assert!(counts_query(&c, "t", Dialect::Postgres, None).expect("sql").contains("    \"decided at\"\n"));
    }

    #[test]
    fn the_values_written_at_a_threshold_read_the_same_way() {
        for t in [0.6, 1.0, 0.0, -2.0, 7.5, 1e300, -1e300, 5e-324, -f64::MAX, f64::MAX] {
            let (at_or_above, below) = threshold_values(t);
            assert!(at_or_above >= t && at_or_above.is_finite(), "{t}");
            assert!((below < t || t == -f64::MAX) && below.is_finite(), "{t}: {below}");
        }
        assert_eq!(threshold_values(0.5), (1.0, 0.0));
    }

    /// Rounding a score that is also the decision (a threshold on it) would
    /// move cases across the threshold: refused, not silently rounded.
    #[test]
    fn a_score_read_in_another_role_is_not_rounded() {
        let mut c = config();
        c.decision = OutcomeColumn { column: "decile".into(), threshold: Some(7.0), ..Default::default() };
        let e = counts_query(&c, "t", Dialect::DuckDb, Some(0)).expect_err("rounded decision");
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::ConfigConflict, Some("score")));
        assert!(e.message.contains("also the decision"), "{}", e.message);
        assert!(counts_query(&c, "t", Dialect::DuckDb, None).is_ok(), "unrounded it is exact");
        let mut c = config();
        c.strata = Some("decile".into());
        let e = counts_query(&c, "t", Dialect::Postgres, Some(1)).expect_err("rounded stratum");
        assert!(e.message.contains("also the stratum"), "{}", e.message);
    }
}
