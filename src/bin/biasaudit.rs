//! `biasaudit audit FILE ...`: the native command-line surface. It streams the
//! file through the same core the browser uses and prints the JSON report or
//! a Markdown report for people.

use biasaudit::audit::parallel;
use biasaudit::config::{Adjustment, Binning, DateOrder, EvidenceOptions, IntervalMethod, PeriodUnit};
use biasaudit::report::monitor::{self, Baseline, MonitorFigure, MonitorRule};
use biasaudit::scores::CalibrationBins;
use biasaudit::{markdown, report, Audit, AuditConfig, Direction, OutcomeColumn, Reference};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "biasaudit", version, about = "Fairness metrics and disparate-impact checks on a file of decisions")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Audit a CSV file of decisions (one row per person or case).
    Audit(Box<AuditArgs>),
    /// Print the one GROUP BY query that counts, in a database, what an audit
    /// with these settings needs; audit its result with --count.
    Sql(Box<SqlArgs>),
    /// Audit a new CSV file with the settings of the board's review and compare
    /// it with the reviewed figures; exits with 3 when an alert fires.
    Monitor(Box<MonitorArgs>),
    /// Print a JSON Schema generated from the engine's types.
    Schema {
        /// `config` (settings as given), `report` (the JSON report), `monitor`
        /// (the monitoring report), or `api`
        /// (every type of the WebAssembly API, for generating TypeScript).
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Config,
    Report,
    Monitor,
    Api,
}

#[derive(Args)]
struct PeriodArgs {
    /// A column of dates (or period names): every group's figures are also given per period, with trend and change tests.
    #[arg(long, value_name = "COL")]
    period: Option<String>,
    /// How --period's dates become periods (as-given: the text as written, e.g. 2025-Q3).
    #[arg(long = "period-unit", value_enum, default_value_t = PeriodUnitArg::Month)]
    period_unit: PeriodUnitArg,
    /// For dates written with the year last (03/04/2025): day first (dmy, the UK's way) or month first (mdy).
    #[arg(long = "date-order", value_enum, default_value_t = DateOrderArg::Dmy)]
    date_order: DateOrderArg,
}

#[derive(Args)]
struct MonitorArgs {
    /// The board's review file (saved from the page), or a JSON report of `biasaudit audit`.
    #[arg(long, value_name = "REVIEW.json")]
    baseline: String,
    /// The new CSV file, or - for standard input.
    file: String,
    /// Also check this rule: FIGURE[=LINE][@COLUMN], FIGURE one of verdict,
    /// impact_ratio, harm_ratio, rate_change (a proportion: 0.05 is 5 points); repeatable.
    #[arg(long = "rule", value_name = "RULE")]
    rules: Vec<String>,
    #[command(flatten)]
    period: PeriodArgs,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write the monitoring report here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<String>,
    #[command(flatten)]
    threads: ThreadsArg,
}

#[derive(Args)]
struct SqlArgs {
    /// The SQL dialect: duckdb, postgres, sqlite, spark, bigquery, snowflake or tsql.
    #[arg(long, value_name = "DIALECT")]
    dialect: String,
    /// The table (or view) that holds one row per case; `schema.table` is quoted part by part.
    #[arg(long, value_name = "NAME")]
    table: String,
    /// Round the score to this many decimal places in the query (fewer rows; see docs/metrics.md, Counts).
    #[arg(long, value_name = "DIGITS")]
    score_digits: Option<u32>,
    /// The audit's settings, as `biasaudit audit` takes them (no file).
    #[command(flatten)]
    audit: AuditArgs,
}

