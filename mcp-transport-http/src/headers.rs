//! Streamable HTTP header names and the 2026-07-28 header mirroring rules (SEP-2243):
//! `Mcp-Method`, `Mcp-Name`, `Mcp-Param-{Name}` and the Base64 sentinel encoding.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// The legacy session id header.
pub const SESSION_ID: &str = "mcp-session-id";
/// The protocol revision header.
pub const PROTOCOL_VERSION: &str = "mcp-protocol-version";
/// 2026-07-28: mirrors the JSON-RPC method.
pub const METHOD: &str = "mcp-method";
/// 2026-07-28: mirrors `params.name` (tools/call, prompts/get) or `params.uri`
/// (resources/read).
pub const NAME: &str = "mcp-name";
/// 2026-07-28: prefix of the headers that mirror tool arguments marked with `x-mcp-header`.
pub const PARAM_PREFIX: &str = "mcp-param-";
/// The SSE resumption header.
pub const LAST_EVENT_ID: &str = "last-event-id";
/// The schema keyword that marks a tool argument to mirror into a header.
pub const X_MCP_HEADER: &str = "x-mcp-header";

const SENTINEL_START: &str = "=?base64?";
const SENTINEL_END: &str = "?=";

/// Encodes a value for `Mcp-Name` or `Mcp-Param-*`: as is when it is plain visible ASCII
/// (inner spaces allowed), else (and when it looks like the sentinel itself) as
/// `=?base64?…?=` of its UTF-8 bytes.
pub fn encode_header_value(value: &str) -> String {
    let looks_encoded = value.starts_with(SENTINEL_START) && value.ends_with(SENTINEL_END);
    let plain = !value.is_empty()
        && value
            .bytes()
            .all(|b| b == b' ' || (0x21..=0x7e).contains(&b))
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && !looks_encoded;
    if plain {
        value.to_owned()
    } else {
        format!("{SENTINEL_START}{}{SENTINEL_END}", STANDARD.encode(value))
    }
}

/// Decodes a header value that may use the Base64 sentinel. `None` when the sentinel is
/// malformed or hides invalid UTF-8.
pub fn decode_header_value(value: &str) -> Option<String> {
    match value
        .strip_prefix(SENTINEL_START)
        .and_then(|v| v.strip_suffix(SENTINEL_END))
    {
        Some(inner) => {
            let bytes = STANDARD.decode(inner).ok()?;
            String::from_utf8(bytes).ok()
        }
        None => Some(value.to_owned()),
    }
}

/// The textual form a primitive argument takes in a header: strings as is, integers in
/// decimal, booleans as `true`/`false`. `None` for other values, which cannot be mirrored.
pub fn header_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i.to_string())
            } else if let Some(u) = n.as_u64() {
                Some(u.to_string())
            } else {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0)
                    .map(|f| format!("{f:.0}"))
            }
        }
        _ => None,
    }
}

/// One argument a tool asks clients to mirror: the header name part and the chain of
/// `properties` keys that leads to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamHeader {
    /// The `{Name}` of `Mcp-Param-{Name}`, as declared.
    pub name: String,
    /// The property path from the argument object's root.
    pub path: Vec<String>,
}

/// Every `x-mcp-header` declaration of a tool's `inputSchema`, or why the definition is
/// invalid (a client must then drop the tool).
pub fn param_headers(input_schema: &Value) -> Result<Vec<ParamHeader>, String> {
    let mut found = Vec::new();
    collect(input_schema, &mut Vec::new(), &mut found)?;
    let mut seen = std::collections::HashSet::new();
    for p in &found {
        if !seen.insert(p.name.to_ascii_lowercase()) {
            return Err(format!("x-mcp-header {:?} is declared twice", p.name));
        }
    }
    // Annotations anywhere but along `properties` chains make the tool invalid.
    if input_schema.get(X_MCP_HEADER).is_some() || misplaced(input_schema, true) {
        return Err(
            "x-mcp-header is only allowed on properties reachable through `properties`".to_owned(),
        );
    }
    Ok(found)
}

