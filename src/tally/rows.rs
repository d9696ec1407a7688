//! Records → classified rows → tallies.
//!
//! The header is resolved once into column positions; each data record is
//! then read without allocating (group names are looked up by their bytes and
//! copied only the first time a group is seen).

use crate::config::AuditConfig;
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::ingest::{Record, RecordSink};
use crate::input::cells::{is_missing, parse_number, trim};
use crate::input::lookup::{CellIndex, FastHashMap as HashMap};
use crate::tally::names::MISSING_GROUP;
use crate::tally::outcome::{OutcomeRule, Reading};
use crate::tally::{
    weight_to_fixed, AttributeTally, Counts, Exclusion, GroupTally, TallySet, ValuesSeen, MAX_WEIGHT, OTHER_VALUES_KEPT,
};
use std::collections::BTreeMap;

/// Column positions resolved from the header.
#[derive(Debug, Clone)]
struct Plan {
    header: Vec<String>,
    /// Per attribute, the positions of its columns.
    groups: Vec<Vec<usize>>,
    decision: usize,
    label: Option<usize>,
    weight: Option<usize>,
    /// A frequency-count column: each row stands for that many cases.
    count: Option<usize>,
    strata: Option<usize>,
    period: Option<usize>,
    score: Option<usize>,
    /// With `publication` and more than one attribute: every group column,
    /// counted together for the joint disclosure check.
    joint: Option<Vec<usize>>,
}

/// Per-attribute group index: bytes of the group value → slot.
#[derive(Default)]
struct GroupIndex {
    slots: CellIndex<usize>,
    names: Vec<String>,
    /// For a combination of columns (an intersection): each column's values
    /// numbered, so that a row's group is found from its numbers without
    /// building its name.
    parts: Vec<Values>,
    combinations: HashMap<Box<[usize]>, usize>,
    /// The numbers of the row being read (reused, not allocated per row).
    key: Vec<usize>,
    tallies: Vec<GroupTally>,
    /// (group slot, stratum slot) → tally, with a strata column.
    by_stratum: HashMap<(usize, usize), GroupTally>,
    /// (group slot, period slot) → tally, with a period column.
    by_period: HashMap<(usize, usize), GroupTally>,
    /// Per group slot, with a score column.
    scores: Vec<crate::tally::histogram::ScoreHistogram>,
}

/// Slots for the values of a column (strata, or one part of a combination).
#[derive(Default)]
struct Values {
    slots: CellIndex<usize>,
    names: Vec<String>,
}

/// Most periods one audit reports (50 years of months): beyond this the
/// column is refused, not summarised.
pub const MAX_PERIODS: usize = 600;

/// Distinct raw cells of the period column remembered with their period
/// (dates repeat; date-times with seconds rarely do).
const PERIOD_MEMO_LIMIT: usize = 4096;

/// The periods of a period column: each raw cell read once into its period.
struct Periods {
    unit: crate::config::PeriodUnit,
    order: crate::config::DateOrder,
    memo: CellIndex<usize>,
    slots: std::collections::HashMap<String, usize>,
    names: Vec<String>,
}

impl Periods {
    fn new(period: &crate::config::PeriodColumn) -> Self {
        Periods {
            unit: period.unit,
            order: period.date_order,
            memo: CellIndex::default(),
            slots: Default::default(),
            names: Vec::new(),
        }
    }

    /// The period slot of a raw cell, adding the period if new.
    fn slot(&mut self, raw: &[u8]) -> std::result::Result<usize, (ErrorCode, String)> {
        if let Some(slot) = self.memo.get(raw) {
            return Ok(slot);
        }
        let cell = trim(raw);
        let name = if is_missing(cell) {
            MISSING_GROUP.to_string()
        } else if self.unit == crate::config::PeriodUnit::AsGiven {
            std::str::from_utf8(cell)
                .map_err(|_| {
                    (ErrorCode::InputNotUtf8, "this value is not valid UTF-8 text; save the file as UTF-8".to_string())
                })?
                .to_string()
        } else {
            crate::input::dates::parse_date(cell, self.order)
                .map_err(|why| (ErrorCode::DataNotADate, why))?
                .period(self.unit)
        };
        let slot = match self.slots.get(&name) {
            Some(&slot) => slot,
            None => {
                if self.names.len() >= MAX_PERIODS {
                    return Err((ErrorCode::DataTooManyGroups, format!(
                        "the period column gives more than {MAX_PERIODS} periods; choose a longer period (quarter or year), or take fewer years"
                    )));
                }
                self.slots.insert(name.clone(), self.names.len());
                self.names.push(name);
                self.names.len() - 1
            }
        };
        if self.memo.len() < PERIOD_MEMO_LIMIT {
            self.memo.insert(raw, slot);
        }
        Ok(slot)
    }
}