#[derive(Args)]
struct AuditArgs {
    /// The CSV file, or - for standard input (not given to `sql`).
    file: Option<String>,
    /// A protected-attribute column; repeat to audit several attributes.
    #[arg(long = "group", required = true, value_name = "COL")]
    groups: Vec<String>,
    /// Also audit a combination of 2 or 3 columns (groups named `A|B`); repeatable.
    #[arg(long = "intersect", value_name = "COL,COL[,COL]", value_delimiter = ';')]
    intersections: Vec<String>,
    /// Groups with fewer rows than this are marked (and suppressed with --publication).
    #[arg(long, default_value_t = 10, value_name = "K")]
    min_cell: u64,
    /// Publication view: leave out groups smaller than --min-cell, groups under
    /// twice that in which all or none got the decision, and any group that
    /// could be worked out from the published ones (checked jointly over every
    /// attribute); every figure is then computed without them.
    #[arg(long)]
    publication: bool,
    /// The decision (or prediction) column.
    #[arg(long, value_name = "COL")]
    decision: String,
    /// Decision values that count as positive, separated by commas (repeatable);
    /// write a value that holds a comma in double quotes: '"Yes, approved",Y'.
    #[arg(long, value_name = "VALUE[,VALUE]", required_unless_present = "threshold")]
    positive: Vec<String>,
    /// Instead of --positive: the decision column is numeric and positive when value >= T.
    #[arg(long, value_name = "T", conflicts_with = "positive", allow_negative_numbers = true)]
    threshold: Option<f64>,
    /// Decision values that count as negative (0, false, no, n, f, negative, neg are recognised anyway).
    #[arg(long, value_name = "VALUE[,VALUE]")]
    negative: Vec<String>,
    /// Count every non-missing decision value that is not positive as negative.
    #[arg(long)]
    rest_negative: bool,
    /// The true-outcome column, when known.
    #[arg(long, value_name = "COL")]
    label: Option<String>,
    /// Label values that count as positive.
    #[arg(long, value_name = "VALUE[,VALUE]", requires = "label")]
    label_positive: Vec<String>,
    /// Instead of --label-positive: label is positive when value >= T.
    #[arg(
        long,
        value_name = "T",
        requires = "label",
        conflicts_with = "label_positive",
        allow_negative_numbers = true
    )]
    label_threshold: Option<f64>,
    /// Label values that count as negative.
    #[arg(long, value_name = "VALUE[,VALUE]", requires = "label")]
    label_negative: Vec<String>,
    /// Count every non-missing label value that is not positive as negative.
    #[arg(long, requires = "label")]
    label_rest_negative: bool,
    /// Show a numeric group column as bins: COL=EDGE,EDGE,… (e.g. age=25,35,50,65)
    /// or COL=qK for K quantile bins (e.g. income=q4); repeatable.
    #[arg(long = "bin", value_name = "COL=EDGES|COL=qK")]
    bins: Vec<String>,
    /// A numeric score column: ROC/AUC, calibration, Brier, what-if thresholds, LL144 rate.
    #[arg(long, value_name = "COL")]
    score: Option<String>,
    /// Calibration bins for the score: uniform:K (equal width) or quantile:K (equal counts).
    #[arg(long, default_value = "uniform:10", value_name = "uniform:K|quantile:K")]
    calibration: String,
    /// For the what-if thresholds: cost of a false positive relative to a false negative.
    #[arg(long, default_value_t = 1.0, value_name = "RATIO")]
    cost_ratio: f64,
    /// For the per-group what-if thresholds: the gap allowed between the groups' rates (e.g. 0.02), at the lowest cost.
    #[arg(long, value_name = "RATE")]
    what_if_tolerance: Option<f64>,
    /// A column of non-negative survey or design weights (intervals and tests use Kish's effective size)
    #[arg(long, value_name = "COL")]
    weight: Option<String>,
    /// A column of frequency counts (a table of counts, as a database GROUP BY gives): each row stands for that many identical cases
    #[arg(long, value_name = "COL")]
    count: Option<String>,
    /// The comparison group: a group name, largest, most-favoured or rest (everyone else)
    /// (write group:NAME for a group called one of those words).
    #[arg(long, default_value = "largest", value_name = "GROUP|largest|most-favoured|rest")]
    reference: String,
    /// Whether the positive decision helps or harms the person.
    #[arg(long, value_enum, default_value_t = OutcomeArg::Beneficial)]
    outcome: OutcomeArg,
    /// Impact ratios below this are flagged.
    #[arg(long = "four-fifths", default_value_t = 0.8, value_name = "RATIO")]
    four_fifths: f64,
    /// For a harmful decision: harm ratios above this are flagged.
    #[arg(long = "harm-ratio", default_value_t = 1.25, value_name = "RATIO")]
    harm_ratio: f64,
    /// A significant gap within the thresholds is raised only when the impact
    /// ratio is below this (the harm ratio above its inverse).
    #[arg(long = "practical-ratio", default_value_t = 0.9, value_name = "RATIO")]
    practical_ratio: f64,
    /// Field delimiter (detected when absent). Use "tab" for a tab.
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// For a spreadsheet (.xlsx, .xls, .ods): the sheet to read (the first when absent).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// For a spreadsheet: the row of the column names (rows above it, such as a title, are skipped).
    #[arg(long = "header-row", default_value_t = 1, value_name = "ROW")]
    header_row: u32,
    /// A column of strata (site, month, region) for Cochran–Mantel–Haenszel tests.
    #[arg(long, value_name = "COL")]
    strata: Option<String>,
    #[command(flatten)]
    period: PeriodArgs,
    /// The period the change tests compare every later period with (the first period when absent).
    #[arg(long = "period-baseline", value_name = "PERIOD")]
    period_baseline: Option<String>,
    /// Confidence level of intervals (1 − level is the significance level of tests).
    #[arg(long, default_value_t = 0.95, value_name = "LEVEL")]
    confidence: f64,
    /// Interval for a single rate.
    #[arg(long, value_enum, default_value_t = IntervalArg::Wilson)]
    interval: IntervalArg,
    /// Groups smaller than this get the verdict "insufficient data".
    #[arg(long, default_value_t = 30, value_name = "N")]
    min_group: u64,
    /// Multiple-comparison adjustment of p-values.
    #[arg(long, value_enum, default_value_t = AdjustArg::Holm)]
    adjust: AdjustArg,
    /// Apply Yates's continuity correction to 2-group chi-squared tests.
    #[arg(long)]
    yates: bool,
    /// Power for the smallest detectable difference.
    #[arg(long, default_value_t = 0.8, value_name = "P")]
    power: f64,
    /// Refuse a group column with more distinct values than this.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    max_groups: usize,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write the report here instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<String>,
    #[command(flatten)]
    threads: ThreadsArg,
}

