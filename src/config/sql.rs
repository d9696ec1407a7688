//! The one `GROUP BY` query that counts, where the data lives, what an audit
//! with these settings needs: a table of counts for `--count`. The query
//! groups by the columns the audit reads, as they are stored, so the
//! engine applies every rule (bands, decision and label rules, missing
//! values) to the counts exactly as it would to the rows; no row leaves the
//! database.

use crate::config::AuditConfig;
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
        if let Some(role) = other_role_of(config, score) {
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
    // Each output column as selected (the score rounded and named again) and as grouped by.
    let (select, group_by): (Vec<String>, Vec<String>) = columns(config)
        .into_iter()
        .map(|c| match score_digits.filter(|_| config.score.as_deref() == Some(c.as_str())) {
            Some(d) => {
                let rounded = round(dialect, &q(&c), d);
                (format!("{rounded} AS {}", q(&c)), rounded)
            }
            None => (q(&c), q(&c)),
        })
        .unzip();
    let (select, group_by) = (select.join(",\n  "), group_by.join(",\n  "));
    Ok(format!(
        "-- Counts for biasaudit: one row per combination of the audited columns,\n\
         -- and in {count} how many cases have it. Save the result as CSV (with a\n\
         -- header row) and audit it with the same settings and --count {count}.\n\
         SELECT\n  {select},\n  COUNT(*) AS {}\nFROM {table}\nGROUP BY\n  {group_by}\n",
        q(&count)
    ))
}

/// The role, other than the score, in which the audit also reads `column`.
fn other_role_of(config: &AuditConfig, column: &str) -> Option<&'static str> {
    let is = |c: Option<&String>| c.is_some_and(|c| c == column);
    if config.attributes().iter().flatten().any(|c| c == column) {
        Some("protected characteristic")
    } else if is(Some(&config.decision.column)) {
        Some("decision")
    } else if is(config.label.as_ref().map(|l| &l.column)) {
        Some("true outcome")
    } else if is(config.strata.as_ref()) {
        Some("stratum")
    } else if is(config.period.as_ref().map(|p| &p.column)) {
        Some("period")
    } else if is(config.weight.as_ref()) {
        Some("weight")
    } else {
        None
    }
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
        assert!(sql.contains("SELECT\n  \"race\",\n  \"sex\",\n  \"score text\",\n  \"recid\",\n  ROUND(CAST(\"decile\" AS NUMERIC), 2) AS \"decile\",\n  \"n\",\n  COUNT(*) AS \"count_n\"\nFROM \"main\".\"cases\"\nGROUP BY\n  \"race\",\n  \"sex\",\n  \"score text\",\n  \"recid\",\n  ROUND(CAST(\"decile\" AS NUMERIC), 2),\n  \"n\"\n"), "{sql}");
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
        c.period = Some(crate::config::PeriodColumn {
            column: "screened on".into(),
            unit: Default::default(),
            date_order: Default::default(),
            baseline: None,
        });
        let sql = counts_query(&c, "t", Dialect::DuckDb, None).expect("sql");
        assert!(
            sql.contains("  \"n\",\n  \"screened on\",\n  COUNT(*)"),
            "the period column is counted as stored: {sql}"
        );
        c.count = Some("k".into());
        assert_eq!(counts_query(&c, "t", Dialect::DuckDb, None).expect_err("count").code, ErrorCode::ConfigConflict);
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
