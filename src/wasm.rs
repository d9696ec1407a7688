//! The WebAssembly API: a thin layer over the same core the CLI uses. No
//! metric is computed here; this file only converts between JS and Rust.
//!
//! Errors become JS `Error` objects whose message is the located message the
//! CLI prints, with `line`, `record` and `column` properties when known.

use crate::config::AuditConfig;
use crate::error::{Error, ErrorCode};
use crate::preview::PreviewBuilder;
use crate::report::{self, monitor};
use crate::schema::{GroupAtThreshold, PartResult};
use crate::tally::TallySet;
use crate::Audit;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn js_error(e: Error) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error cannot fail; ignore the Result.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
    };
    set("detail", JsValue::from_str(&e.message));
    set("code", JsValue::from_str(e.code.as_str()));
    set("kind", JsValue::from_str(e.code.kind()));
    if let Some(field) = &e.field {
        set("field", JsValue::from_str(field));
    }
    if let Some(value) = &e.value {
        set("value", JsValue::from_str(value));
    }
    if let Some(line) = e.location.line {
        set("line", JsValue::from_f64(line as f64));
    }
    if let Some(record) = e.location.record {
        set("record", JsValue::from_f64(record as f64));
    }
    if let Some(column) = &e.location.column {
        set("column", JsValue::from_str(column));
    }
    if let Some(place) = e.location.place.as_deref() {
        set("sheet", JsValue::from_str(&place.sheet));
        if let Some(cell) = &place.cell {
            set("cell", JsValue::from_str(cell));
        }
        if let Some(reference) = place.reference() {
            set("reference", JsValue::from_str(&reference));
        }
    }
    error.into()
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    // Plain objects (not Maps), numbers for counts: what JSON would give.
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| {
        js_error(Error::new(ErrorCode::EngineInternal, format!("could not convert the result for JavaScript: {e}")))
    })
}

fn parse_config(config: JsValue) -> Result<AuditConfig, Error> {
    // Through JSON, so the rules are exactly the CLI's and the report's: unknown
    // fields are rejected (serde-wasm-bindgen would skip them) and a field set
    // to `undefined` counts as absent.
    let json = js_sys::JSON::stringify(&config)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::new(ErrorCode::ConfigInvalid, "the audit settings must be a plain object"))?;
    serde_json::from_str(&json)
        .map_err(|e| Error::new(ErrorCode::ConfigInvalid, format!("the audit settings are not valid: {e}")))
}

fn config_from(config: JsValue) -> Result<AuditConfig, JsValue> {
    parse_config(config).map_err(js_error)
}

/// The config with every default filled in (no columns chosen yet): the
/// defaults the page shows come from here, not from a copy.
#[wasm_bindgen(js_name = defaultConfig, unchecked_return_type = "ResolvedAuditConfig")]
pub fn default_config() -> Result<JsValue, JsValue> {
    to_js(&AuditConfig::new(Vec::new(), crate::config::OutcomeColumn::default()))
}

/// Every value of each enumerated setting (`interval`, `adjust`, `outcome`),
/// for a form's choices.
#[wasm_bindgen(js_name = configOptions, unchecked_return_type = "ConfigOptions")]
pub fn config_options() -> Result<JsValue, JsValue> {
    to_js(&crate::config::options())
}

/// Every figure a monitoring rule can watch, for a form's choices.
#[wasm_bindgen(js_name = monitorFigures, unchecked_return_type = "MonitorFigure[]")]
pub fn monitor_figures() -> Result<JsValue, JsValue> {
    to_js(&monitor::MonitorFigure::ALL)
}

/// Every problem with a config, each `{ code, message, field }` (field: a
/// path such as `evidence.confidence`); empty when the config is valid.
#[wasm_bindgen(js_name = validateConfig, unchecked_return_type = "EngineError[]")]
pub fn validate_config(
    #[wasm_bindgen(unchecked_param_type = "AuditConfig")] config: JsValue,
) -> Result<JsValue, JsValue> {
    let problems = match parse_config(config) {
        Ok(config) => config.problems(),
        Err(e) => vec![e],
    };
    to_js(&problems)
}