#[derive(Args)]
struct ThreadsArg {
    /// Count the file in this many parts at once, as the page's workers do (default: one per core, at most 8,
    /// for a file of 16 MB or more; 1: one pass). Every figure is the same either way.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: Option<u16>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutcomeArg {
    Beneficial,
    Harmful,
}

#[derive(Clone, Copy, ValueEnum)]
enum PeriodUnitArg {
    Month,
    Quarter,
    Year,
    AsGiven,
}

#[derive(Clone, Copy, ValueEnum)]
enum DateOrderArg {
    Dmy,
    Mdy,
}

#[derive(Clone, Copy, ValueEnum)]
enum IntervalArg {
    Wilson,
    ClopperPearson,
}

#[derive(Clone, Copy, ValueEnum)]
enum AdjustArg {
    Holm,
    Bh,
    None,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Markdown,
}

fn main() -> ExitCode {
    let args = match Cli::parse().command {
        Command::Audit(args) => args,
        Command::Sql(args) => {
            return match sql(&args) {
                Ok(text) => match std::io::stdout().lock().write_all(text.as_bytes()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("biasaudit: error: could not write the query: {e}");
                        ExitCode::from(2)
                    }
                },
                Err(message) => {
                    eprintln!("biasaudit: error: {message}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Monitor(args) => {
            return match monitor(&args) {
                Ok(false) => ExitCode::SUCCESS,
                Ok(true) => ExitCode::from(3),
                Err(message) => {
                    eprintln!("biasaudit: error: {message}");
                    ExitCode::from(2)
                }
            };
        }
        Command::Schema { which } => {
            let schema = match which {
                SchemaKind::Config => biasaudit::schema::config_schema(),
                SchemaKind::Report => biasaudit::schema::report_schema(),
                SchemaKind::Monitor => biasaudit::schema::monitor_schema(),
                SchemaKind::Api => biasaudit::schema::api_bundle(),
            };
            let mut out = std::io::stdout().lock();
            return match serde_json::to_writer_pretty(&mut out, &schema)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("biasaudit: error: could not write the schema: {e}");
                    ExitCode::from(2)
                }
            };
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("biasaudit: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The values of a repeatable flag such as --positive: each occurrence is a
/// comma-separated list, read as one CSV record, so a value that holds a
/// comma (or a quote) is written in double quotes: `"Yes, approved",Y`.
fn value_list(flag: &str, occurrences: &[String]) -> Result<Vec<String>, String> {
    let mut values = Vec::new();
    for text in occurrences {
        let (mut field, mut quoted) = (String::new(), false);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (false, '"') if field.trim().is_empty() => {
                    field.clear();
                    quoted = true;
                }
                (false, ',') => values.push(std::mem::take(&mut field)),
                (_, c) => field.push(c),
            }
        }
        if quoted {
            return Err(format!("{flag} {text:?}: a double quote is not closed"));
        }
        values.push(field);
    }
    Ok(values)
}

fn period_column(args: &PeriodArgs, baseline: Option<String>) -> Option<biasaudit::config::PeriodColumn> {
    Some(biasaudit::config::PeriodColumn {
        column: args.period.clone()?,
        unit: match args.period_unit {
            PeriodUnitArg::Month => PeriodUnit::Month,
            PeriodUnitArg::Quarter => PeriodUnit::Quarter,
            PeriodUnitArg::Year => PeriodUnit::Year,
            PeriodUnitArg::AsGiven => PeriodUnit::AsGiven,
        },
        date_order: match args.date_order {
            DateOrderArg::Dmy => DateOrder::Dmy,
            DateOrderArg::Mdy => DateOrder::Mdy,
        },
        baseline,
    })
}

fn config_from(args: &AuditArgs) -> Result<AuditConfig, String> {
    let delimiter = match args.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t") => Some('\t'),
        Some(d) if d.chars().count() == 1 => d.chars().next(),
        Some(d) => return Err(format!("--delimiter takes one character (or \"tab\"), not {d:?}")),
    };
    let mut config = AuditConfig::new(
        args.groups.clone(),
        OutcomeColumn {
            column: args.decision.clone(),
            positive: value_list("--positive", &args.positive)?,
            threshold: args.threshold,
            negative: value_list("--negative", &args.negative)?,
            rest_negative: args.rest_negative,
        },
    );
    let (label_positive, label_negative) =
        (value_list("--label-positive", &args.label_positive)?, value_list("--label-negative", &args.label_negative)?);
    config.label = args.label.as_ref().map(|column| OutcomeColumn {
        column: column.clone(),
        positive: label_positive,
        threshold: args.label_threshold,
        negative: label_negative,
        rest_negative: args.label_rest_negative,
    });
    config.weight = args.weight.clone();
    config.count = args.count.clone();
    config.score = args.score.clone();
    for spec in &args.bins {
        let (column, how) =
            spec.split_once('=').ok_or_else(|| format!("--bin takes COL=EDGES or COL=qK, not {spec:?}"))?;
        let binning = match how.strip_prefix('q') {
            Some(k) => Binning::Quantiles(k.parse().map_err(|_| format!("--bin {spec:?}: qK needs a whole number K"))?),
            None => Binning::Edges(
                how.split(',')
                    .map(|e| e.trim().parse::<f64>().map_err(|_| format!("--bin {spec:?}: {e:?} is not a number")))
                    .collect::<Result<_, _>>()?,
            ),
        };
        config.bins.insert(column.trim().to_string(), binning);
    }
    config.cost_ratio = args.cost_ratio;
    config.what_if_tolerance = args.what_if_tolerance;
    config.calibration = {
        let bad = || format!("--calibration takes uniform:K or quantile:K, not {:?}", args.calibration);
        let (kind, k) = args.calibration.split_once(':').ok_or_else(bad)?;
        let k: usize = k.parse().map_err(|_| bad())?;
        match kind {
            "uniform" => CalibrationBins::Uniform(k),
            "quantile" => CalibrationBins::Quantile(k),
            _ => return Err(bad()),
        }
    };
    config.reference = Reference::parse(&args.reference);
    config.outcome = match args.outcome {
        OutcomeArg::Beneficial => Direction::Beneficial,
        OutcomeArg::Harmful => Direction::Harmful,
    };
    config.four_fifths_threshold = args.four_fifths;
    config.harm_ratio_threshold = args.harm_ratio;
    config.practical_ratio = args.practical_ratio;
    config.delimiter = delimiter;
    config.sheet = args.sheet.clone();
    config.header_row = args.header_row;
    config.max_groups = args.max_groups;
    config.strata = args.strata.clone();
    config.period = period_column(&args.period, args.period_baseline.clone());
    config.intersections =
        args.intersections.iter().map(|c| c.split(',').map(|s| s.trim().to_string()).collect()).collect();
    config.min_cell = args.min_cell;
    config.publication = args.publication;
    config.evidence = EvidenceOptions {
        confidence: args.confidence,
        interval: match args.interval {
            IntervalArg::Wilson => IntervalMethod::Wilson,
            IntervalArg::ClopperPearson => IntervalMethod::ClopperPearson,
        },
        min_group: args.min_group,
        adjust: match args.adjust {
            AdjustArg::Holm => Adjustment::Holm,
            AdjustArg::Bh => Adjustment::Bh,
            AdjustArg::None => Adjustment::None,
        },
        yates: args.yates,
        power: args.power,
    };
    Ok(config)
}

/// The engine's message, with the flag that fixes it: the engine names
/// settings by their config field, the command line by its flags.
fn worded(e: &biasaudit::Error) -> String {
    use biasaudit::error::ErrorCode;
    let flag = |field: &str| match field {
        "groups" => Some("--group COL"),
        "decision.positive" => Some("--positive VALUE or --threshold T"),
        "label.positive" => Some("--label-positive VALUE or --label-threshold T"),
        "four_fifths_threshold" => Some("--four-fifths"),
        "harm_ratio_threshold" => Some("--harm-ratio"),
        "practical_ratio" => Some("--practical-ratio"),
        "evidence.confidence" => Some("--confidence"),
        "evidence.power" => Some("--power"),
        "evidence.min_group" => Some("--min-group"),
        "cost_ratio" => Some("--cost-ratio"),
        "what_if_tolerance" => Some("--what-if-tolerance"),
        "calibration" => Some("--calibration"),
        "max_groups" => Some("--max-groups"),
        "delimiter" => Some("--delimiter"),
        "sheet" => Some("--sheet"),
        "header_row" => Some("--header-row"),
        "strata" => Some("--strata"),
        "period.column" => Some("--period"),
        "period.baseline" => Some("--period-baseline"),
        "decision.column" => Some("--decision"),
        "label.column" => Some("--label"),
        "weight" => Some("--weight"),
        "count" => Some("--count"),
        f if f.starts_with("bins.") => Some("--bin"),
        f if f.starts_with("intersections") => Some("--intersect"),
        _ => None,
    };
    let hint = match (e.code, e.field.as_deref()) {
        (ErrorCode::DataUnexpectedValue, Some(role @ ("decision" | "label"))) => {
            let prefix = if role == "label" { "--label-" } else { "--" };
            let value = e.value.as_deref().unwrap_or("VALUE");
            let shown = if value.contains([',', ' ', '"']) || value.starts_with('-') {
                biasaudit::error::quoted(value)
            } else {
                value.to_string()
            };
            Some(format!("{prefix}negative {shown}, or {prefix}rest-negative"))
        }
        (code, Some(field)) if code.kind() == "config" => flag(field).map(str::to_string),
        _ => None,
    };
    match hint {
        Some(hint) => format!("{e} ({hint})"),
        None => e.to_string(),
    }
}

/// The counts query for `biasaudit sql`.
fn sql(args: &SqlArgs) -> Result<String, String> {
    if args.audit.file.is_some() {
        return Err("sql takes no file: it prints the query that counts the rows where they are (--table)".into());
    }
    let dialect = biasaudit::config::sql::Dialect::from_name(&args.dialect).ok_or_else(|| {
        format!("--dialect {:?} is not one of duckdb, postgres, sqlite, spark, bigquery, snowflake, tsql", args.dialect)
    })?;
    let config = config_from(&args.audit)?;
    let count = biasaudit::config::sql::count_column(&config);
    biasaudit::config::sql::counts_query(&config, &args.table, dialect, args.score_digits)
        .map(|q| format!("{q}-- Then: biasaudit audit COUNTS.csv --count {count} with the same flags.\n"))
        .map_err(|e| worded(&e))
}

fn run(args: &AuditArgs) -> Result<(), String> {
    let Some(file) = args.file.as_deref() else {
        return Err("give the CSV file to audit, or - for standard input".into());
    };
    if let Some(path) = &args.output {
        if file != "-" && same_file(path, file) {
            return Err(format!(
                "-o {path} is the input file: the report would overwrite the data; choose another file"
            ));
        }
    }
    let report = audit_file(config_from(args)?, file, &args.threads)?;
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
        Format::Markdown => markdown::render(&report),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}")),
        None => std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| e.to_string()),
    }
}

