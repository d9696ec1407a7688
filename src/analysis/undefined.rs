//! "No value, because …": the one JSON encoding of a figure that cannot be
//! computed. Wherever a report has a figure or a result, it holds either the
//! value or `{"undefined": "<reason>"}`, so the reason travels with the
//! figure and a reader never meets a bare `null` without knowing why.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A result, or why there is none. JSON: the result, or `{"undefined": reason}`.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// The result.
    Value(T),
    /// Why there is no result: a complete sentence fit for a report.
    Undefined {
        /// The reason.
        undefined: String,
    },
}

impl<T> Outcome<T> {
    /// The result, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Outcome::Value(v) => Some(v),
            Outcome::Undefined { .. } => None,
        }
    }

    /// Why there is no result, if there is none.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Outcome::Value(_) => None,
            Outcome::Undefined { undefined } => Some(undefined),
        }
    }
}

impl<T: Serialize> Serialize for Outcome<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Outcome::Value(v) => v.serialize(s),
            Outcome::Undefined { undefined } => serialize_reason(undefined, s),
        }
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Outcome<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("{}OrUndefined", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let value = generator.subschema_for::<T>();
        schemars::json_schema!({ "anyOf": [value, schema(generator)] })
    }
}

/// Writes `{"undefined": reason}`.
pub(crate) fn serialize_reason<S: Serializer>(reason: &str, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(1))?;
    map.serialize_entry("undefined", reason)?;
    map.end()
}

/// The schema of `{"undefined": reason}`, defined once as `Undefined`.
pub(crate) fn schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    named_schema(generator, "Undefined", || {
        schemars::json_schema!({
            "description": "No value, because of the reason given: a complete sentence fit for a report.",
            "type": "object",
            "properties": { "undefined": { "type": "string" } },
            "required": ["undefined"],
            "additionalProperties": false
        })
    })
}

/// Registers `schema` under `name` in the generator's definitions and refers
/// to it, so that a shape used in several places is one named type.
pub(crate) fn named_schema(
    generator: &mut schemars::SchemaGenerator,
    name: &str,
    schema: impl FnOnce() -> schemars::Schema,
) -> schemars::Schema {
    if !generator.definitions().contains_key(name) {
        let value = schema().to_value();
        generator.definitions_mut().insert(name.to_string(), value);
    }
    schemars::json_schema!({ "$ref": format!("#/$defs/{name}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_or_its_reason() {
        let defined: Outcome<f64> = Outcome::Value(0.5);
        let undefined: Outcome<f64> = Outcome::Undefined { undefined: "the group has no rows".into() };
        assert_eq!(serde_json::to_string(&defined).unwrap(), "0.5");
        assert_eq!(serde_json::to_string(&undefined).unwrap(), r#"{"undefined":"the group has no rows"}"#);
        assert_eq!(undefined.reason(), Some("the group has no rows"));
        assert_eq!(defined.value(), Some(&0.5));
    }
}
