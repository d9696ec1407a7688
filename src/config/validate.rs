//! The rules a config must follow, checked before any data is read: every
//! problem with its code and the field it is in.

use super::{AuditConfig, Binning, CalibrationBins, OutcomeColumn, MAX_CALIBRATION_BINS, MAX_COST_RATIO};
use crate::error::{quoted, Error, ErrorCode, Result};
use crate::input::cells::{is_missing, parse_number, trim};

impl AuditConfig {
    /// Checks the config before any data is read: the first problem, if any.
    pub fn validate(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem with the config, each with its code and the field it is
    /// in, so a form can mark them all at once. Empty when the config is valid.
    pub fn problems(&self) -> Vec<Error> {
        let mut out = Vec::new();
        let mut problem = |code: ErrorCode, field: String, message: String| {
            out.push(Error::new(code, message).for_field(field));
        };
        if self.groups.is_empty() {
            problem(
                ErrorCode::ConfigMissing,
                "groups".into(),
                "name at least one protected-attribute (group) column".into(),
            );
        }
        for (i, g) in self.groups.iter().enumerate() {
            if self.groups[..i].contains(g) {
                problem(
                    ErrorCode::ConfigConflict,
                    format!("groups[{i}]"),
                    format!("group column {} is named twice", quoted(g)),
                );
            }
        }
        for (j, combo) in self.intersections.iter().enumerate() {
            if !(2..=3).contains(&combo.len()) {
                problem(
                    ErrorCode::ConfigOutOfRange,
                    format!("intersections[{j}]"),
                    format!("an intersection combines 2 or 3 columns, not {}", combo.len()),
                );
            }
            for (i, c) in combo.iter().enumerate() {
                if combo[..i].contains(c) {
                    problem(
                        ErrorCode::ConfigConflict,
                        format!("intersections[{j}][{i}]"),
                        format!("the intersection names column {} twice", quoted(c)),
                    );
                }
            }
        }
        // The same columns in another order are the same groups: count them once.
        for (j, combo) in self.intersections.iter().enumerate() {
            let mut sorted = combo.clone();
            sorted.sort();
            let earlier = self.intersections[..j].iter().position(|other| {
                let mut o = other.clone();
                o.sort();
                o == sorted
            });
            if let Some(k) = earlier {
                problem(
                    ErrorCode::ConfigConflict,
                    format!("intersections[{j}]"),
                    format!(
                        "the intersection {} combines the same columns as intersection {} ({}): give it once",
                        combo.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(" × "),
                        k + 1,
                        self.intersections[k].iter().map(|c| quoted(c)).collect::<Vec<_>>().join(" × ")
                    ),
                );
            }
        }
        // A column cannot be both what is compared and what is decided or weighed.
        let roles = [
            ("decision.column", "the decision column", Some(&self.decision.column)),
            ("label.column", "the label column", self.label.as_ref().map(|l| &l.column)),
            ("weight", "the weight column", self.weight.as_ref()),
            ("count", "the count column", self.count.as_ref()),
        ];
        for (field, role, column) in roles {
            let Some(column) = column else { continue };
            if self.attributes().iter().flatten().any(|c| c == column) {
                problem(
                    ErrorCode::ConfigConflict,
                    field.into(),
                    format!("{} cannot be both a group column and {role}", quoted(column)),
                );
            }
        }
        // A count column says how many cases a row stands for: it cannot also be a decision, outcome, weight, score or stratum.
        if let Some(count) = &self.count {
            let others = [
                Some(&self.decision.column),
                self.label.as_ref().map(|l| &l.column),
                self.weight.as_ref(),
                self.score.as_ref(),
                self.strata.as_ref(),
                self.period.as_ref().map(|p| &p.column),
            ];
            if others.into_iter().flatten().any(|c| c == count) {
                problem(
                    ErrorCode::ConfigConflict,
                    "count".into(),
                    format!("{} cannot be both the count column and another column of the audit", quoted(count)),
                );
            }
        }
        let attribute_keys: Vec<String> = self.attributes().iter().map(|a| a.join("|")).collect();
        for attribute in self.references.keys() {
            if !attribute_keys.contains(attribute) {
                problem(
                    ErrorCode::ConfigConflict,
                    format!("references.{attribute}"),
                    format!("a comparison group is given for {}, which is not an audited attribute", quoted(attribute)),
                );
            }
        }
        for (column, binning) in &self.bins {
            let field = format!("bins.{column}");
            if !self.attributes().iter().flatten().any(|c| c == column) {
                problem(
                    ErrorCode::ConfigConflict,
                    field.clone(),
                    format!(
                        "bins are given for {}, which is not a group column or part of an intersection",
                        quoted(column)
                    ),
                );
            }
            match binning {
                Binning::Edges(e)
                    if e.is_empty() || !e.windows(2).all(|w| w[0] < w[1]) || !e.iter().all(|x| x.is_finite()) =>
                {
                    problem(
                        ErrorCode::ConfigOutOfRange,
                        format!("{field}.edges"),
                        format!("the bin edges for {} must be finite numbers in increasing order", quoted(column)),
                    );
                }
                Binning::Quantiles(k) if !(2..=100).contains(k) => {
                    problem(
                        ErrorCode::ConfigOutOfRange,
                        format!("{field}.quantiles"),
                        format!("quantile bins for {} must number from 2 to 100", quoted(column)),
                    );
                }
                _ => {}
            }
        }
        self.decision.problems("decision", &mut problem);
        if let Some(label) = &self.label {
            label.problems("label", &mut problem);
        }
        let t = self.four_fifths_threshold;
        if !(t > 0.0 && t <= 1.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "four_fifths_threshold".into(),
                format!("the four-fifths threshold must be more than 0 and at most 1 (e.g. 0.8), got {t}"),
            );
        }
        let h = self.harm_ratio_threshold;
        if !(h.is_finite() && h > 1.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "harm_ratio_threshold".into(),
                format!("the harm-ratio threshold must be a number above 1 (e.g. 1.25), got {h}"),
            );
        }
        let f = self.practical_ratio;
        if !(f > 0.0 && f <= 1.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "practical_ratio".into(),
                format!("the practical floor must be more than 0 and at most 1 (e.g. 0.9), got {f}"),
            );
        }
        if let Some(d) = self.delimiter {
            if !d.is_ascii() || d == '"' || d == '\n' || d == '\r' {
                problem(
                    ErrorCode::ConfigOutOfRange,
                    "delimiter".into(),
                    format!(
                        "delimiter {} must be one ASCII character other than a quote or newline",
                        quoted(&d.to_string())
                    ),
                );
            }
        }
        let e = &self.evidence;
        if !(e.confidence > 0.5 && e.confidence < 1.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "evidence.confidence".into(),
                format!("the confidence level must be between 0.5 and 1 (e.g. 0.95), got {}", e.confidence),
            );
        }
        if !(e.power > 1.0 - e.confidence && e.power < 1.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "evidence.power".into(),
                format!(
                    "the power must be above the significance level ({}) and below 1 (e.g. 0.8), got {}",
                    1.0 - e.confidence,
                    e.power
                ),
            );
        }
        if let Some(s) = &self.strata {
            if self.groups.contains(s) {
                problem(
                    ErrorCode::ConfigConflict,
                    "strata".into(),
                    format!("{} cannot be both a group column and the strata column", quoted(s)),
                );
            }
        }
        if let Some(period) = &self.period {
            if period.column.is_empty() {
                problem(ErrorCode::ConfigMissing, "period.column".into(), "name the period column".into());
            }
            let others = [
                ("a group column", self.attributes().iter().flatten().any(|c| c == &period.column)),
                ("the decision column", self.decision.column == period.column),
                ("the label column", self.label.as_ref().is_some_and(|l| l.column == period.column)),
                ("the weight column", self.weight.as_ref() == Some(&period.column)),
                ("the score column", self.score.as_ref() == Some(&period.column)),
            ];
            for (role, clash) in others {
                if clash {
                    problem(
                        ErrorCode::ConfigConflict,
                        "period.column".into(),
                        format!("{} cannot be both the period column and {role}", quoted(&period.column)),
                    );
                }
            }
            if period.baseline.as_ref().is_some_and(|b| b.trim().is_empty()) {
                problem(
                    ErrorCode::ConfigMissing,
                    "period.baseline".into(),
                    "name the baseline period (e.g. 2025-01), or leave it out to compare with the first period".into(),
                );
            }
        }
        let (CalibrationBins::Uniform(k) | CalibrationBins::Quantile(k)) = self.calibration;
        if !(1..=MAX_CALIBRATION_BINS).contains(&k) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "calibration".into(),
                format!("the number of calibration bins must be from 1 to {}", MAX_CALIBRATION_BINS),
            );
        }
        if !(self.cost_ratio.is_finite() && (0.0..=MAX_COST_RATIO).contains(&self.cost_ratio)) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "cost_ratio".into(),
                "the cost ratio must be 0 or more (e.g. 1: a false positive costs as much as a false negative)".into(),
            );
        }
        if self.what_if_tolerance.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "what_if_tolerance".into(),
                "the gap allowed between the groups' rates must be a rate from 0 to 1 (e.g. 0.02 for 2 points)".into(),
            );
        }
        if !self.entropy_alpha.is_finite() {
            problem(
                ErrorCode::ConfigOutOfRange,
                "entropy_alpha".into(),
                "the generalized entropy α must be a finite number".into(),
            );
        }
        if !(self.edf_concentration.is_finite() && self.edf_concentration >= 0.0) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "edf_concentration".into(),
                "the differential fairness concentration must be 0 or more".into(),
            );
        }
        if self.max_groups == 0 {
            problem(ErrorCode::ConfigOutOfRange, "max_groups".into(), "max_groups must be at least 1".into());
        }
        if !(1..=crate::input::sheet::MAX_SHEET_ROW).contains(&self.header_row) {
            problem(
                ErrorCode::ConfigOutOfRange,
                "header_row".into(),
                format!(
                    "the header row must be from 1 to {}, the rows a sheet can have",
                    crate::input::sheet::MAX_SHEET_ROW
                ),
            );
        }
        if self.sheet.as_ref().is_some_and(|s| s.trim().is_empty()) {
            problem(
                ErrorCode::ConfigInvalid,
                "sheet".into(),
                "the sheet's name is empty: name it, or leave it out for the first sheet".into(),
            );
        }
        out
    }
}