/// Most combinations of all the group columns counted for the publication
/// view's joint check; beyond this it is refused, not guessed.
pub const JOINT_LIMIT: usize = 20_000;

/// The group columns counted together for the publication view: every
/// column of every attribute, in order of first use, when there is more
/// than one attribute.
pub fn joint_columns(config: &AuditConfig) -> Option<Vec<String>> {
    let attributes = config.attributes();
    if !config.publication || attributes.len() < 2 {
        return None;
    }
    let mut columns: Vec<String> = Vec::new();
    for c in attributes.into_iter().flatten() {
        if !columns.contains(&c) {
            columns.push(c);
        }
    }
    Some(columns)
}

/// Distinct values of an outcome column remembered with how they read.
const OUTCOME_MEMO_LIMIT: usize = 64;

/// An [`OutcomeRule`] that remembers how each distinct cell read: decision
/// and label columns hold a few values repeated on every row.
struct OutcomeReader {
    rule: OutcomeRule,
    /// `None` for a threshold rule, whose cells are numbers that rarely repeat.
    memo: Option<CellIndex<Reading>>,
    /// Which positive values occurred, and some other values (a value rule only).
    seen: Option<ValuesSeen>,
}

impl OutcomeReader {
    fn new(column: &crate::config::OutcomeColumn) -> Self {
        let values = column.threshold.is_none();
        OutcomeReader {
            rule: OutcomeRule::new(column),
            memo: values.then(CellIndex::default),
            seen: values
                .then(|| ValuesSeen { positive_seen: vec![false; column.positive.len()], ..Default::default() }),
        }
    }

    #[inline]
    fn read(&mut self, raw: &[u8]) -> Reading {
        let Some(memo) = &mut self.memo else { return self.rule.read(raw) };
        if let Some(reading) = memo.get(raw) {
            return reading;
        }
        let reading = self.rule.read(raw);
        if memo.len() < OUTCOME_MEMO_LIMIT {
            memo.insert(raw, reading);
        }
        // A value not in the memo: note what it was (once per distinct value while the memo has room).
        if let Some(seen) = &mut self.seen {
            match (reading, self.rule.positive_index(raw)) {
                (Reading::Positive, Some(i)) => {
                    if let Some(flag) = seen.positive_seen.get_mut(i) {
                        *flag = true;
                    }
                }
                (Reading::Missing, _) => {}
                _ => {
                    // The smallest values kept, as the merge keeps them.
                    let value = trim(raw);
                    let smaller = seen.others.len() < OTHER_VALUES_KEPT
                        || seen.others.last().is_some_and(|last| value < last.as_bytes());
                    if smaller {
                        seen.others.insert(String::from_utf8_lossy(value).into_owned());
                        if seen.others.len() > OTHER_VALUES_KEPT {
                            seen.others.pop_last();
                        }
                    }
                }
            }
        }
        reading
    }
}

/// Counts rows into tallies; a [`RecordSink`] for [`crate::ingest::CsvStream`].
pub struct Tallier {
    config: AuditConfig,
    decision_rule: OutcomeReader,
    label_rule: Option<OutcomeReader>,
    plan: Option<Plan>,
    indexes: Vec<GroupIndex>,
    strata: Values,
    periods: Option<Periods>,
    /// The combinations of all group columns; `None` when not wanted or when
    /// there were more than [`JOINT_LIMIT`].
    joint: Option<GroupIndex>,
    rows_read: u64,
    excluded: BTreeMap<Exclusion, u64>,
}

