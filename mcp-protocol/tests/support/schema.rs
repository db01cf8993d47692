//! Validation of JSON values against the official MCP schemas in `tests/data/mcp-schema`.
//!
//! ```text
//! mod support;
//! use support::schema::{validate, validate_message};
//! validate("2025-06-18", "CallToolResult", &value).unwrap();
//! validate_message("2026-07-28", &message_json).unwrap();
//! ```
//!
//! Each revision's `schema.json` is read once. A validator per (revision, definition) is
//! built from the whole schema document with `allOf: [{"$ref": "#/<defs>/<Name>"}]` added at
//! its root, so references between definitions resolve inside the same document; 2024-11-05
//! to 2025-06-18 are draft-07 (`definitions`), 2025-11-25 and later are 2020-12 (`$defs`).
//! Errors come back as one string listing every violation with its JSON pointer.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};

/// Every revision with a schema, oldest first.
pub(crate) const REVISIONS: [&str; 5] = [
    "2024-11-05",
    "2025-03-26",
    "2025-06-18",
    "2025-11-25",
    "2026-07-28",
];

/// The directory holding `<rev>/schema.json` (and the 2026-07-28 `examples/`).
pub(crate) fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/mcp-schema")
}

fn documents() -> &'static HashMap<&'static str, Value> {
    static DOCS: OnceLock<HashMap<&'static str, Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        REVISIONS
            .iter()
            .map(|rev| {
                let path = schema_dir().join(rev).join("schema.json");
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                let doc: Value = serde_json::from_str(&text).expect("schema.json is JSON");
                (*rev, doc)
            })
            .collect()
    })
}

/// The revision's schema document.
pub(crate) fn document(rev: &str) -> &'static Value {
    documents()
        .get(rev)
        .unwrap_or_else(|| panic!("no schema for revision {rev}"))
}

/// The name of the definitions member: `definitions` (draft-07) or `$defs` (2020-12).
pub(crate) fn defs_key(rev: &str) -> &'static str {
    if document(rev).get("$defs").is_some() {
        "$defs"
    } else {
        "definitions"
    }
}

/// The definitions of a revision, by name.
pub(crate) fn definitions(rev: &str) -> &'static serde_json::Map<String, Value> {
    document(rev)[defs_key(rev)]
        .as_object()
        .expect("definitions are an object")
}

/// True when the revision defines `def`.
pub(crate) fn has_definition(rev: &str, def: &str) -> bool {
    definitions(rev).contains_key(def)
}

/// Built validators by (revision, definition).
type Cache = Mutex<HashMap<(String, String), Arc<jsonschema::Validator>>>;

fn validator(rev: &str, def: &str) -> Arc<jsonschema::Validator> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (rev.to_owned(), def.to_owned());
    if let Some(v) = cache.lock().expect("cache lock").get(&key) {
        return v.clone();
    }
    assert!(has_definition(rev, def), "{rev} has no definition {def}");
    let mut root = document(rev).clone();
    let pointer = format!("#/{}/{def}", defs_key(rev));
    root["allOf"] = json!([{ "$ref": pointer }]);
    let built = Arc::new(
        jsonschema::validator_for(&root)
            .unwrap_or_else(|e| panic!("building a validator for {rev} {def}: {e}")),
    );
    cache.lock().expect("cache lock").insert(key, built.clone());
    built
}

/// Validates `value` against definition `def` of revision `rev`.
///
/// `Err` lists every violation as `<pointer>: <message>`.
pub(crate) fn validate(rev: &str, def: &str, value: &Value) -> Result<(), String> {
    let v = validator(rev, def);
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{rev} {def}: {}", errors.join("; ")))
    }
}

/// The definition whose `method` is the constant `method` (a request or a notification),
/// if the revision has one.
pub(crate) fn definition_for_method(rev: &str, method: &str) -> Option<&'static str> {
    definitions(rev).iter().find_map(|(name, def)| {
        let constant = def.pointer("/properties/method/const")?;
        (constant == method && !name.ends_with("Params")).then_some(name.as_str())
    })
}

/// Validates a whole JSON-RPC message: the envelope against `JSONRPCMessage`, and a request
/// or notification also against the definition of its method (which must exist in `rev`).
pub(crate) fn validate_message(rev: &str, message: &Value) -> Result<(), String> {
    validate(rev, "JSONRPCMessage", message)?;
    if let Some(method) = message.get("method").and_then(Value::as_str) {
        let def = definition_for_method(rev, method)
            .ok_or_else(|| format!("{rev} has no method {method}"))?;
        validate(rev, def, message)?;
    }
    Ok(())
}

/// Compares JSON values, treating numbers as equal when their values are (so `50` and
/// `50.0` match after a round trip through `f64`).
pub(crate) fn equivalent(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equivalent(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equivalent(v, w)))
        }
        _ => a == b,
    }
}

/// Members whose contents are open by design (user JSON schemas, `_meta` maps); their
/// insides are not checked by [`undeclared`].
const OPAQUE: [&str; 4] = ["_meta", "inputSchema", "outputSchema", "requestedSchema"];

/// Lists the members of `value` (as JSON pointers) that definition `def` of revision `rev`
/// does not declare: the schemas allow unknown members, so validation alone cannot tell
/// whether a field of a newer revision leaked into an older one. Objects whose schema lists
/// `properties` and no `additionalProperties` are checked; `anyOf` picks the first branch
/// the value validates against.
pub(crate) fn undeclared(rev: &str, def: &str, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let node = &definitions(rev)[def];
    walk(rev, node, value, String::new(), &mut out);
    out
}

fn walk(rev: &str, node: &Value, value: &Value, at: String, out: &mut Vec<String>) {
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return walk(rev, &definitions(rev)[name], value, at, out);
    }
    if let Some(branches) = node.get("anyOf").or_else(|| node.get("oneOf")) {
        let branches = branches.as_array().expect("anyOf is an array");
        let fits = |b: &&Value| match b.get("$ref").and_then(Value::as_str) {
            Some(r) => validate(rev, r.rsplit('/').next().unwrap_or_default(), value).is_ok(),
            None => match b.get("type").and_then(Value::as_str) {
                Some("array") => value.is_array(),
                Some("object") => value.is_object(),
                _ => false,
            },
        };
        if let Some(branch) = branches.iter().find(fits) {
            walk(rev, branch, value, at.clone(), out);
        }
    }
    if let Some(all) = node.get("allOf").and_then(Value::as_array) {
        for branch in all {
            walk(rev, branch, value, at.clone(), out);
        }
    }
    match value {
        Value::Object(map) => {
            let props = node.get("properties").and_then(Value::as_object);
            let additional = node.get("additionalProperties");
            for (key, v) in map {
                let here = format!("{at}/{key}");
                if OPAQUE.contains(&key.as_str()) {
                    continue;
                }
                match (props.and_then(|p| p.get(key)), additional) {
                    (Some(sub), _) => walk(rev, sub, v, here, out),
                    (None, Some(extra)) if extra.is_object() => walk(rev, extra, v, here, out),
                    (None, Some(_)) => {}
                    (None, None) if props.is_some() => out.push(here),
                    (None, None) => {}
                }
            }
        }
        Value::Array(items) => {
            if let Some(schema) = node.get("items") {
                for (i, item) in items.iter().enumerate() {
                    walk(rev, schema, item, format!("{at}/{i}"), out);
                }
            }
        }
        _ => {}
    }
}
