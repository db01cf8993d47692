//! How tool outcomes become `tools/call` results.

use mcp_protocol::types::{CallToolResult, StructuredContent};

use crate::error::Error;
use crate::schema::wrap_in_result;

/// A successful result: the JSON as `structuredContent` (always an object) and the same
/// JSON as one text block for clients that read only text.
///
/// Output that arrives as serialized text (every typed tool's) is not written out again:
/// the text block is a copy of that text, and the engine writes it to the wire verbatim.
pub(crate) fn success_result(value: StructuredContent) -> CallToolResult {
    if value.is_object() {
        return CallToolResult::structured(value);
    }
    match wrap_in_result(&value) {
        Ok(wrapped) => CallToolResult::structured(wrapped),
        Err(e) => error_result(&e),
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