impl Tallier {
    /// A tallier for `config`, which is validated first.
    pub fn new(config: AuditConfig) -> Result<Self> {
        config.validate()?;
        Ok(Tallier {
            decision_rule: OutcomeReader::new(&config.decision),
            label_rule: config.label.as_ref().map(OutcomeReader::new),
            indexes: config.attributes().iter().map(|_| GroupIndex::default()).collect(),
            joint: joint_columns(&config).map(|_| GroupIndex::default()),
            periods: config.period.as_ref().map(Periods::new),
            config,
            plan: None,
            strata: Values::default(),
            rows_read: 0,
            excluded: BTreeMap::new(),
        })
    }

    /// Header names, once the header has been read.
    pub fn header(&self) -> Option<&[String]> {
        self.plan.as_ref().map(|p| p.header.as_slice())
    }

    /// Data rows read so far (the header not counted), excluded rows included.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// The tallies so far. Fails if the input had no header.
    /// The score histograms are moved out (compacted), so call this once, at the end.
    pub fn take_tallies(&mut self) -> Result<TallySet> {
        if self.plan.is_none() {
            return Err(Error::new(
                ErrorCode::InputEmpty,
                "the file is empty: expected a header row naming the columns",
            ));
        }
        let has_scores = self.plan.as_ref().is_some_and(|p| p.score.is_some());
        let attributes = self
            .config
            .attributes()
            .into_iter()
            .zip(&mut self.indexes)
            .map(|(columns, index)| {
                let mut strata: std::collections::BTreeMap<String, std::collections::BTreeMap<String, GroupTally>> =
                    Default::default();
                for (&(group, stratum), tally) in &index.by_stratum {
                    strata
                        .entry(self.strata.names[stratum].clone())
                        .or_default()
                        .insert(index.names[group].clone(), *tally);
                }
                let mut periods: BTreeMap<String, BTreeMap<String, GroupTally>> = BTreeMap::new();
                if let Some(p) = &self.periods {
                    for (&(group, period), tally) in &index.by_period {
                        periods.entry(p.names[period].clone()).or_default().insert(index.names[group].clone(), *tally);
                    }
                }
                let scores = if has_scores {
                    let mut taken = std::mem::take(&mut index.scores);
                    for histogram in &mut taken {
                        histogram.compact().map_err(|e| Error::new(ErrorCode::EngineOutOfMemory, e.to_string()))?;
                    }
                    index.names.iter().cloned().zip(taken).collect()
                } else {
                    Default::default()
                };
                Ok(AttributeTally {
                    column: columns.join("|"),
                    columns,
                    scores,
                    groups: index.names.iter().cloned().zip(index.tallies.iter().copied()).collect(),
                    strata,
                    periods,
                })
            })
            .collect::<Result<_>>()?;
        let joint = match (joint_columns(&self.config), &self.joint) {
            (Some(columns), Some(index)) => Some(AttributeTally {
                column: columns.join("|"),
                columns,
                groups: index.names.iter().cloned().zip(index.tallies.iter().copied()).collect(),
                ..Default::default()
            }),
            _ => None,
        };
        let joint_overflow = joint_columns(&self.config).is_some() && joint.is_none();
        Ok(TallySet {
            rows_read: self.rows_read,
            excluded: self.excluded.clone(),
            attributes,
            joint,
            joint_overflow,
            decision_values: self.decision_rule.seen.clone().unwrap_or_default(),
            label_values: self.label_rule.as_ref().and_then(|r| r.seen.clone()),
        })
    }