/// Files at least this large are counted in parts on several threads (as the page does).
const PARALLEL_MIN_BYTES: u64 = 16 * 1024 * 1024;

/// Audits `file` (or standard input for `-`) with `config`, fingerprinting it.
fn audit_file(config: AuditConfig, file: &str, threads: &ThreadsArg) -> Result<biasaudit::Report, String> {
    // Asked for, any file is counted in parts; by default only a large one, where it pays.
    if let Some(format) = sheet_format_of(file) {
        return audit_workbook(config, file, format);
    }
    if config.sheet.is_some() || config.header_row != 1 {
        return Err(format!(
            "{file} is not a spreadsheet (.xlsx, .xls or .ods), so --sheet and --header-row do not apply: leave them out"
        ));
    }
    let parts = threads.threads.map_or_else(parallel::default_parts, usize::from);
    let min_bytes = if threads.threads.is_some() { 0 } else { PARALLEL_MIN_BYTES };
    let file_to_cut = file != "-" && std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() >= min_bytes);
    if parts > 1 && file_to_cut {
        if let Some(report) = audit_in_parts(&config, file, parts)? {
            return Ok(report);
        }
    }
    let mut audit = Audit::new(config).map_err(|e| worded(&e))?;
    audit.skip_fingerprint();
    let input: Box<dyn Read + Send> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).map_err(|e| format!("cannot open {file}: {e}"))?)
    };
    let sha256 = count_while_hashing(input, &mut audit).map_err(|e| match e {
        Failure::Read(e) => format!("cannot read {file}: {e}"),
        Failure::Audit(e) => worded(&e),
    })?;
    audit.finish_with_fingerprint(Some(sha256)).map_err(|e| worded(&e))
}

