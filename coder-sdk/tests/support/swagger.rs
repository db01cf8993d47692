//! Checks requests and responses against Coder's Swagger 2.0 contract
//! (`tests/data/swagger.json`).
//!
//! The contract is loaded once. A request is matched to an operation by method and path
//! template (the template with the most literal segments wins); its path and query
//! parameters are checked against the declared types and formats, and a JSON body against
//! the body parameter's schema. A response body is validated against the schema of the
//! status it was sent with (a 2xx must be documented); error bodies must be
//! `codersdk.Response` with a `message`.
//!
//! Swagger 2.0 schemas are close to JSON Schema draft 4, with two adjustments so that the
//! check is strict but matches what Go's `encoding/json` really sends:
//! - a property that is not in `required` may be `null` (Go pointers, nil slices and maps);
//! - objects may not carry properties the contract does not declare (catches invented or
//!   misspelled fields).
//!
//! Known differences between swagger and the wire are corrected before use:
//! `codersdk.Preset` and `codersdk.PresetParameter` have no JSON tags in Go, so real Coder
//! sends their Go field names (`ID`, `Name`, `Parameters`, `Value`...), while swagger lists
//! lower-case names. And `uuid.NullUUID` (google/uuid) marshals as a UUID string or `null`,
//! not as the `{uuid, valid}` object swagger shows.
//!
//! `format: uuid` and `format: date-time` are checked; `format: uri` accepts the empty
//! string (Coder sends `""` for unset avatar URLs). A boolean query parameter may be empty
//! (`?follow`), as Coder treats presence as true.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use coder_sdk::testing::{RecordedRequest, SimulatedCoder};
use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

/// One operation of the contract.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub(crate) method: String,
    pub(crate) template: String,
    pub(crate) spec: Value,
}

impl Operation {
    fn parameters(&self, location: &str) -> Vec<&Value> {
        self.spec["parameters"]
            .as_array()
            .map(|ps| ps.iter().filter(|p| p["in"] == location).collect())
            .unwrap_or_default()
    }

    /// The operation id, for messages.
    pub(crate) fn id(&self) -> &str {
        self.spec["operationId"].as_str().unwrap_or("?")
    }
}

/// The loaded contract.
pub(crate) struct Swagger {
    definitions: Value,
    operations: Vec<Operation>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// The contract, loaded once per test binary.
pub(crate) fn swagger() -> &'static Swagger {
    static SWAGGER: OnceLock<Swagger> = OnceLock::new();
    SWAGGER.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/swagger.json");
        let text = std::fs::read_to_string(path).expect("read swagger.json");
        Swagger::from_document(&serde_json::from_str(&text).expect("parse swagger.json"))
    })
}

