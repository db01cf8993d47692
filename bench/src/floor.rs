//! What every floor program shares: parse one JSON-RPC message, build the correct answer.
//! No MCP machinery: no sessions, no capabilities negotiation beyond a fixed answer, no
//! schema checks. This is the cost of "read JSON, write JSON" and nothing else.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The parts of a request the floor looks at.
#[derive(Deserialize)]
pub struct Incoming {
    pub id: Option<Value>,
    pub method: Option<String>,
    #[serde(default)]
    pub params: Value,
}

/// The answer to one message, or `None` for notifications and responses.
pub fn answer(msg: &Incoming) -> Option<Vec<u8>> {
    let id = msg.id.as_ref()?;
    let method = msg.method.as_deref()?;
    let result = match method {
        "initialize" => json!({
            "protocolVersion": msg.params.get("protocolVersion").cloned().unwrap_or(json!("2025-06-18")),
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "floor", "version": "0"}
        }),
        "server/discover" => json!({
            "supportedVersions": ["2026-07-28", "2025-11-25", "2025-06-18"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "floor", "version": "0"}
        }),
        "ping" => json!({}),
        "tools/list" => json!({"tools": [
            {"name": "echo", "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}},
            {"name": "blob", "inputSchema": {"type": "object", "properties": {"kb": {"type": "integer"}}, "required": ["kb"]}}
        ]}),
        "tools/call" => {
            let args = &msg.params["arguments"];
            let text = match msg.params["name"].as_str() {
                Some("echo") => args["text"].as_str().unwrap_or_default().to_owned(),
                Some("blob") => "x".repeat(args["kb"].as_u64().unwrap_or(0).min(65536) as usize * 1024),
                _ => {
                    return Some(error(id, -32602, "unknown tool"));
                }
            };
            // Typed, so the text is written once, as a bare serde_json program would.
            let reply = Reply {
                jsonrpc: "2.0",
                id,
                result: CallResult {
                    content: [Text { kind: "text", text }],
                    is_error: false,
                },
            };
            let mut out = serde_json::to_vec(&reply).unwrap_or_default();
            out.push(b'\n');
            return Some(out);
        }
        _ => return Some(error(id, -32601, "method not found")),
    };
    let mut out = serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": id, "result": result}))
        .unwrap_or_default();
    out.push(b'\n');
    Some(out)
}

fn error(id: &Value, code: i64, message: &str) -> Vec<u8> {
    let mut out = serde_json::to_vec(
        &json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
    )
    .unwrap_or_default();
    out.push(b'\n');
    out
}

#[derive(Serialize)]
struct Reply<'a, R> {
    jsonrpc: &'static str,
    id: &'a Value,
    result: R,
}

#[derive(Serialize)]
struct CallResult {
    content: [Text; 1],
    #[serde(rename = "isError")]
    is_error: bool,
}

#[derive(Serialize)]
struct Text {
    #[serde(rename = "type")]
    kind: &'static str,
    text: String,
}
