//! JSON Schema (2020-12) generation for tool inputs and outputs.
//!
//! Schemas come from the Rust types through schemars, then get a cleanup pass so strict
//! clients accept them: every subschema inlined (no `$ref`/`$defs`), no `$schema` or `title`
//! noise, an object at the root, and `additionalProperties: false` on every object that lists
//! its properties (maps keep their value schema).

use mcp_protocol::types::StructuredContent;
use schemars::JsonSchema;
use schemars::generate::{Contract, SchemaSettings};
use serde_json::{Map, Value, json};

use crate::error::{Error, Result};

/// The object key non-object outputs are wrapped in, because MCP requires
/// `structuredContent` to be an object (before 2026-07-28).
pub const RESULT_FIELD: &str = "result";

/// The input schema of a type: what the tool accepts as `arguments`.
///
/// # Errors
/// [`Error::Schema`] when the type's schema is not an object (tool arguments always are).
pub fn input_schema_for<T: JsonSchema>(tool: &str) -> Result<Map<String, Value>> {
    let value = generate::<T>(Contract::Deserialize);
    let mut object = match value {
        Value::Object(o) => o,
        Value::Bool(true) => Map::new(),
        other => {
            return Err(schema_error(
                tool,
                format!("the input schema must be an object schema, got {other}"),
            ));
        }
    };
    match object.get("type") {
        None => {
            object.insert("type".into(), json!("object"));
        }
        Some(t) if t == "object" => {}
        Some(t) => {
            return Err(schema_error(
                tool,
                format!("the input schema must have type object, got {t}"),
            ));
        }
    }
    // The tool's description speaks for the arguments as a whole.
    object.remove("description");
    object
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    object
        .entry("additionalProperties")
        .or_insert(Value::Bool(false));
    Ok(object)
}

/// The output schema of a type, and whether values must be wrapped in
/// `{"result": value}` because the type does not serialize to an object.
pub fn output_schema_for<T: JsonSchema>() -> (Map<String, Value>, bool) {
    let value = generate::<T>(Contract::Serialize);
    wrap_output_schema(value)
}

/// Makes an object-rooted output schema from any schema; see [`output_schema_for`].
pub fn wrap_output_schema(value: Value) -> (Map<String, Value>, bool) {
    if let Value::Object(o) = &value
        && o.get("type").is_some_and(|t| t == "object")
    {
        return (o.clone(), false);
    }
    let mut properties = Map::new();
    properties.insert(RESULT_FIELD.into(), value);
    let mut wrapped = Map::new();
    wrapped.insert("type".into(), json!("object"));
    wrapped.insert("properties".into(), Value::Object(properties));
    wrapped.insert("required".into(), json!([RESULT_FIELD]));
    wrapped.insert("additionalProperties".into(), Value::Bool(false));
    (wrapped, true)
}

/// Wraps an output value the same way its schema was wrapped.
pub(crate) fn wrap_output(value: StructuredContent, wrapped: bool) -> Result<StructuredContent> {
    if wrapped {
        wrap_in_result(&value)
    } else {
        Ok(value)
    }
}

/// `{"result": value}`, written as text: serialized text is copied into the wrapper
/// without being parsed (and a tree is written out once, which its text block needs anyway).
pub(crate) fn wrap_in_result(value: &StructuredContent) -> Result<StructuredContent> {
    #[derive(serde::Serialize)]
    struct Wrapped<'a> {
        result: &'a StructuredContent,
    }
    StructuredContent::from_serialize(&Wrapped { result: value })
        .map_err(|e| Error::failed(format!("the tool's result cannot be encoded: {e}")))
}

fn schema_error(tool: &str, message: String) -> Error {
    Error::Schema {
        tool: tool.to_owned(),
        message,
    }
}

fn generate<T: JsonSchema>(contract: Contract) -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.inline_subschemas = true;
    settings.meta_schema = None;
    settings.contract = contract;
    let mut value = settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    clean(&mut value);
    value
}

/// Removes noise and closes objects, walking only the positions that hold schemas (so a
/// property that happens to be called `title` survives).
pub(crate) fn clean(value: &mut Value) {
    let Value::Object(schema) = value else {
        return;
    };
    schema.remove("$schema");
    schema.remove("title");
    schema.remove("$defs");
    if let Some(Value::String(d)) = schema.get_mut("description") {
        *d = unwrap_lines(d);
    }
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        for v in props.values_mut() {
            clean(v);
        }
    }
    if schema.contains_key("properties") && !schema.contains_key("additionalProperties") {
        schema.insert("additionalProperties".into(), Value::Bool(false));
    }
    for key in ["items", "additionalProperties", "not", "contains"] {
        if let Some(v) = schema.get_mut(key) {
            clean(v);
        }
    }
    for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
        if let Some(Value::Array(items)) = schema.get_mut(key) {
            for v in items {
                clean(v);
            }
        }
    }
}