/// The kind of workbook `file` is, from its first bytes; `None` for a CSV file or standard input.
fn sheet_format_of(file: &str) -> Option<biasaudit::input::sheet::SheetFormat> {
    // Only a regular file: reading the start of a pipe (`<(zcat …)`) would take it from the count.
    if file == "-" || !std::fs::metadata(file).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut start = [0u8; 96];
    let mut file = std::fs::File::open(file).ok()?;
    let mut filled = 0;
    while filled < start.len() {
        match file.read(&mut start[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    biasaudit::input::sheet::SheetFormat::sniff(&start[..filled])
}

/// Audits a sheet of a workbook while another thread hashes the file.
fn audit_workbook(
    config: AuditConfig,
    file: &str,
    format: biasaudit::input::sheet::SheetFormat,
) -> Result<biasaudit::Report, String> {
    let path = std::path::Path::new(file);
    let (report, sha256) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| sha256_of(path));
        let report = std::fs::File::open(path).map_err(|e| format!("cannot open {file}: {e}")).and_then(|f| {
            biasaudit::audit::audit_sheet(config, format, std::io::BufReader::new(f), &mut |_, _| {})
                .map_err(|e| worded(&e))
        });
        (report, hashing.join())
    });
    let mut report = report?;
    let sha256 =
        sha256.map_err(|_| "the hashing thread failed".to_string())?.map_err(|e| format!("cannot read {file}: {e}"))?;
    report.input.sha256 = Some(sha256);
    Ok(report)
}