impl OutcomeColumn {
    fn problems(&self, role: &str, problem: &mut impl FnMut(ErrorCode, String, String)) {
        if self.column.is_empty() {
            problem(ErrorCode::ConfigMissing, format!("{role}.column"), format!("name the {role} column"));
        }
        match (self.positive.is_empty(), self.threshold) {
            (true, None) => problem(
                ErrorCode::ConfigMissing,
                format!("{role}.positive"),
                format!("say which {role} values are positive, or give a numeric threshold"),
            ),
            (false, Some(_)) => problem(
                ErrorCode::ConfigConflict,
                format!("{role}.threshold"),
                format!("give either positive values or a threshold for the {role} column, not both"),
            ),
            (_, Some(t)) if !t.is_finite() => problem(
                ErrorCode::ConfigOutOfRange,
                format!("{role}.threshold"),
                format!("the {role} threshold must be a finite number"),
            ),
            (_, Some(_)) if !self.negative.is_empty() || self.rest_negative => problem(
                ErrorCode::ConfigConflict,
                format!("{role}.negative"),
                format!(
                    "with a threshold every number below it is negative: do not also give negative values for the {role} column"
                ),
            ),
            _ => {
                for (i, p) in self.positive.iter().enumerate() {
                    if is_missing(p.as_bytes()) {
                        problem(
                            ErrorCode::ConfigConflict,
                            format!("{role}.positive[{i}]"),
                            format!("{} cannot be a positive {role} value: it means \"missing\"", quoted(p)),
                        );
                    }
                    let same = |n: &String| {
                        let (n, p) = (trim(n.as_bytes()), trim(p.as_bytes()));
                        n == p || parse_number(n).is_some_and(|v| parse_number(p) == Some(v))
                    };
                    if self.negative.iter().any(same) {
                        problem(
                            ErrorCode::ConfigConflict,
                            format!("{role}.positive[{i}]"),
                            format!("{} is listed as both positive and negative", quoted(p)),
                        );
                    }
                }
            }
        }
    }
}
