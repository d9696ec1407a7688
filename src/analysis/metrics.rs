//! Tallies → metrics. Every rate is a fraction of two counts, defined once
//! here; per-group values, differences, ratios and (later) intervals are all
//! derived from these definitions rather than written per combination.

use crate::tally::Counts;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// Why every label-based metric is null when there is no label column. Said
/// once in the report's notes rather than beside every such metric.
pub const NO_LABEL: &str = "no true-outcome (label) column was given";

/// The rates we report, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rate {
    /// The group's share of the population's rows: `n / population n`.
    Share,
    /// The share of the group given the positive decision: `selected / n`.
    SelectionRate,
    /// The share of the group whose true outcome (label) is positive:
    /// `(tp + fn) / n`.
    BaseRate,
    /// True positive rate: `tp / (tp + fn)`.
    Tpr,
    /// False positive rate: `fp / (fp + tn)`.
    Fpr,
    /// False negative rate: `fn / (tp + fn)`.
    Fnr,
    /// True negative rate: `tn / (fp + tn)`.
    Tnr,
    /// Positive predictive value (precision): `tp / (tp + fp)`.
    Ppv,
    /// Negative predictive value: `tn / (tn + fn)`.
    Npv,
    /// False discovery rate: `fp / (tp + fp)`.
    Fdr,
    /// False omission rate: `fn / (tn + fn)`.
    For,
    /// `(tp + tn) / n`.
    Accuracy,
    /// The group's share of all positive decisions in the population:
    /// `selected / population selected`.
    Ppr,
}

impl Rate {
    /// Every rate, in report order.
    pub const ALL: [Rate; 13] = [
        Rate::Share,
        Rate::SelectionRate,
        Rate::BaseRate,
        Rate::Tpr,
        Rate::Fpr,
        Rate::Fnr,
        Rate::Tnr,
        Rate::Ppv,
        Rate::Npv,
        Rate::Fdr,
        Rate::For,
        Rate::Accuracy,
        Rate::Ppr,
    ];

    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            Rate::Share => "share",
            Rate::SelectionRate => "selection_rate",
            Rate::BaseRate => "base_rate",
            Rate::Tpr => "tpr",
            Rate::Fpr => "fpr",
            Rate::Fnr => "fnr",
            Rate::Tnr => "tnr",
            Rate::Ppv => "ppv",
            Rate::Npv => "npv",
            Rate::Fdr => "fdr",
            Rate::For => "for",
            Rate::Accuracy => "accuracy",
            Rate::Ppr => "ppr",
        }
    }

    /// A plain-English name for reports.
    pub fn title(self) -> &'static str {
        match self {
            Rate::Share => "share of rows",
            Rate::SelectionRate => "selection rate",
            Rate::BaseRate => "base rate (actual positives)",
            Rate::Tpr => "true positive rate",
            Rate::Fpr => "false positive rate",
            Rate::Fnr => "false negative rate",
            Rate::Tnr => "true negative rate",
            Rate::Ppv => "positive predictive value",
            Rate::Npv => "negative predictive value",
            Rate::Fdr => "false discovery rate",
            Rate::For => "false omission rate",
            Rate::Accuracy => "accuracy",
            Rate::Ppr => "share of all positive decisions",
        }
    }

    /// Whether the rate needs the true outcome (a label column).
    pub fn needs_label(self) -> bool {
        !matches!(self, Rate::Share | Rate::SelectionRate | Rate::Ppr)
    }

    /// Numerator and denominator for a group, given the population totals,
    /// with what the denominator counts (for "undefined because …").
    pub fn fraction<T: Copy + std::ops::Add<Output = T>>(
        self,
        g: &Counts<T>,
        population: &Counts<T>,
    ) -> (T, T, &'static str) {
        match self {
            Rate::Share => (g.n, population.n, "rows in the population"),
            Rate::SelectionRate => (g.selected, g.n, "rows"),
            Rate::BaseRate => (g.tp + g.fn_, g.n, "rows"),
            Rate::Tpr => (g.tp, g.tp + g.fn_, "actual positives (tp + fn)"),
            Rate::Fpr => (g.fp, g.fp + g.tn, "actual negatives (fp + tn)"),
            Rate::Fnr => (g.fn_, g.tp + g.fn_, "actual positives (tp + fn)"),
            Rate::Tnr => (g.tn, g.fp + g.tn, "actual negatives (fp + tn)"),
            Rate::Ppv => (g.tp, g.tp + g.fp, "positive decisions (tp + fp)"),
            Rate::Npv => (g.tn, g.tn + g.fn_, "negative decisions (tn + fn)"),
            Rate::Fdr => (g.fp, g.tp + g.fp, "positive decisions (tp + fp)"),
            Rate::For => (g.fn_, g.tn + g.fn_, "negative decisions (tn + fn)"),
            Rate::Accuracy => (g.tp + g.tn, g.n, "rows"),
            Rate::Ppr => (g.selected, population.selected, "positive decisions in the population"),
        }
    }

    /// The rate's value, or why it has none.
    pub fn value(self, g: &Counts<f64>, population: &Counts<f64>, labelled: bool) -> Value {
        if self.needs_label() && !labelled {
            return Value::Undefined(NO_LABEL.into());
        }
        let (num, den, what) = self.fraction(g, population);
        if den > 0.0 {
            Value::Defined(num / den)
        } else {
            Value::Undefined(format!("there are no {what} to divide by"))
        }
    }
}

/// A figure or the reason it cannot be computed. JSON: a number, or
/// `{"undefined": reason}` (see [`crate::analysis::undefined`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// The figure.
    Defined(f64),
    /// Why there is no figure, in plain English.
    Undefined(String),
}

