//! JSON Schemas generated from the Rust types, so the config and the report
//! are defined once: here they become `docs/schema/*.schema.json` and, through
//! them, the TypeScript types of `pkg/` (`scripts/generate-types`).
//!
//! The config is described as it may be *given* (every field with a default
//! is optional); the report as it is *produced*, where the config it holds has
//! every default filled in. Where the two shapes of one type differ, the
//! produced one is named `Resolved…` in the bundle.

use crate::config::AuditConfig;
use crate::preview::Preview;
use crate::report::Report;
use crate::scores::Confusion;
use crate::tally::TallySet;
use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde::Serialize;
use serde_json::{Map, Value};

/// What `Audit.finishPart()` returns in the WebAssembly API.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PartResult {
    /// The part's tallies as JSON text (exact, for merging with `reportFromTallies`).
    pub tallies: String,
    /// Whether the part ended where a record ended (if not, the split was unsafe).
    pub ended_at_boundary: bool,
    /// Byte offset just past the last record the part read.
    pub last_record_end: f64,
}

/// One group's confusion counts at a threshold, from `ThresholdExplorer.at()`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GroupAtThreshold<'a> {
    /// The group's raw name.
    pub group: &'a str,
    /// The group's counts when rows with `score ≥ threshold` are selected.
    #[serde(flatten)]
    pub confusion: Confusion,
}

fn settings(contract: Contract) -> SchemaSettings {
    let mut s = SchemaSettings::draft2020_12();
    s.contract = contract;
    s
}

fn root<T: JsonSchema>(contract: Contract) -> Value {
    settings(contract).into_generator().into_root_schema_for::<T>().to_value()
}

/// The schema of a config as it may be given (CLI `--config`, wasm API).
pub fn config_schema() -> Value {
    root::<AuditConfig>(Contract::Deserialize)
}

/// The schema of the monitoring report (`biasaudit monitor --format json`).
pub fn monitor_schema() -> Value {
    sealed(root::<crate::report::monitor::MonitorReport>(Contract::Serialize))
}

/// The schema of the JSON report (CLI `--format json`, wasm `finish()`).
pub fn report_schema() -> Value {
    sealed(root::<Report>(Contract::Serialize))
}

/// What the engine produces has exactly the fields its types declare, so every
/// produced object schema says `additionalProperties: false`: a report with a
/// field the schema lacks fails validation. (serde's flatten is inlined by
/// schemars, so no object is split across `allOf`.)
fn seal(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(seal);
        }
        Value::Array(items) => items.iter_mut().for_each(seal),
        _ => {}
    }
}

fn sealed(mut value: Value) -> Value {
    seal(&mut value);
    value
}

/// One document with every type of the wasm API under `$defs`, and the roots
/// as properties, for generating TypeScript.
pub fn api_bundle() -> Value {
    let mut given = settings(Contract::Deserialize).into_generator();
    let config = given.subschema_for::<AuditConfig>();
    let rule = given.subschema_for::<crate::report::monitor::MonitorRule>();
    let thresholds = given.subschema_for::<crate::report::explore::Thresholds>();
    let given_defs = given.take_definitions(true);

    let mut made = settings(Contract::Serialize).into_generator();
    let roots: Vec<(&str, Schema)> = vec![
        ("report", made.subschema_for::<Report>()),
        ("tallies", made.subschema_for::<TallySet>()),
        ("part_result", made.subschema_for::<PartResult>()),
        ("preview", made.subschema_for::<Preview>()),
        ("group_at_threshold", made.subschema_for::<GroupAtThreshold<'static>>()),
        ("score_range", made.subschema_for::<crate::report::explore::ScoreRange>()),
        ("strategies", made.subschema_for::<crate::report::explore::Strategies>()),
        ("error", made.subschema_for::<crate::error::Error>()),
        ("config_options", made.subschema_for::<crate::config::ConfigOptions>()),
        ("monitor_report", made.subschema_for::<crate::report::monitor::MonitorReport>()),
        ("baseline_settings", made.subschema_for::<crate::report::monitor::BaselineSettings>()),
    ];
    let mut made_defs = made.take_definitions(true);
    made_defs.values_mut().for_each(seal);

    // A produced type whose shape differs from the given one is renamed.
    let renamed: Vec<String> = made_defs
        .iter()
        .filter(|(name, schema)| given_defs.get(*name).is_some_and(|g| g != *schema))
        .map(|(name, _)| name.clone())
        .collect();
    let mut defs = given_defs.clone();
    for (name, schema) in &made_defs {
        let name = if renamed.contains(name) { format!("Resolved{name}") } else { name.clone() };
        defs.insert(name, rename_refs(schema.clone(), &renamed));
    }
    let mut properties = Map::new();
    properties.insert("config".into(), config.to_value());
    properties.insert("monitor_rule".into(), rule.to_value());
    properties.insert("thresholds".into(), thresholds.to_value());
    for (name, schema) in roots {
        properties.insert(name.into(), rename_refs(sealed(schema.to_value()), &renamed));
    }
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "BiasauditApi",
        "type": "object",
        "properties": properties,
        "$defs": defs,
    })
}

/// Points `$ref`s at renamed definitions (`#/$defs/X` → `#/$defs/ResolvedX`).
fn rename_refs(mut value: Value, renamed: &[String]) -> Value {
    fn walk(v: &mut Value, renamed: &[String]) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k == "$ref" {
                        if let Value::String(target) = child {
                            if let Some(name) = target.strip_prefix("#/$defs/") {
                                if renamed.iter().any(|r| r == name) {
                                    *target = format!("#/$defs/Resolved{name}");
                                }
                            }
                        }
                    } else {
                        walk(child, renamed);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|c| walk(c, renamed)),
            _ => {}
        }
    }
    walk(&mut value, renamed);
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_types_do_not_collide_with_existing_names() {
        let bundle = api_bundle();
        let defs = bundle["$defs"].as_object().expect("$defs");
        // Resolved… names come from the renaming; each must point at a produced
        // shape, and the given config must still be there under its own name.
        for name in ["AuditConfig", "ResolvedAuditConfig", "Report", "TallySet", "PartResult", "PreviewResult"] {
            assert!(defs.contains_key(name), "{name} is in the bundle");
        }
        assert_ne!(defs["AuditConfig"], defs["ResolvedAuditConfig"]);
        // The given config has optional fields; the resolved one requires them.
        let required = |name: &str| defs[name]["required"].as_array().map_or(0, Vec::len);
        assert!(required("ResolvedAuditConfig") > required("AuditConfig"));
    }

    #[test]
    fn produced_objects_are_sealed_given_ones_deny_unknown_fields() {
        let report = report_schema();
        assert_eq!(report["additionalProperties"], Value::Bool(false));
        assert_eq!(report["$defs"]["GroupReport"]["additionalProperties"], Value::Bool(false));
        assert_eq!(config_schema()["additionalProperties"], Value::Bool(false));
    }
}