fn collect(
    schema: &Value,
    path: &mut Vec<String>,
    out: &mut Vec<ParamHeader>,
) -> Result<(), String> {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Ok(());
    };
    for (key, sub) in props {
        path.push(key.clone());
        if let Some(name) = sub.get(X_MCP_HEADER) {
            let name = name
                .as_str()
                .ok_or_else(|| format!("x-mcp-header of {key:?} is not a string"))?;
            if name.is_empty() || !name.bytes().all(is_tchar) {
                return Err(format!("x-mcp-header {name:?} is not a valid header name"));
            }
            let ty = sub.get("type").and_then(Value::as_str);
            if !matches!(ty, Some("string" | "integer" | "boolean")) {
                return Err(format!(
                    "x-mcp-header {name:?} is on a property that is not a string, integer or boolean"
                ));
            }
            out.push(ParamHeader {
                name: name.to_owned(),
                path: path.clone(),
            });
        }
        collect(sub, path, out)?;
        path.pop();
    }
    Ok(())
}

/// True when an `x-mcp-header` sits somewhere other than directly in a property schema
/// reached through `properties` chains.
fn misplaced(schema: &Value, reachable: bool) -> bool {
    match schema {
        Value::Object(map) => map.iter().any(|(k, v)| {
            if k == X_MCP_HEADER {
                return !reachable;
            }
            if k == "properties" && reachable {
                return v
                    .as_object()
                    .is_some_and(|props| props.values().any(|p| misplaced(p, true)));
            }
            misplaced_anywhere(v)
        }),
        Value::Array(items) => items.iter().any(misplaced_anywhere),
        _ => false,
    }
}

fn misplaced_anywhere(v: &Value) -> bool {
    match v {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k == X_MCP_HEADER || misplaced_anywhere(v)),
        Value::Array(items) => items.iter().any(misplaced_anywhere),
        _ => false,
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The value at `path` in `arguments`, if present and not null.
pub fn value_at<'a>(arguments: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut cur = arguments;
    for key in path {
        cur = cur.get(key)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// True when a header value only holds characters RFC 9110 allows in field values.
pub fn valid_field_value(value: &[u8]) -> bool {
    value
        .iter()
        .all(|&b| b == b'\t' || b == b' ' || (0x21..=0x7e).contains(&b))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sentinel_encoding_matches_the_spec_examples() {
        let cases = [
            ("us-west1", "us-west1"),
            ("Hello, 世界", "=?base64?SGVsbG8sIOS4lueVjA==?="),
            (" padded ", "=?base64?IHBhZGRlZCA=?="),
            ("line1\nline2", "=?base64?bGluZTEKbGluZTI=?="),
            ("=?base64?literal?=", "=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?="),
        ];
        for (raw, encoded) in cases {
            assert_eq!(encode_header_value(raw), encoded);
            assert_eq!(decode_header_value(encoded).as_deref(), Some(raw));
        }
        assert_eq!(decode_header_value("=?base64?***?="), None);
    }

    #[test]
    fn finds_param_headers_and_rejects_bad_ones() {
        let schema = json!({"type":"object","properties":{
            "region":{"type":"string","x-mcp-header":"Region"},
            "opts":{"type":"object","properties":{"n":{"type":"integer","x-mcp-header":"N"}}},
            "q":{"type":"string"}}});
        let found = param_headers(&schema).unwrap();
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .any(|p| p.name == "N" && p.path == ["opts", "n"])
        );
        let dup = json!({"properties":{"a":{"type":"string","x-mcp-header":"X"},
            "b":{"type":"string","x-mcp-header":"x"}}});
        assert!(param_headers(&dup).is_err());
        let number = json!({"properties":{"a":{"type":"number","x-mcp-header":"X"}}});
        assert!(param_headers(&number).is_err());
        let in_items = json!({"properties":{"a":{"type":"array","items":{"type":"string","x-mcp-header":"X"}}}});
        assert!(param_headers(&in_items).is_err());
        let bad_name = json!({"properties":{"a":{"type":"string","x-mcp-header":"A B"}}});
        assert!(param_headers(&bad_name).is_err());
    }

    #[test]
    fn header_text_of_primitives() {
        assert_eq!(header_text(&json!(42)).as_deref(), Some("42"));
        assert_eq!(header_text(&json!(42.0)).as_deref(), Some("42"));
        assert_eq!(header_text(&json!(true)).as_deref(), Some("true"));
        assert_eq!(header_text(&json!(1.5)), None);
        assert_eq!(header_text(&json!({})), None);
    }
}