    fn resolve_header(&self, record: &Record<'_>) -> Result<Plan> {
        let mut header = Vec::with_capacity(record.len());
        for i in 0..record.len() {
            let raw = record.get(i).unwrap_or_default();
            let name = std::str::from_utf8(raw).map_err(|_| {
                Error::new(
                    ErrorCode::InputNotUtf8,
                    format!("the name of column {} is not valid UTF-8 text; save the file as UTF-8", i + 1),
                )
                .at_line(record.line)
            })?;
            header.push(String::from_utf8_lossy(trim(name.as_bytes())).into_owned());
        }
        // `field` is where the column is named in the config.
        let find = |name: &str, role: &str, field: String| -> Result<usize> {
            find_column(&header, name, role).map_err(|e| e.for_field(field))
        };
        let plain = self.config.groups.len();
        let groups = self
            .config
            .attributes()
            .iter()
            .enumerate()
            .map(|(k, columns)| {
                columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let field = if k < plain {
                            format!("groups[{k}]")
                        } else {
                            format!("intersections[{}][{i}]", k - plain)
                        };
                        find(c, "group", field)
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        let decision = find(&self.config.decision.column, "decision", "decision.column".into())?;
        let label = self.config.label.as_ref().map(|l| find(&l.column, "label", "label.column".into())).transpose()?;
        let weight = self.config.weight.as_ref().map(|w| find(w, "weight", "weight".into())).transpose()?;
        let count = self.config.count.as_ref().map(|c| find(c, "count", "count".into())).transpose()?;
        let strata = self.config.strata.as_ref().map(|s| find(s, "strata", "strata".into())).transpose()?;
        let score = self.config.score.as_ref().map(|s| find(s, "score", "score".into())).transpose()?;
        let period =
            self.config.period.as_ref().map(|p| find(&p.column, "period", "period.column".into())).transpose()?;
        let joint = joint_columns(&self.config)
            .map(|columns| columns.iter().map(|c| find(c, "group", "groups".into())).collect::<Result<Vec<_>>>())
            .transpose()?;
        Ok(Plan { header, groups, decision, label, weight, count, strata, period, score, joint })
    }
}

fn find_column(header: &[String], name: &str, role: &str) -> Result<usize> {
    let positions: Vec<usize> = header.iter().enumerate().filter(|(_, h)| h.as_str() == name).map(|(i, _)| i).collect();
    match positions.as_slice() {
        [one] => Ok(*one),
        [] => {
            let hint = header
                .iter()
                .find(|h| h.eq_ignore_ascii_case(name))
                .map(|h| format!(" (did you mean {}?)", quoted(h)))
                .unwrap_or_default();
            let listed: Vec<String> = header.iter().take(60).map(|h| quoted(h)).collect();
            Err(Error::new(ErrorCode::ConfigUnknownColumn, format!(
                "the {role} column {} is not in the header{hint}; the columns are: {}{}",
                quoted(name),
                listed.join(", "),
                if header.len() > 60 { ", …" } else { "" }
            ))
            .at_line(1))
        }
        many => Err(Error::new(ErrorCode::ConfigAmbiguousColumn, format!(
            "the {role} column {} appears {} times in the header (columns {}); rename the duplicates so the audit knows which to use",
            quoted(name),
            many.len(),
            many.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join(" and ")
        ))
        .at_line(1)),
    }
}

impl RecordSink for Tallier {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        let Some(plan) = &self.plan else {
            self.plan = Some(self.resolve_header(record)?);
            return Ok(());
        };
        let at = |column: usize, (code, message): (ErrorCode, String)| {
            Error::new(code, message)
                .at_line(record.line)
                .at_record(record.index)
                .in_column(plan.header[column].clone())
        };
        if record.len() != plan.header.len() {
            return Err(Error::new(
                ErrorCode::InputRaggedRow,
                format!(
                    "this row has {} fields but the header has {}; check for an unquoted delimiter or a missing field",
                    record.len(),
                    plan.header.len()
                ),
            )
            .at_line(record.line)
            .at_record(record.index));
        }
        // With a count column, a row stands for that many cases, and rows
        // read and left out are counted in cases: the audit of the rows
        // written out one per case, exactly. A row with a count of 0 stands
        // for no case, so it is not read further.
        let cell = |column: usize| record.get(column).unwrap_or_default();
        let cases = match plan.count {
            Some(column) => {
                let n = read_count(cell(column)).map_err(|why| at(column, why).for_field("count"))?;
                if n == 0 {
                    return Ok(());
                }
                n
            }
            None => 1,
        };
        if self.rows_read.saturating_add(cases) > MAX_CASES {
            let column = plan.count.unwrap_or(plan.decision);
            return Err(at(
                column,
                (
                    ErrorCode::DataNotANumber,
                    format!("the counts add up to more than {MAX_CASES} cases, more than one audit can count exactly"),
                ),
            )
            .for_field("count"));
        }
        self.rows_read += cases;

        let selected = match read_outcome(
            &mut self.decision_rule,
            cell(plan.decision),
            "decision",
            &self.config.decision.positive,
        ) {
            Ok(Some(v)) => v,
            Ok(None) => return self.exclude(Exclusion::DecisionMissing, cases),
            Err(why) => {
                return Err(at(plan.decision, why)
                    .for_field("decision")
                    .with_value(String::from_utf8_lossy(trim(cell(plan.decision)))))
            }
        };
        let label = match (&mut self.label_rule, plan.label) {
            (Some(rule), Some(column)) => match read_outcome(
                rule,
                cell(column),
                "label",
                self.config.label.as_ref().map_or(&[][..], |l| &l.positive),
            ) {
                Ok(Some(v)) => Some(v),
                Ok(None) => return self.exclude(Exclusion::LabelMissing, cases),
                Err(why) => {
                    return Err(at(column, why)
                        .for_field("label")
                        .with_value(String::from_utf8_lossy(trim(cell(column)))))
                }
            },
            _ => None,
        };
        let weight = match plan.weight {
            Some(column) => match read_weight(cell(column)) {
                Ok(Some(w)) => Some(w),
                Ok(None) => return self.exclude(Exclusion::WeightMissing, cases),
                Err(why) => return Err(at(column, why).for_field("weight")),
            },
            None => None,
        };

        let score =
            match plan.score {
                Some(column) => {
                    let raw = cell(column);
                    if is_missing(trim(raw)) {
                        None
                    } else {
                        Some(parse_number(trim(raw)).ok_or_else(|| {
                            at(column, not_a_number(raw, "scores must be numbers")).for_field("score")
                        })?)
                    }
                }
                None => None,
            };
        let max = self.config.max_groups;
        let stratum = match plan.strata {
            Some(column) => {
                let s = &mut self.strata;
                Some(slot_for(&mut s.slots, &mut s.names, cell(column), max, |why| {
                    at(column, why).for_field("strata")
                })?)
            }
            None => None,
        };
        let period = match (plan.period, self.periods.as_mut()) {
            (Some(column), Some(periods)) => Some(periods.slot(cell(column)).map_err(|why| {
                at(column, why).for_field("period").with_value(String::from_utf8_lossy(trim(cell(column))))
            })?),
            _ => None,
        };
        let fresh = || GroupTally {
            counts: Counts::default(),
            weighted: weight.map(|_| Counts::default()),
            weight_squares: weight.map(|_| 0),
        };
        for (k, columns) in plan.groups.iter().enumerate() {
            let index = &mut self.indexes[k];
            let slot = match columns.as_slice() {
                [column] => slot_for(&mut index.slots, &mut index.names, cell(*column), max, |why| at(*column, why))?,
                _ => combination_slot(index, columns, &cell, max, &at)?,
            };
            if slot == index.tallies.len() {
                index.tallies.push(fresh());
                if plan.score.is_some() {
                    index.scores.push(crate::tally::histogram::ScoreHistogram::new());
                }
            }
            if let (Some(s), Some(histogram)) = (score, index.scores.get_mut(slot)) {
                histogram.add_cases(s, label, cases).map_err(|e| {
                    let code = e.code_or(ErrorCode::DataNotANumber);
                    let error = Error::new(code, e.to_string()).at_line(record.line).at_record(record.index);
                    match plan.score {
                        Some(column) => error.in_column(plan.header[column].clone()).for_field("score"),
                        None => error,
                    }
                })?;
            }
            add_row(&mut index.tallies[slot], weight, cases, selected, label);
            if let Some(stratum) = stratum {
                add_row(index.by_stratum.entry((slot, stratum)).or_insert_with(fresh), weight, cases, selected, label);
            }
            if let Some(period) = period {
                add_row(index.by_period.entry((slot, period)).or_insert_with(fresh), weight, cases, selected, label);
            }
        }
        if let (Some(columns), Some(joint)) = (&plan.joint, self.joint.as_mut()) {
            match combination_slot(joint, columns, &cell, JOINT_LIMIT, &at) {
                Ok(slot) => {
                    if slot == joint.tallies.len() {
                        joint.tallies.push(GroupTally::default());
                    }
                    joint.tallies[slot].counts.add_row(cases, selected, label);
                }
                // Too many to check jointly: the publication view will say so.
                Err(_) => self.joint = None,
            }
        }
        Ok(())
    }
}

/// The slot of this row's combination of values in `columns`, adding it if
/// new (at most `max` combinations).
fn combination_slot<'r>(
    index: &mut GroupIndex,
    columns: &[usize],
    cell: &impl Fn(usize) -> &'r [u8],
    max: usize,
    at: &impl Fn(usize, (ErrorCode, String)) -> Error,
) -> Result<usize> {
    index.parts.resize_with(columns.len(), Values::default);
    index.key.clear();
    for (part, &column) in index.parts.iter_mut().zip(columns) {
        // Unbounded here: the combinations, checked below, bound the parts.
        let number = slot_for(&mut part.slots, &mut part.names, cell(column), usize::MAX, |why| at(column, why))?;
        index.key.push(number);
    }
    if let Some(&slot) = index.combinations.get(index.key.as_slice()) {
        return Ok(slot);
    }
    if index.names.len() >= max {
        return Err(at(columns[0], too_many_values(max)));
    }
    let parts = index.key.iter().zip(&index.parts).map(|(&n, part)| part.names[n].as_str());
    index.names.push(crate::tally::names::join_parts(parts));
    index.combinations.insert(index.key.as_slice().into(), index.names.len() - 1);
    Ok(index.names.len() - 1)
}

