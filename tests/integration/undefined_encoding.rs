//! One encoding of "no value, because …" across the whole report: a figure
//! that cannot be computed is `{"undefined": reason}` where it would be.
//! Checked on a report full of undefined figures (empty groups, no
//! positives, no label, one class, a score, strata, intersections), and in
//! the schema, which must define the shape once and use nothing else.

use biasaudit::{audit_bytes, AuditConfig};
use serde_json::{json, Value as Json};

/// Every `{"undefined": …}` object in `x`, with its path; and every other
/// object key that names an undefined figure some other way.
fn walk(x: &Json, path: &str, undefined: &mut Vec<(String, Json)>, other: &mut Vec<String>) {
    match x {
        Json::Object(map) => {
            if map.contains_key("undefined") {
                undefined.push((path.to_string(), x.clone()));
            }
            for (k, v) in map {
                // `defined` (the old indices form), `x_undefined`, or a `value` with a `reason` beside it.
                if k == "defined" || k.ends_with("_undefined") || (k == "reason" && map.contains_key("value")) {
                    other.push(format!("{path}.{k}"));
                }
                walk(v, &format!("{path}.{k}"), undefined, other);
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{path}[{i}]"), undefined, other);
            }
        }
        _ => {}
    }
}

fn report(config: Json, csv: &str) -> Json {
    let config: AuditConfig = serde_json::from_value(config).expect("config");
    serde_json::to_value(audit_bytes(config, csv.as_bytes()).expect("report")).expect("json")
}

#[test]
fn every_undefined_figure_carries_its_reason_in_one_shape() {
    // B has no actual positives and nobody selected; C has one row; D is
    // only in stratum q; scores are 0..1 except one above 1 (Brier undefined).
    let csv = "g,h,d,y,s,site\n\
               A,x,1,1,0.9,p\nA,x,0,1,0.4,p\nA,y,1,0,0.7,q\nA,y,0,0,0.2,q\n\
               B,x,0,0,0.3,p\nB,y,0,0,0.1,q\nB,x,0,0,0.5,p\n\
               C,x,1,1,1.5,p\nD,y,1,1,0.8,q\n";
    let labelled = report(
        json!({"groups": ["g"], "intersections": [["g", "h"]],
               "decision": {"column": "d", "positive": ["1"]},
               "label": {"column": "y", "positive": ["1"]},
               "score": "s", "strata": "site", "evidence": {"min_group": 0}}),
        csv,
    );
    let unlabelled = report(
        json!({"groups": ["g"], "decision": {"column": "d", "positive": ["1"]}, "evidence": {"min_group": 0}}),
        csv,
    );
    let mut undefined = Vec::new();
    let mut other = Vec::new();
    walk(&labelled, "", &mut undefined, &mut other);
    walk(&unlabelled, "", &mut undefined, &mut other);
    assert!(other.is_empty(), "undefined written some other way: {other:?}");
    for (path, x) in &undefined {
        let map = x.as_object().expect("object");
        assert_eq!(map.len(), 1, "{path}: {x}");
        assert!(map["undefined"].as_str().is_some_and(|r| r.len() > 5), "{path}: {x}");
    }
    // The figures this file makes undefined, each in place with its reason.
    let find = |path: &str| undefined.iter().find(|(p, _)| p == path).map(|(_, x)| x["undefined"].clone());
    let group = |name: &str| {
        labelled["attributes"][0]["groups"].as_array().expect("groups").iter().position(|g| g["group"] == name)
    };
    let b = group("B").expect("B");
    assert_eq!(
        find(&format!(".attributes[0].groups[{b}].metrics.tpr")),
        Some(json!("there are no actual positives (tp + fn) to divide by"))
    );
    assert_eq!(
        find(&format!(".attributes[0].groups[{b}].metrics.ppv")).and_then(|r| r.as_str().map(str::to_string)),
        Some("there are no positive decisions (tp + fp) to divide by".into())
    );
    assert!(
        labelled["attributes"][0]["scores"]["groups"]
            .as_array()
            .expect("score groups")
            .iter()
            .any(|g| g["brier_score"]["undefined"].as_str().is_some_and(|r| r.contains("[0, 1]"))),
        "Brier score undefined for a score above 1"
    );
    let without_label = &unlabelled["attributes"][0]["groups"][0]["metrics"]["tpr"];
    assert_eq!(without_label, &json!({"undefined": "no true-outcome (label) column was given"}));
    // Many more: every kind of result can be undefined here.
    assert!(undefined.len() > 40, "only {} undefined figures", undefined.len());
}

#[test]
fn the_schema_defines_undefined_once_and_nothing_else_carries_a_reason() {
    let schema = biasaudit::schema::report_schema();
    let defs = schema["$defs"].as_object().expect("$defs");
    assert_eq!(
        defs["Undefined"],
        json!({
            "description": "No value, because of the reason given: a complete sentence fit for a report.",
            "type": "object",
            "properties": { "undefined": { "type": "string" } },
            "required": ["undefined"],
            "additionalProperties": false
        })
    );
    assert_eq!(defs["Value"]["anyOf"], json!([{ "type": "number" }, { "$ref": "#/$defs/Undefined" }]));
    // No other definition has a property named `undefined` or `defined`.
    for (name, def) in defs {
        if name == "Undefined" {
            continue;
        }
        let text = def.to_string();
        assert!(!text.contains("\"undefined\":{"), "{name} has its own `undefined`: {text}");
        assert!(!text.contains("\"defined\":"), "{name} has a `defined`: {text}");
    }
}