/// Adjusts a schema fragment for Go's JSON (see the module docs).
fn adjust(schema: &Value) -> Value {
    match schema {
        Value::Object(obj) => {
            let mut out = Map::new();
            for (k, v) in obj {
                match k.as_str() {
                    // Swagger 2.0 only keywords that draft 4 does not know.
                    "example" | "x-enum-varnames" | "x-enum-comments" | "discriminator" => {}
                    "properties" => {
                        let required: Vec<&str> = obj
                            .get("required")
                            .and_then(Value::as_array)
                            .map(|r| r.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default();
                        let props = v
                            .as_object()
                            .map(|props| {
                                props
                                    .iter()
                                    .map(|(name, prop)| {
                                        let prop = adjust(prop);
                                        let prop = if required.contains(&name.as_str()) {
                                            prop
                                        } else {
                                            json!({ "anyOf": [prop, { "type": "null" }] })
                                        };
                                        (name.clone(), prop)
                                    })
                                    .collect::<Map<String, Value>>()
                            })
                            .unwrap_or_default();
                        out.insert(k.clone(), Value::Object(props));
                    }
                    _ => {
                        out.insert(k.clone(), adjust(v));
                    }
                }
            }
            if out.get("x-nullable") == Some(&Value::Bool(true)) {
                out.remove("x-nullable");
                return json!({ "anyOf": [Value::Object(out), { "type": "null" }] });
            }
            if out.contains_key("properties") && !out.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(adjust).collect()),
        other => other.clone(),
    }
}

/// Renames properties of definitions whose Go types have no JSON tags (see the module docs).
fn correct_wire_names(definitions: &mut Value) {
    let renames: [(&str, &[(&str, &str)]); 2] = [
        (
            "codersdk.Preset",
            &[
                ("id", "ID"),
                ("name", "Name"),
                ("description", "Description"),
                ("icon", "Icon"),
                ("default", "Default"),
                ("desiredPrebuildInstances", "DesiredPrebuildInstances"),
                ("parameters", "Parameters"),
            ],
        ),
        (
            "codersdk.PresetParameter",
            &[("name", "Name"), ("value", "Value")],
        ),
    ];
    definitions["uuid.NullUUID"] =
        json!({ "type": "string", "format": "uuid", "x-nullable": true });
    for (definition, pairs) in renames {
        let Some(props) = definitions[definition]["properties"].as_object_mut() else {
            continue;
        };
        for (from, to) in pairs {
            if let Some(schema) = props.remove(*from) {
                props.insert((*to).to_owned(), schema);
            }
        }
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.trim_end_matches('/').split('/').collect()
}

fn is_template(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

fn check_format(format: &str, value: &str) -> bool {
    match format {
        "uuid" => uuid::Uuid::parse_str(value).is_ok(),
        _ => true,
    }
}

/// Checks a path or query value against a parameter's declared type.
fn check_simple(param: &Value, value: &str) -> Result<(), String> {
    let name = param["name"].as_str().unwrap_or("?");
    let ok = match param["type"].as_str() {
        Some("integer") => value.parse::<i64>().is_ok(),
        Some("number") => value.parse::<f64>().is_ok(),
        Some("boolean") => matches!(value, "" | "true" | "false" | "1" | "0"),
        Some("string") | None => param["format"]
            .as_str()
            .is_none_or(|f| check_format(f, value)),
        Some(_) => true,
    };
    if !ok {
        return Err(format!(
            "parameter {name:?} = {value:?} is not a valid {} ({})",
            param["type"].as_str().unwrap_or("value"),
            param["format"].as_str().unwrap_or("-")
        ));
    }
    if let Some(allowed) = param["enum"].as_array()
        && !allowed.iter().any(|a| a.as_str() == Some(value))
    {
        return Err(format!(
            "parameter {name:?} = {value:?} is not one of {allowed:?}"
        ));
    }
    Ok(())
}

impl Swagger {
    fn from_document(doc: &Value) -> Self {
        let mut raw = doc["definitions"].clone();
        correct_wire_names(&mut raw);
        let definitions = adjust(&raw);
        let mut operations = Vec::new();
        for (template, item) in doc["paths"].as_object().expect("paths") {
            for (method, spec) in item.as_object().expect("path item") {
                operations.push(Operation {
                    method: method.to_uppercase(),
                    template: template.clone(),
                    spec: spec.clone(),
                });
            }
        }
        Self {
            definitions,
            operations,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// The operation for a method and a concrete path.
    pub(crate) fn operation(&self, method: &str, path: &str) -> Result<&Operation, String> {
        let concrete = segments(path);
        let mut best: Option<(&Operation, usize)> = None;
        let mut path_known = false;
        for op in &self.operations {
            let template = segments(&op.template);
            if template.len() != concrete.len() {
                continue;
            }
            let fits = template
                .iter()
                .zip(&concrete)
                .all(|(t, c)| is_template(t) || t == c);
            if !fits {
                continue;
            }
            path_known = true;
            if !op.method.eq_ignore_ascii_case(method) {
                continue;
            }
            let literal = template.iter().filter(|t| !is_template(t)).count();
            if best.is_none_or(|(_, n)| literal > n) {
                best = Some((op, literal));
            }
        }
        match best {
            Some((op, _)) => Ok(op),
            None if path_known => Err(format!("{method} is not documented for {path}")),
            None => Err(format!("no swagger path matches {path}")),
        }
    }

    fn validator(&self, schema: &Value) -> Arc<Validator> {
        let key = schema.to_string();
        let mut cache = self.validators.lock().expect("validator cache");
        if let Some(v) = cache.get(&key) {
            return Arc::clone(v);
        }
        let mut root = adjust(schema);
        if let Value::Object(obj) = &mut root {
            obj.insert("definitions".into(), self.definitions.clone());
        }
        let validator = jsonschema::options()
            .with_draft(Draft::Draft4)
            .should_validate_formats(true)
            .with_format("uuid", |s: &str| uuid::Uuid::parse_str(s).is_ok())
            .with_format("uri", |s: &str| {
                s.is_empty() || url::Url::parse(s).is_ok() || s.starts_with('/')
            })
            .build(&root)
            .unwrap_or_else(|e| panic!("swagger schema does not compile: {e}"));
        let validator = Arc::new(validator);
        cache.insert(key, Arc::clone(&validator));
        validator
    }

    /// Validates `value` against a schema of the contract.
    pub(crate) fn validate(&self, schema: &Value, value: &Value) -> Result<(), String> {
        let validator = self.validator(schema);
        let errors: Vec<String> = validator
            .iter_errors(value)
            .take(5)
            .map(|e| format!("at {}: {e}", e.instance_path()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }

    /// Validates `value` against `#/definitions/<name>`.
    pub(crate) fn validate_definition(&self, name: &str, value: &Value) -> Result<(), String> {
        self.validate(&json!({ "$ref": format!("#/definitions/{name}") }), value)
    }

    /// Checks a request: known operation, path and query parameter types, JSON body.
    pub(crate) fn check_request(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
    ) -> Result<&Operation, String> {
        let op = self.operation(method, path)?;
        let template = segments(&op.template);
        let concrete = segments(path);
        for (t, c) in template.iter().zip(&concrete) {
            if !is_template(t) {
                continue;
            }
            let name = &t[1..t.len() - 1];
            if let Some(param) = op
                .parameters("path")
                .into_iter()
                .find(|p| p["name"] == name)
            {
                check_simple(param, c).map_err(|e| format!("{}: {e}", op.id()))?;
            }
        }
        for param in op.parameters("query") {
            let name = param["name"].as_str().unwrap_or_default();
            match query.iter().find(|(k, _)| k == name) {
                Some((_, v)) => check_simple(param, v).map_err(|e| format!("{}: {e}", op.id()))?,
                None if param["required"] == true => {
                    return Err(format!(
                        "{}: required query parameter {name:?} missing",
                        op.id()
                    ));
                }
                None => {}
            }
        }
        if let Some(param) = op.parameters("body").first() {
            match body {
                Some(body) => self
                    .validate(&param["schema"], body)
                    .map_err(|e| format!("{}: request body: {e}", op.id()))?,
                None if param["required"] == true => {
                    return Err(format!("{}: required JSON body missing", op.id()));
                }
                None => {}
            }
        }
        Ok(op)
    }

    /// Checks a response of `op` with `status` and (JSON) `body`.
    pub(crate) fn check_response(
        &self,
        op: &Operation,
        status: u16,
        body: Option<&Value>,
    ) -> Result<(), String> {
        if status == 101 {
            return Ok(());
        }
        if !(200..300).contains(&status) {
            let body =
                body.ok_or_else(|| format!("{}: {status} without a JSON error body", op.id()))?;
            self.validate_definition("codersdk.Response", body)
                .map_err(|e| format!("{}: {status} error body: {e}", op.id()))?;
            if body["message"].as_str().is_none_or(str::is_empty) {
                return Err(format!("{}: {status} error body without message", op.id()));
            }
            return Ok(());
        }
        let documented = &op.spec["responses"][status.to_string()];
        if documented.is_null() {
            return Err(format!("{}: status {status} is not documented", op.id()));
        }
        match (documented.get("schema"), body) {
            (Some(schema), Some(body)) if schema.as_object().is_some_and(|o| !o.is_empty()) => self
                .validate(schema, body)
                .map_err(|e| format!("{}: {status} body: {e}", op.id())),
            _ => Ok(()),
        }
    }

    /// Checks the frames of a followed log stream: a job log stream sends one item of the
    /// JSON answer's array per frame, an agent log stream sends arrays.
    pub(crate) fn check_frames(&self, op: &Operation, frames: &[Value]) -> Result<(), String> {
        let array = &op.spec["responses"]["200"]["schema"];
        let schema = if op.template.starts_with("/api/v2/workspaceagents/") {
            array
        } else {
            &array["items"]
        };
        if frames.is_empty() {
            return Ok(());
        }
        if schema.is_null() {
            return Err(format!(
                "{}: frames on a stream swagger does not describe",
                op.id()
            ));
        }
        for (i, frame) in frames.iter().enumerate() {
            self.validate(schema, frame)
                .map_err(|e| format!("{}: frame {i}: {e}", op.id()))?;
        }
        Ok(())
    }

    /// Checks one recorded exchange.
    ///
    /// A request that breaks the contract is fine only if it was rejected with a 4xx and a
    /// Coder error body (tests send such requests on purpose); one that was accepted, or
    /// answered otherwise, is reported.
    pub(crate) fn check_recorded(&self, rec: &RecordedRequest) -> Result<(), String> {
        let query = rec.query_pairs();
        let op = match self.check_request(&rec.method, &rec.path, &query, rec.body.as_ref()) {
            Ok(op) => op,
            Err(request_error) => {
                return match (rec.status, rec.response.as_ref()) {
                    (Some(400..=499), Some(body)) => self
                        .validate_definition("codersdk.Response", body)
                        .map_err(|e| format!("rejected with a non-Coder error body: {e}")),
                    (status, _) => Err(format!(
                        "{request_error} (and it was answered with {status:?} instead of a 4xx)"
                    )),
                };
            }
        };
        if rec.fault.is_some() {
            return Ok(());
        }
        let Some(status) = rec.status else {
            return Err(format!("{}: no answer was sent", op.id()));
        };
        if status == 101 {
            return self.check_frames(op, &rec.frames);
        }
        let text_format = query.iter().any(|(k, v)| k == "format" && v == "text");
        let has_schema = op.spec["responses"][status.to_string()]["schema"]
            .as_object()
            .is_some_and(|o| !o.is_empty());
        if (200..300).contains(&status) && has_schema && rec.response.is_none() && !text_format {
            return Err(format!("{}: {status} answer is not JSON", op.id()));
        }
        self.check_response(op, status, rec.response.as_ref())
    }
}

/// Asserts that every request the simulator received maps to a swagger operation with
/// valid parameters and body, and that every answer validates against the contract.
///
/// Call it at the end of a test that drove a [`SimulatedCoder`].
pub(crate) fn assert_requests_match_swagger(sim: &SimulatedCoder) {
    let contract = swagger();
    let failures: Vec<String> = sim
        .requests()
        .iter()
        .filter_map(|rec| {
            contract
                .check_recorded(rec)
                .err()
                .map(|e| format!("{} {}: {e}", rec.method, rec.path))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} request(s) do not match swagger:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