impl Tallier {
    /// Counts a row (the cases it stands for) left out, and moves on to the next.
    fn exclude(&mut self, why: Exclusion, cases: u64) -> Result<()> {
        *self.excluded.entry(why).or_insert(0) += cases;
        Ok(())
    }
}

/// Adds `cases` identical cases (one row, or a row of a counts table).
fn add_row(tally: &mut GroupTally, weight: Option<u128>, cases: u64, selected: bool, label: Option<bool>) {
    tally.counts.add_row(cases, selected, label);
    if let (Some(w), Some(weighted)) = (weight, tally.weighted.as_mut()) {
        // At most MAX_WEIGHT × 10⁹ × MAX_COUNT < 2¹²⁸: no overflow.
        weighted.add_row(w * u128::from(cases), selected, label);
        let squares = tally.weight_squares.get_or_insert(0);
        *squares = squares.saturating_add(crate::tally::weight_square(w).saturating_mul(u128::from(cases)));
    }
}

/// The most cases one row of a counts table may stand for.
pub const MAX_COUNT: u64 = 1_000_000_000_000;
/// The most cases one audit counts: counts stay exact as floating point.
pub const MAX_CASES: u64 = 1 << 53;

fn read_count(raw: &[u8]) -> std::result::Result<u64, (ErrorCode, String)> {
    let cell = trim(raw);
    if is_missing(cell) {
        return Err((
            ErrorCode::DataNotANumber,
            "the count is missing: every row of a counts table needs the number of cases it stands for (0 or more)"
                .into(),
        ));
    }
    let text = String::from_utf8_lossy(cell);
    let written: String = text.chars().take(40).collect();
    match parse_number(cell) {
        None => Err(not_a_number(raw, "counts must be whole numbers of cases (0 or more)")),
        Some(n) if n < 0.0 => Err((ErrorCode::DataNotANumber, format!("count {written} is negative: a count is a number of cases, 0 or more"))),
        Some(n) if n.fract() != 0.0 => Err((ErrorCode::DataNotANumber, format!("count {written} is not a whole number: a count is a number of cases (for fractions, use a weight column)"))),
        Some(n) if n > MAX_COUNT as f64 => Err((ErrorCode::DataNotANumber, format!("count {written} is more than {MAX_COUNT}, the most one row may stand for"))),
        // A whole number from 0 to MAX_COUNT: exact as u64.
        Some(n) => Ok(n as u64),
    }
}