/// Counts the file in parts on `parts` threads while another hashes it, and
/// builds the report from the merged tallies; `None` when it must be counted
/// in one pass (a cut inside a quoted field, or bad data to locate).
fn audit_in_parts(config: &AuditConfig, file: &str, parts: usize) -> Result<Option<biasaudit::Report>, String> {
    let path = std::path::Path::new(file);
    let (counted, sha256) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| sha256_of(path));
        let counted = parallel::count_file(config, path, parts);
        (counted, hashing.join())
    });
    let counted = match counted {
        Ok(counted) => counted,
        Err(parallel::PartsFailure::CountInOnePass) => return Ok(None),
        Err(parallel::PartsFailure::Io(e)) => return Err(format!("cannot read {file}: {e}")),
    };
    let sha256 =
        sha256.map_err(|_| "the hashing thread failed".to_string())?.map_err(|e| format!("cannot read {file}: {e}"))?;
    report::build(config, &counted.tallies, Some(counted.delimiter), Some(sha256)).map(Some).map_err(|e| worded(&e))
}

/// The SHA-256 of a file, as `sha256sum` prints it.
fn sha256_of(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut file = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(biasaudit::audit::hex(&h.finalize()))
}

/// A --rule: FIGURE[=LINE][@COLUMN].
fn rule_from(text: &str) -> Result<MonitorRule, String> {
    let (rest, attribute) = match text.split_once('@') {
        Some((rest, column)) => (rest, Some(column.to_string())),
        None => (text, None),
    };
    let (figure, threshold) = match rest.split_once('=') {
        Some((figure, line)) => (
            figure,
            Some(
                line.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("--rule {text:?}: the line {line:?} is not a number"))?,
            ),
        ),
        None => (rest, None),
    };
    let figure = match figure.trim() {
        "verdict" => MonitorFigure::Verdict,
        "impact_ratio" => MonitorFigure::ImpactRatio,
        "harm_ratio" => MonitorFigure::HarmRatio,
        "rate_change" => MonitorFigure::RateChange,
        other => {
            return Err(format!(
                "--rule {text:?}: {other:?} is not one of verdict, impact_ratio, harm_ratio, rate_change"
            ))
        }
    };
    Ok(MonitorRule { figure, attribute, threshold, notify: String::new() })
}