/// The GROUP BY query that counts, where the data lives, what an audit with
/// `config` needs (docs/databases.md); its result is audited with `count`
/// set to the returned `countColumn`.
#[wasm_bindgen(js_name = countsQuery, unchecked_return_type = "{ query: string, countColumn: string }")]
pub fn counts_query(
    #[wasm_bindgen(unchecked_param_type = "AuditConfig")] config: JsValue,
    table: &str,
    dialect: &str,
) -> Result<JsValue, JsValue> {
    use crate::config::sql;
    let config = config_from(config)?;
    let dialect = sql::Dialect::from_name(dialect).ok_or_else(|| {
        js_error(Error::new(
            ErrorCode::ConfigInvalid,
            format!("{dialect:?} is not one of duckdb, postgres, sqlite, spark, bigquery, snowflake, tsql"),
        ))
    })?;
    let query = sql::counts_query(&config, table, dialect, None).map_err(js_error)?;
    let out = js_sys::Object::new();
    // Setting a property on a fresh object cannot fail.
    let _ = js_sys::Reflect::set(&out, &"query".into(), &query.into());
    let _ = js_sys::Reflect::set(&out, &"countColumn".into(), &sql::count_column(&config).into());
    Ok(out.into())
}

/// The engine's version, recorded in every review.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    report::ENGINE.version.to_string()
}

/// Readable panic messages in the console; development builds only.
#[wasm_bindgen(js_name = installPanicHook)]
pub fn install_panic_hook() {
    #[cfg(feature = "dev-panic-hook")]
    console_error_panic_hook::set_once();
}

/// An audit fed with chunks of a file.
#[wasm_bindgen(js_name = Audit)]
pub struct WasmAudit {
    inner: Option<Audit>,
}

#[wasm_bindgen(js_class = Audit)]
impl WasmAudit {
    /// `config`: the same object as the report's `config` field.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "AuditConfig")] config: JsValue) -> Result<WasmAudit, JsValue> {
        let audit = Audit::new(config_from(config)?).map_err(js_error)?;
        Ok(WasmAudit { inner: Some(audit) })
    }

    /// An audit of one part of a file (see the Rust `Audit::for_part`).
    /// `partEnd` < 0 means the part runs to the end of the file.
    #[wasm_bindgen(js_name = forPart)]
    pub fn for_part(
        #[wasm_bindgen(unchecked_param_type = "AuditConfig")] config: JsValue,
        header: &[u8],
        part_start: f64,
        part_end: f64,
    ) -> Result<WasmAudit, JsValue> {
        let end = (part_end >= 0.0).then_some(part_end as u64);
        let audit = Audit::for_part(config_from(config)?, header, part_start as u64, end).map_err(js_error)?;
        Ok(WasmAudit { inner: Some(audit) })
    }

    fn inner(&mut self) -> Result<&mut Audit, JsValue> {
        self.inner
            .as_mut()
            .ok_or_else(|| js_error(Error::new(ErrorCode::EngineMisuse, "this audit has already finished")))
    }

    /// Feeds the next chunk (any size, split anywhere).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.inner()?.push(chunk).map_err(js_error)
    }

    /// Bytes pushed so far, for progress; 0 once finished.
    #[wasm_bindgen(getter, js_name = bytesRead)]
    pub fn bytes_read(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |a| a.bytes_read() as f64)
    }

    /// Data rows read so far (the header not counted); 0 once finished.
    #[wasm_bindgen(getter, js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |a| a.rows_read() as f64)
    }

    /// For a part: true once it has read past its end.
    #[wasm_bindgen(getter, js_name = partDone)]
    pub fn part_done(&self) -> bool {
        self.inner.as_ref().is_some_and(Audit::part_done)
    }

    /// Ends the input; returns the report as a plain object.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let audit = self
            .inner
            .take()
            .ok_or_else(|| js_error(Error::new(ErrorCode::EngineMisuse, "this audit has already finished")))?;
        to_js(&audit.finish().map_err(js_error)?)
    }

    /// Ends the input; returns `{ tallies, endedAtBoundary, lastRecordEnd }`
    /// with the tallies as a JSON string (exact, for merging).
    #[wasm_bindgen(js_name = finishPart, unchecked_return_type = "PartResult")]
    pub fn finish_part(&mut self) -> Result<JsValue, JsValue> {
        let audit = self.inner()?;
        let tallies = audit.finish_tallies().map_err(js_error)?;
        let json = serde_json::to_string(&tallies)
            .map_err(|e| js_error(Error::new(ErrorCode::EngineInternal, e.to_string())))?;
        let result = PartResult {
            tallies: json,
            ended_at_boundary: audit.ended_at_boundary(),
            last_record_end: audit.last_record_end() as f64,
        };
        self.inner = None;
        to_js(&result)
    }
}