/// The slot of a category value (a group or a stratum), adding it if new.
/// Missing values share the "(missing)" slot.
fn slot_for(
    slots: &mut CellIndex<usize>,
    names: &mut Vec<String>,
    raw: &[u8],
    max: usize,
    at: impl Fn((ErrorCode, String)) -> Error,
) -> Result<usize> {
    // Keys are trimmed names or "(missing)", so a raw cell equal to a key
    // needs neither trimming nor the missing-value check.
    if let Some(slot) = slots.get(raw) {
        return Ok(slot);
    }
    let value = trim(raw);
    let key: &[u8] = if is_missing(value) { MISSING_GROUP.as_bytes() } else { value };
    if let Some(slot) = slots.get(key) {
        return Ok(slot);
    }
    let name = std::str::from_utf8(key).map_err(|_| {
        at((ErrorCode::InputNotUtf8, "this value is not valid UTF-8 text; the file may be in a legacy encoding (Latin-1 or Windows-1252): save it as UTF-8".into()))
    })?;
    if names.len() >= max {
        return Err(at(too_many_values(max)));
    }
    slots.insert(key, names.len());
    names.push(name.to_string());
    Ok(names.len() - 1)
}

fn too_many_values(max: usize) -> (ErrorCode, String) {
    (ErrorCode::DataTooManyGroups, format!(
        "this column has more than {max} distinct values, so it looks like an identifier rather than a category; group it first (e.g. bin ages) or raise the limit"
    ))
}