/// `biasaudit monitor`: the monitoring report, and whether an alert fired.
fn monitor(args: &MonitorArgs) -> Result<bool, String> {
    if let Some(path) = &args.output {
        if [&args.baseline, &args.file].iter().any(|f| f.as_str() != "-" && same_file(path, f)) {
            return Err(format!("-o {path} is an input file; choose another file"));
        }
    }
    let text = std::fs::read_to_string(&args.baseline).map_err(|e| format!("cannot read {}: {e}", args.baseline))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", args.baseline))?;
    let mut baseline = Baseline::from_json(&json).map_err(|e| format!("{}: {e}", args.baseline))?;
    for rule in &args.rules {
        baseline.rules.push(rule_from(rule)?);
    }
    let mut config = baseline.config.clone();
    if args.period.period.is_some() {
        config.period = period_column(&args.period, None);
    }
    let report = audit_file(config, &args.file, &args.threads)?;
    let result = monitor::compare(&baseline, report).map_err(|e| worded(&e))?;
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&result).map_err(|e| e.to_string())? + "\n",
        Format::Markdown => markdown::render_monitor(&result),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))?,
        None => std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| e.to_string())?,
    }
    Ok(result.alerted())
}

/// Whether two paths name the same existing file (so `-o` cannot overwrite the input).
fn same_file(a: &str, b: &str) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

enum Failure {
    Read(std::io::Error),
    Audit(biasaudit::Error),
}

/// Reads the input once, counting on this thread and hashing the same chunks
/// on another: SHA-256 costs as much as counting on CPUs without SHA
/// instructions, and the two overlap on two cores.
fn count_while_hashing(mut input: Box<dyn Read + Send>, audit: &mut Audit) -> Result<String, Failure> {
    use sha2::{Digest, Sha256};
    use std::sync::{mpsc, Arc};
    let (to_hasher, chunks) = mpsc::sync_channel::<Arc<Vec<u8>>>(8);
    let hasher = std::thread::spawn(move || {
        let mut h = Sha256::new();
        for chunk in chunks {
            h.update(chunk.as_slice());
        }
        biasaudit::audit::hex(&h.finalize())
    });
    let mut failed = None;
    loop {
        let mut buf = vec![0u8; 256 * 1024];
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Failure::Read(e)),
        };
        buf.truncate(n);
        let chunk = Arc::new(buf);
        // The hasher only stops early if this thread has dropped the sender.
        let _ = to_hasher.send(Arc::clone(&chunk));
        if let Err(e) = audit.push(&chunk) {
            failed = Some(e);
            break;
        }
    }
    drop(to_hasher);
    let sha256 = hasher.join().map_err(|_| {
        Failure::Audit(biasaudit::Error::new(biasaudit::error::ErrorCode::EngineInternal, "the hashing thread failed"))
    })?;
    match failed {
        Some(e) => Err(Failure::Audit(e)),
        None => Ok(sha256),
    }
}