/// Joins the lines of a wrapped doc comment into one line per paragraph.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Every property (at any depth) that has no `description`, as JSON pointers; tools must
/// describe each parameter so the model knows what to pass.
pub fn undocumented_properties(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk_undocumented(schema, "", &mut out);
    out
}

fn walk_undocumented(schema: &Value, path: &str, out: &mut Vec<String>) {
    let Value::Object(o) = schema else {
        return;
    };
    if let Some(Value::Object(props)) = o.get("properties") {
        for (name, p) in props {
            let here = format!("{path}/{name}");
            if p.get("description").is_none() {
                out.push(here.clone());
            }
            walk_undocumented(p, &here, out);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(v) = o.get(key) {
            walk_undocumented(v, &format!("{path}/{key}"), out);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(items)) = o.get(key) {
            for v in items {
                walk_undocumented(v, path, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    /// Args.
    #[derive(Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Args {
        /// The name.
        name: String,
        /// How many.
        #[serde(default)]
        count: u32,
        /// Maybe.
        maybe: Option<String>,
        /// Nested.
        inner: Inner,
        /// A map.
        #[serde(default)]
        map: BTreeMap<String, String>,
    }

    /// Inner.
    #[derive(Deserialize, Serialize, JsonSchema)]
    #[allow(dead_code)]
    struct Inner {
        /// The title.
        title: String,
    }

    #[derive(Deserialize, JsonSchema)]
    struct NoArgs {}

    #[test]
    fn inputs_are_closed_inlined_objects_with_exact_required() {
        let s = Value::Object(input_schema_for::<Args>("t").unwrap());
        let text = s.to_string();
        assert!(!text.contains("$ref") && !text.contains("$defs") && !text.contains("$schema"));
        assert_eq!(s["type"], "object");
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(s["required"], json!(["name", "inner"]));
        assert_eq!(s["properties"]["inner"]["additionalProperties"], false);
        assert!(s["properties"]["inner"]["properties"]["title"].is_object());
        assert!(s.get("title").is_none());
        assert_eq!(
            s["properties"]["map"]["additionalProperties"]["type"],
            "string"
        );
        assert!(undocumented_properties(&s).is_empty());
    }

    #[test]
    fn no_arg_tools_get_an_empty_closed_object() {
        let s = input_schema_for::<NoArgs>("t").unwrap();
        assert_eq!(s.get("type").unwrap(), "object");
        assert_eq!(s.get("properties").unwrap(), &json!({}));
        assert_eq!(s.get("additionalProperties").unwrap(), &json!(false));
    }

    #[test]
    fn non_object_outputs_are_wrapped() {
        let (s, wrapped) = output_schema_for::<Vec<String>>();
        assert!(wrapped);
        assert_eq!(s["required"], json!(["result"]));
        assert_eq!(s["properties"]["result"]["type"], "array");
        let (s, wrapped) = output_schema_for::<Inner>();
        assert!(!wrapped);
        assert_eq!(s["type"], "object");
        let wrapped = wrap_output(json!([1]).into(), true).unwrap();
        assert_eq!(wrapped.json(), r#"{"result":[1]}"#);
        let raw = StructuredContent::from_serialize(&[1, 2]).unwrap();
        assert_eq!(
            wrap_output(raw, true).unwrap().json(),
            r#"{"result":[1,2]}"#
        );
        let object = StructuredContent::from_serialize(&json!({"a": 1})).unwrap();
        assert_eq!(wrap_output(object, false).unwrap().json(), r#"{"a":1}"#);
    }

    #[test]
    fn wrapped_doc_lines_are_joined() {
        assert_eq!(unwrap_lines("one\ntwo\n\nthree"), "one two\n\nthree");
    }

    #[test]
    fn missing_descriptions_are_found() {
        let s = json!({"type":"object","properties":{"a":{"type":"string"},
            "b":{"type":"object","description":"x","properties":{"c":{"type":"string"}}}}});
        assert_eq!(undocumented_properties(&s), vec!["/a", "/b/c"]);
    }
}
