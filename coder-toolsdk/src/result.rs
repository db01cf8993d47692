//! How tool outcomes become `tools/call` results.

use mcp_protocol::types::{CallToolResult, Content};
use serde_json::{Map, Value};

use crate::error::Error;

/// A successful result: the JSON as `structuredContent` (always an object) and the same
/// JSON as one text block for clients that read only text.
pub(crate) fn success_result(value: Value) -> CallToolResult {
    let value = match value {
        Value::Object(_) => value,
        other => {
            let mut map = Map::new();
            map.insert(crate::schema::RESULT_FIELD.into(), other);
            Value::Object(map)
        }
    };
    // `serde_json::to_string` writes into one buffer; `Value`'s `Display` (the same compact
    // text) goes through the formatter piece by piece and takes about twice as long.
    let text = serde_json::to_string(&value).unwrap_or_else(|_| value.to_string());
    CallToolResult {
        content: vec![Content::text(text)],
        structured_content: Some(value),
        ..CallToolResult::default()
    }
}

/// A failed result carrying a message the model can act on.
pub(crate) fn error_result(error: &Error) -> CallToolResult {
    CallToolResult::error(error_message(error))
}

/// The message the model reads for a failure.
pub fn error_message(error: &Error) -> String {
    match error {
        Error::Coder(e) if e.is_not_found() => format!(
            "not found: {e}. Check the name or ID; list what exists with \
             coder_list_workspaces or coder_list_templates."
        ),
        Error::Coder(e) if e.is_unauthorized() => format!(
            "Coder rejected the credentials ({e}); log in again (coder login) or use a \
             valid token."
        ),
        Error::Mcp(e) => format!("could not reach the user through the client: {e}"),
        other => other.to_string(),
    }
}