/// The parts' tallies (JSON strings from `finishPart`), merged.
fn merged_tallies(tallies: &[String]) -> Result<TallySet, JsValue> {
    let mut merged: Option<TallySet> = None;
    for json in tallies {
        let part: TallySet = serde_json::from_str(json).map_err(|e| {
            js_error(Error::new(ErrorCode::EngineMisuse, format!("a worker's tallies could not be read: {e}")))
        })?;
        match merged.as_mut() {
            Some(m) => m.merge(&part).map_err(|e| js_error(Error::new(ErrorCode::EngineMisuse, e.to_string())))?,
            None => merged = Some(part),
        }
    }
    merged.ok_or_else(|| js_error(Error::new(ErrorCode::EngineMisuse, "no tallies to merge")))
}

fn baseline_from(review_json: &str) -> Result<monitor::Baseline, JsValue> {
    let json: serde_json::Value = serde_json::from_str(review_json).map_err(|e| {
        js_error(Error::new(
            ErrorCode::ConfigInvalid,
            format!("the baseline is not a biasaudit review file or report: it is not JSON ({e})"),
        ))
    })?;
    monitor::Baseline::from_json(&json).map_err(js_error)
}

/// A board's review file (its JSON text; or a JSON report) as a monitoring
/// baseline: the settings to audit the new file with, the rules, the origin.
#[wasm_bindgen(js_name = readBaseline, unchecked_return_type = "BaselineSettings")]
pub fn read_baseline(review_json: &str) -> Result<JsValue, JsValue> {
    to_js(&baseline_from(review_json)?.settings())
}

/// Every problem with a board's monitoring rules, each `{ code, message,
/// field }` (field: `monitoring.rules[0].threshold`); `columns`: the
/// characteristics the review audited; `harmful`: whether its decision harms
/// the person. Empty when every rule can be checked.
#[wasm_bindgen(js_name = monitorRuleProblems, unchecked_return_type = "EngineError[]")]
pub fn monitor_rule_problems(
    #[wasm_bindgen(unchecked_param_type = "MonitorRule[]")] rules: JsValue,
    columns: Vec<String>,
    harmful: bool,
) -> Result<JsValue, JsValue> {
    let rules: Vec<monitor::MonitorRule> = serde_wasm_bindgen::from_value(rules).map_err(|e| {
        js_error(
            Error::new(ErrorCode::ConfigInvalid, format!("the monitoring rules cannot be read: {e}"))
                .for_field("monitoring.rules"),
        )
    })?;
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    to_js(&monitor::rule_problems(&rules, &columns, harmful))
}

/// The new file's tallies (counted with `readBaseline`'s config, a period
/// column perhaps added: that is `config`) against the review: the monitoring report.
#[wasm_bindgen(js_name = monitorFromTallies, unchecked_return_type = "MonitorReport")]
pub fn monitor_from_tallies(
    review_json: &str,
    #[wasm_bindgen(unchecked_param_type = "AuditConfig")] config: JsValue,
    tallies: Vec<String>,
    sha256: Option<String>,
    delimiter: String,
) -> Result<JsValue, JsValue> {
    let baseline = baseline_from(review_json)?;
    let config = config_from(config)?;
    let merged = merged_tallies(&tallies)?;
    let delimiter = delimiter.bytes().next().filter(|_| delimiter.len() == 1);
    let report = report::build(&config, &merged, delimiter, sha256.filter(|s| !s.is_empty())).map_err(js_error)?;
    to_js(&monitor::compare(&baseline, report).map_err(js_error)?)
}

/// Merges the parts' tallies (JSON strings) and builds the report. `config`
/// is the user's config (the parts may have had the delimiter filled in);
/// `delimiter` is the one detected; `sha256` is the whole file's fingerprint
/// (from a [`WasmHasher`]), or null/empty when not yet known.
#[wasm_bindgen(js_name = reportFromTallies, unchecked_return_type = "Report")]
pub fn report_from_tallies(
    #[wasm_bindgen(unchecked_param_type = "AuditConfig")] config: JsValue,
    tallies: Vec<String>,
    sha256: Option<String>,
    delimiter: String,
) -> Result<JsValue, JsValue> {
    let config = config_from(config)?;
    let merged = merged_tallies(&tallies)?;
    let delimiter = delimiter.bytes().next().filter(|_| delimiter.len() == 1);
    let sha256 = sha256.filter(|s| !s.is_empty());
    to_js(&report::build(&config, &merged, delimiter, sha256).map_err(js_error)?)
}