impl Value {
    /// The figure, if there is one.
    pub fn get(&self) -> Option<f64> {
        match self {
            Value::Defined(v) => Some(*v),
            Value::Undefined(_) => None,
        }
    }

    /// Why there is no figure, if there is none.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Value::Defined(_) => None,
            Value::Undefined(r) => Some(r),
        }
    }

    /// A figure, or `why` when there is none.
    pub fn from_option(value: Option<f64>, why: impl FnOnce() -> String) -> Value {
        value.map_or_else(|| Value::Undefined(why()), Value::Defined)
    }

    /// A finite quotient or the reason there is none.
    pub fn ratio(num: f64, den: f64, den_is_zero: impl FnOnce() -> String) -> Value {
        if den != 0.0 && (num / den).is_finite() {
            Value::Defined(num / den)
        } else {
            Value::Undefined(den_is_zero())
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Defined(v) => s.serialize_f64(*v),
            Value::Undefined(why) => crate::analysis::undefined::serialize_reason(why, s),
        }
    }
}

/// An ordered list of named values, serialised as a JSON object in that order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ValueMap(pub Vec<(&'static str, Value)>);

impl ValueMap {
    /// The value under `key`, if there is one.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

impl schemars::JsonSchema for Value {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Value".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let undefined = crate::analysis::undefined::schema(generator);
        schemars::json_schema!({
            "description": "A figure, or why it is not defined.",
            "anyOf": [{ "type": "number" }, undefined]
        })
    }
}

/// JSON Schema of an object with these keys, each a number or null: the
/// key sets come from [`Rate::ALL`], so the schema cannot drift from the code.
pub(crate) fn keyed_values_schema(
    generator: &mut schemars::SchemaGenerator,
    counts: bool,
    rates: impl Iterator<Item = Rate>,
) -> schemars::Schema {
    let value = serde_json::Value::from(generator.subschema_for::<Value>());
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    if counts {
        for key in ["n", "selected"] {
            properties.insert(key.into(), serde_json::json!({ "type": "number" }));
            required.push(key.to_string());
        }
    }
    for rate in rates {
        properties.insert(rate.key().into(), value.clone());
        required.push(rate.key().to_string());
    }
    schemars::json_schema!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    })
}

/// The schema of a group's `metrics`: `n`, `selected`, then every rate.
pub(crate) fn metrics_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    if !generator.definitions().contains_key("Metrics") {
        let schema = keyed_values_schema(generator, true, Rate::ALL.into_iter());
        generator.definitions_mut().insert("Metrics".into(), schema.to_value());
    }
    schemars::json_schema!({ "$ref": "#/$defs/Metrics" })
}

impl Serialize for ValueMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// All rates for one group.
pub fn rates(g: &Counts<f64>, population: &Counts<f64>, labelled: bool) -> ValueMap {
    ValueMap(Rate::ALL.iter().map(|&r| (r.key(), r.value(g, population, labelled))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(tp: f64, fp: f64, tn: f64, fn_: f64) -> Counts<f64> {
        Counts { n: tp + fp + tn + fn_, selected: tp + fp, tp, fp, tn, fn_ }
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("defined");
        assert!((a - b).abs() < 1e-15, "{a} != {b}");
    }

    #[test]
    fn hand_computed_rates() {
        // tp=3 fp=1 tn=4 fn=2 (n=10); population: n=40, selected=16.
        let g = counts(3.0, 1.0, 4.0, 2.0);
        let pop = Counts { n: 40.0, selected: 16.0, ..Default::default() };
        let m = rates(&g, &pop, true);
        let expect = [
            ("share", 10.0 / 40.0),
            ("selection_rate", 4.0 / 10.0),
            ("base_rate", 5.0 / 10.0),
            ("tpr", 3.0 / 5.0),
            ("fpr", 1.0 / 5.0),
            ("fnr", 2.0 / 5.0),
            ("tnr", 4.0 / 5.0),
            ("ppv", 3.0 / 4.0),
            ("npv", 4.0 / 6.0),
            ("fdr", 1.0 / 4.0),
            ("for", 2.0 / 6.0),
            ("accuracy", 7.0 / 10.0),
            ("ppr", 4.0 / 16.0),
        ];
        assert_eq!(m.0.len(), expect.len());
        for (key, want) in expect {
            close(m.get(key).and_then(Value::get), want);
        }
    }

    #[test]
    fn zero_denominators_are_null_with_reasons() {
        // Everyone is an actual negative and nobody was selected.
        let g = counts(0.0, 0.0, 5.0, 0.0);
        let pop = Counts { n: 5.0, selected: 0.0, ..Default::default() };
        let m = rates(&g, &pop, true);
        for key in ["tpr", "fnr", "ppv", "fdr", "ppr"] {
            let v = m.get(key).expect("key");
            assert_eq!(v.get(), None, "{key}");
            assert!(v.reason().is_some_and(|r| r.starts_with("there are no ")), "{key}");
        }
        close(m.get("fpr").and_then(Value::get), 0.0);
        close(m.get("npv").and_then(Value::get), 1.0);
        let json = serde_json::to_value(&m).expect("json");
        assert_eq!(
            json["tpr"],
            serde_json::json!({ "undefined": "there are no actual positives (tp + fn) to divide by" })
        );
        assert_eq!(json["fpr"], serde_json::json!(0.0));
    }

    #[test]
    fn label_rates_are_undefined_without_labels() {
        let g = Counts { n: 4.0, selected: 1.0, ..Default::default() };
        let m = rates(&g, &g, false);
        close(m.get("selection_rate").and_then(Value::get), 0.25);
        assert!(m.get("tpr").and_then(Value::reason).is_some_and(|r| r.contains("label")));
    }
}