/// `Ok(None)` for a missing cell; `Err` with the message for a bad one.
fn read_outcome(
    rule: &mut OutcomeReader,
    raw: &[u8],
    role: &str,
    positives: &[String],
) -> std::result::Result<Option<bool>, (ErrorCode, String)> {
    match rule.read(raw) {
        Reading::Positive => Ok(Some(true)),
        Reading::Negative => Ok(Some(false)),
        Reading::Missing => Ok(None),
        Reading::Unrecognised => {
            let value = String::from_utf8_lossy(trim(raw)).into_owned();
            Err((
                ErrorCode::DataUnexpectedValue,
                format!(
                    "value {} is neither positive ({}) nor a recognised negative: name the other {role} values that count as negative, or count every other value as negative",
                    quoted(&value),
                    positives.iter().map(|p| quoted(p)).collect::<Vec<_>>().join(", "),
                ),
            ))
        }
        Reading::NotNumeric => Err(not_a_number(raw, "a threshold is set, so this column must hold numbers")),
    }
}

fn read_weight(raw: &[u8]) -> std::result::Result<Option<u128>, (ErrorCode, String)> {
    let cell = trim(raw);
    if is_missing(cell) {
        return Ok(None);
    }
    let Some(w) = parse_number(cell) else {
        return Err(not_a_number(raw, "weights must be numbers"));
    };
    weight_to_fixed(w).map(Some).ok_or_else(|| {
        // As written (1e300, not its 301 digits), and short.
        let written: String = String::from_utf8_lossy(cell).chars().take(40).collect();
        (ErrorCode::DataNotANumber, format!("weight {written} is not supported: weights must be 0 or from 0.000000001 up to {MAX_WEIGHT:e} (kept to 9 decimal places), never negative"))
    })
}

fn not_a_number(raw: &[u8], context: &str) -> (ErrorCode, String) {
    let text = String::from_utf8_lossy(trim(raw)).into_owned();
    // "1,000" may be a thousand or one point nought: say both, guess neither.
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut parts = text.trim_start_matches(['-', '+']).split(',');
    let head = parts.next().unwrap_or_default();
    let grouped =
        text.contains(',') && (1..=3).contains(&head.len()) && digits(head) && parts.all(|p| p.len() == 3 && digits(p));
    let hint = if grouped {
        " (the comma could be a thousands separator or a decimal comma: write 1000 or 1.5, without commas)"
    } else if text.contains(',') && text.replacen(',', ".", 1).parse::<f64>().is_ok() {
        " (it looks like a decimal comma: use a point, e.g. 1.5)"
    } else {
        ""
    };
    (ErrorCode::DataNotANumber, format!("value {} is not a number{hint}; {context}", quoted(&text)))
}