fn workbook_format(kind: &str) -> Result<crate::input::sheet::SheetFormat, JsValue> {
    crate::input::sheet::SheetFormat::from_kind(kind).ok_or_else(|| {
        js_error(Error::new(ErrorCode::EngineMisuse, format!("{kind:?} is not a kind of workbook: xlsx, xls or ods")))
    })
}

/// The kind of workbook a file's first bytes (96 are enough) start: `xlsx`,
/// `xls` or `ods`; null for anything else, such as a CSV file.
#[wasm_bindgen(js_name = workbookKind)]
pub fn workbook_kind(start: &[u8]) -> Option<String> {
    crate::input::sheet::SheetFormat::sniff(start).map(|f| f.kind().to_string())
}

/// A column preview of one sheet of a workbook (the whole file's bytes):
/// `sheet` null for the first, `headerRow` the row of its column names. Its
/// `workbook` lists the sheets.
#[wasm_bindgen(js_name = previewSheet, unchecked_return_type = "PreviewResult")]
pub fn preview_sheet(
    workbook: &[u8],
    kind: &str,
    sheet: Option<String>,
    header_row: u32,
    max_rows: usize,
) -> Result<JsValue, JsValue> {
    let format = workbook_format(kind)?;
    let preview =
        crate::input::preview::preview_sheet(format, std::io::Cursor::new(workbook), sheet, header_row, max_rows)
            .map_err(js_error)?;
    to_js(&preview)
}

/// Counts one sheet of a workbook (the whole file's bytes) with `config`
/// (its `sheet` and `header_row`), calling `progress(rowsDone, rowsInSheet)`
/// every few thousand rows. Returns `{ tallies, sheet }`: the tallies as a
/// JSON string for `reportFromTallies` or `monitorFromTallies` (with the
/// config's `sheet` set to the sheet read), and that sheet.
#[wasm_bindgen(js_name = sheetTallies, unchecked_return_type = "{ tallies: string, sheet: string }")]
pub fn sheet_tallies(
    workbook: &[u8],
    kind: &str,
    #[wasm_bindgen(unchecked_param_type = "AuditConfig")] config: JsValue,
    progress: &js_sys::Function,
) -> Result<JsValue, JsValue> {
    let format = workbook_format(kind)?;
    let config = config_from(config)?;
    let mut tell = |done: u64, total: u64| {
        // A failing progress callback must not stop the count.
        let _ = progress.call2(&JsValue::NULL, &JsValue::from_f64(done as f64), &JsValue::from_f64(total as f64));
    };
    let (tallies, sheet) =
        crate::audit::count_sheet(&config, format, std::io::Cursor::new(workbook), &mut tell).map_err(js_error)?;
    let json =
        serde_json::to_string(&tallies).map_err(|e| js_error(Error::new(ErrorCode::EngineInternal, e.to_string())))?;
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&out, &"tallies".into(), &json.into());
    let _ = js_sys::Reflect::set(&out, &"sheet".into(), &sheet.into());
    Ok(out.into())
}

/// A column preview fed with chunks of a file.
#[wasm_bindgen(js_name = Preview)]
pub struct WasmPreview {
    inner: Option<PreviewBuilder>,
}

#[wasm_bindgen(js_class = Preview)]
impl WasmPreview {
    /// `maxRows`: how many rows to keep for display.
    #[wasm_bindgen(constructor)]
    pub fn new(max_rows: usize) -> WasmPreview {
        WasmPreview { inner: Some(PreviewBuilder::new(max_rows, None)) }
    }

    /// Feeds the next chunk (any size, split anywhere).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        let inner = self
            .inner
            .as_mut()
            .ok_or_else(|| js_error(Error::new(ErrorCode::EngineMisuse, "this preview has already finished")))?;
        inner.push(chunk).map_err(js_error)
    }

    /// `wholeFile`: false when only the start of the file was pushed, so
    /// the last record may be cut short and is dropped.
    #[wasm_bindgen(unchecked_return_type = "PreviewResult")]
    pub fn finish(&mut self, whole_file: bool) -> Result<JsValue, JsValue> {
        let inner = self
            .inner
            .take()
            .ok_or_else(|| js_error(Error::new(ErrorCode::EngineMisuse, "this preview has already finished")))?;
        let preview = if whole_file { inner.finish() } else { inner.finish_truncated() };
        to_js(&preview.map_err(js_error)?)
    }
}

/// Incremental SHA-256 of a file, for the record's fingerprint.
#[wasm_bindgen(js_name = Hasher)]
pub struct WasmHasher {
    inner: sha2::Sha256,
}

#[wasm_bindgen(js_class = Hasher)]
impl WasmHasher {
    /// A hasher with nothing fed yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmHasher {
        use sha2::Digest;
        WasmHasher { inner: sha2::Sha256::new() }
    }

    /// Feeds the next chunk of the file.
    pub fn update(&mut self, chunk: &[u8]) {
        use sha2::Digest;
        self.inner.update(chunk);
    }

    /// The digest as lower-case hex; the hasher starts again afterwards.
    pub fn finish(&mut self) -> String {
        use sha2::Digest;
        crate::audit::hex(&self.inner.finalize_reset())
    }
}

impl Default for WasmHasher {
    fn default() -> Self {
        Self::new()
    }
}

/// The report at any threshold on the score (`score ≥ t` selected), for a
/// slider: built once from an audit's tallies, then each threshold is a
/// binary search per group and one attribute's report, verdicts included.
#[wasm_bindgen(js_name = ThresholdExplorer)]
pub struct WasmThresholdExplorer {
    inner: crate::report::explore::ThresholdExplorer,
}

#[wasm_bindgen(js_class = ThresholdExplorer)]
impl WasmThresholdExplorer {
    /// `config`: the audit's (with a `score`); `tallies`: its JSON tallies
    /// (from `finishPart` or `sheetTallies`), merged here; `attribute`: the
    /// attribute's index in the report (group columns, then intersections).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "AuditConfig")] config: JsValue,
        tallies: Vec<String>,
        attribute: usize,
    ) -> Result<WasmThresholdExplorer, JsValue> {
        let config = config_from(config)?;
        let merged = merged_tallies(&tallies)?;
        let inner = crate::report::explore::ThresholdExplorer::new(&config, &merged, attribute).map_err(js_error)?;
        Ok(WasmThresholdExplorer { inner })
    }

    /// The scores' range and the system's own threshold, for a slider.
    #[wasm_bindgen(unchecked_return_type = "ScoreRange")]
    pub fn range(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.range())
    }

    /// `[{ group, tp, fp, tn, fn, selected }]` at this threshold.
    #[wasm_bindgen(unchecked_return_type = "GroupAtThreshold[]")]
    pub fn at(&self, threshold: f64) -> Result<JsValue, JsValue> {
        let one = crate::report::explore::Thresholds::One(threshold);
        let rows: Vec<GroupAtThreshold<'_>> = self
            .inner
            .counts(&one)
            .into_iter()
            .map(|(group, confusion)| GroupAtThreshold { group, confusion })
            .collect();
        to_js(&rows)
    }

    /// The what-if strategies at the audit's cost ratio: one threshold at the
    /// lowest cost, and per-group thresholds for each criterion with the
    /// smallest gap or, given `tolerance` (a rate, 0 to 1), a gap at most that.
    #[wasm_bindgen(unchecked_return_type = "Strategies")]
    pub fn strategies(&self, tolerance: Option<f64>) -> Result<JsValue, JsValue> {
        to_js(&self.inner.strategies(tolerance))
    }

    /// The report of an audit whose decision is `score ≥ t`: `thresholds` is
    /// one number, or `{ default, groups: { name: t } }` for one per group.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Thresholds")] thresholds: JsValue,
    ) -> Result<JsValue, JsValue> {
        let thresholds: crate::report::explore::Thresholds =
            serde_wasm_bindgen::from_value(thresholds).map_err(|e| {
                js_error(Error::new(
                    ErrorCode::EngineMisuse,
                    format!("the thresholds must be a number or {{ default, groups }}: {e}"),
                ))
            })?;
        to_js(&self.inner.report(&thresholds).map_err(js_error)?)
    }
}
